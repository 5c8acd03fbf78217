/**
 * The one way out of a headless command (`packrat run`, `verify`, `versions`, `restore`,
 * `status`, `now`, `cancel`, `config`): lines are built from the raw names, server replies and
 * messages, and escaped here on their way out, so that no line, old or new, can put a control
 * character on a terminal.
 */
import {escapeControl, withoutControl} from '../backup/names.js';
import {oneLine, PackratError} from '../backup/errors.js';

/** Where a command writes: a line on stdout, a line on stderr. */
export type Out = {line: (text: string) => void; error: (text: string) => void};

/**
 * Every line with its control characters escaped (`\x1b`, `\t`) and, for readable lines, its
 * backslashes too (`\\`), so that an escape cannot be forged. A JSON line has none left (jsonLine
 * escapes them): only a guard is kept for it, which leaves its backslashes alone.
 */
export function escapedOut(out: Out, json: boolean): Out {
	return through(out, json ? withoutControl : escapeControl);
}

/**
 * For tab-separated fields that scripts cut (`packrat config get`): the tabs between fields kept,
 * every other control character escaped, backslashes left alone (a value is shown as it is).
 */
export function fieldsOut(out: Out): Out {
	return through(out, text => text.split('\t').map(withoutControl).join('\t'));
}

function through(out: Out, escape: (text: string) => string): Out {
	return {line: text => out.line(escape(text)), error: text => out.error(escape(text))};
}

/**
 * Run a command body with its errors as one line (oneLine: never a stack trace) and an exit code:
 * 2 for bad usage or settings (a PackratError of `config`), 1 for anything else, such as a path
 * not in the backup. `out` is the command's escapedOut.
 */
export async function exitCode(out: Out, body: () => Promise<number>): Promise<number> {
	try {
		return await body();
	} catch (error) {
		out.error(`packrat: ${oneLine(error)}`);
		return error instanceof PackratError && error.code === 'config' ? 2 : 1;
	}
}
