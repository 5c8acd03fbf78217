/**
 * `packrat config path | get [KEY] | set KEY VALUE | unset KEY`. A bad value is refused with a
 * line naming the key and what it accepts. A password is never taken from the command line
 * (it would show in the process list): `set server.password -` reads it from standard input.
 * What it prints goes out through commands/out.ts (`fieldsOut`: `get`'s key and value tab-separated).
 */
import {PackratError} from '../backup/errors.js';
import {findKey, keySpecs} from '../settings/keys.js';
import {SettingsStore, unknownKey} from '../settings/store.js';
import {commands} from './args.js';
import {fieldsOut, type Out} from './out.js';

const {usage} = commands.config;

function shown(key: string, value: unknown): string {
	if (value === undefined) return '';
	if (findKey(key)?.secret) return '(saved, not shown)';
	return String(value);
}

async function readStdin(input: NodeJS.ReadableStream): Promise<string> {
	let text = '';
	for await (const chunk of input) text += String(chunk);
	return text.replace(/\r?\n$/, '');
}

export async function configCommand(args: string[], profile: string | undefined, raw: Out, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
	const out = fieldsOut(raw);
	const [action, key, value, ...rest] = args;
	if (rest.length > 0) throw new PackratError(`too many words; ${usage}`, 'config');
	const store = new SettingsStore(profile);
	switch (action) {
		case 'path':
			out.line(store.path);
			return 0;
		case 'get': {
			if (key === undefined) {
				const all = store.all() as unknown as Record<string, Record<string, unknown>>;
				for (const spec of keySpecs) {
					const [head, tail] = spec.key.split('.') as [string, string | undefined];
					const current = tail === undefined ? all[head] : all[head]?.[tail];
					out.line(`${spec.key}\t${shown(spec.key, current)}`);
				}

				return 0;
			}

			const spec = findKey(key);
			if (!spec) throw unknownKey(key);
			const current = store.get(key) ?? spec.default;
			out.line(shown(key, current));
			return current === undefined ? 1 : 0;
		}

		case 'set': {
			if (key === undefined || value === undefined) throw new PackratError(usage, 'config');
			const spec = findKey(key);
			if (!spec) throw unknownKey(key);
			if (spec.secret && value !== '-') {
				throw new PackratError(`${key} is not taken from the command line, where other users could see it: echo it into "packrat config set ${key} -", or use PACKRAT_PASSWORD or ~/.netrc`, 'config');
			}

			store.setText(key, spec.secret ? await readStdin(input) : value);
			return 0;
		}

		case 'unset': {
			if (key === undefined) throw new PackratError(usage, 'config');
			if (!findKey(key)) throw unknownKey(key);
			store.delete(key);
			return 0;
		}

		default:
			throw new PackratError(action === undefined ? usage : `unknown config action ${JSON.stringify(action)}; ${usage}`, 'config');
	}
}
