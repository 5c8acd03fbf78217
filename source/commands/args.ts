/**
 * The command line, read here with no parser library: packrat's words and flags are few, and a
 * library (meow, with yargs-parser and its reading of package.json) cost about 45 ms of CPU, a
 * third of a headless start-up. Words and flags may come in any order; a flag is `--name`,
 * `--no-name` (a switch), `--name VALUE` or `--name=VALUE`, and `--` ends the flags. Anything
 * else (an unknown or repeated flag, a missing or malformed value) is a UsageError: one line,
 * exit 2.
 */
export const flagSpecs = {
	full: {type: 'boolean'},
	incremental: {type: 'boolean'},
	latestOnly: {type: 'boolean'},
	folder: {type: 'string'},
	connections: {type: 'number'},
	json: {type: 'boolean', default: false},
	accept: {type: 'boolean'},
	profile: {type: 'string'},
	ascii: {type: 'boolean', default: false},
	help: {type: 'boolean', default: false},
	version: {type: 'boolean', default: false},
} as const;

type Name = keyof typeof flagSpecs;

/** The flags as cli.tsx reads them: a switch not given is undefined, so that the setting applies. */
export type Flags = {
	full?: boolean;
	incremental?: boolean;
	latestOnly?: boolean;
	folder?: string;
	connections?: number;
	json: boolean;
	/** `packrat guard --accept`. */
	accept?: boolean;
	profile?: string;
	ascii: boolean;
	help: boolean;
	version: boolean;
};

export type Parsed = {input: string[]; flags: Flags};

/** A command line packrat does not take; the message is the one line to print. */
export class UsageError extends Error {}

const kebab = (name: string) => name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
const byOption = new Map<string, Name>(Object.keys(flagSpecs).map(name => [kebab(name), name as Name]));
const see = '; see packrat --help';

/** The words and flags of a command line; throws a UsageError. */
export function readArgs(argv: readonly string[]): Parsed {
	const input: string[] = [];
	const flags: Record<string, unknown> = {};
	for (let index = 0; index < argv.length; index++) {
		const word = argv[index]!;
		if (word === '--') {
			input.push(...argv.slice(index + 1));
			break;
		}

		// `-` (read stdin) and negative numbers are words, not flags.
		if (!word.startsWith('-') || word === '-' || /^-\d/.test(word)) {
			input.push(word);
			continue;
		}

		const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(word);
		if (!match) throw new UsageError(`unknown option ${word}${see}`);
		const [, option, inline] = match as unknown as [string, string, string | undefined];
		let name = byOption.get(option);
		const negated = name === undefined && option.startsWith('no-');
		if (negated) name = byOption.get(option.slice(3));
		if (name === undefined) throw new UsageError(`unknown option --${option}${see}`);
		if (Object.hasOwn(flags, name)) throw new UsageError(`--${kebab(name)} is given twice${see}`);
		const spec: {type: string} = flagSpecs[name];
		if (spec.type === 'boolean') {
			if (inline !== undefined) throw new UsageError(`--${option} takes no value (got ${JSON.stringify(inline)})${see}`);
			flags[name] = !negated;
			continue;
		}

		if (negated) throw new UsageError(`unknown option --${option}${see}`);
		const value = inline ?? argv[++index];
		if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${option} needs a value${see}`);
		if (spec.type === 'number' && !/^\d{1,6}$/.test(value)) throw new UsageError(`--${option} must be a whole number (got ${JSON.stringify(value)})`);
		flags[name] = spec.type === 'number' ? Number(value) : value;
	}

	for (const [name, spec] of Object.entries(flagSpecs)) {
		if ('default' in spec && !Object.hasOwn(flags, name)) flags[name] = spec.default;
	}

	return {input, flags: flags as Flags};
}
