/**
 * The flags of the command line, for meow, and a quick reading of the plain command lines that
 * start packrat most often: `packrat run …` from cron and systemd, and `packrat …` that opens
 * the window. meow (with its package.json reading and yargs-parser) costs about 45 ms of CPU, a
 * third of a headless start-up, so a line whose words are all plain (`run` or nothing, then
 * known flags as `--name`, `--no-name`, `--name VALUE` or `--name=VALUE`) is read here; anything
 * else (help, version, an unknown or repeated flag, a stray word, a value that is not plain)
 * goes to meow, which gives its own answer or error. test/commands/args.test.ts checks that both
 * read every plain line alike.
 */
export const flagSpecs = {
	full: {type: 'boolean'},
	incremental: {type: 'boolean'},
	latestOnly: {type: 'boolean'},
	folder: {type: 'string'},
	connections: {type: 'number'},
	json: {type: 'boolean', default: false},
	profile: {type: 'string'},
	ascii: {type: 'boolean', default: false},
} as const;

type Specs = typeof flagSpecs;
type Name = keyof Specs;

/** What the rest of cli.tsx reads of meow's result. */
export type Flags = {
	full?: boolean;
	incremental?: boolean;
	latestOnly?: boolean;
	folder?: string;
	connections?: number;
	json: boolean;
	profile?: string;
	ascii: boolean;
};

export type Parsed = {input: string[]; flags: Flags};

const kebab = (name: string) => name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
const byOption = new Map<string, Name>(Object.keys(flagSpecs).map(name => [kebab(name), name as Name]));
const plainValue = /^[^-\s]/;

/** `packrat run …` or the window's `packrat …` read without meow, or undefined when meow should read it. */
export function quickArgs(argv: readonly string[]): Parsed | undefined {
	const input = argv[0] === 'run' ? ['run'] : [];
	const flags: Record<string, unknown> = {};
	for (let index = input.length; index < argv.length; index++) {
		const word = argv[index]!;
		const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(word);
		if (!match) return undefined;
		const [, option, inline] = match as unknown as [string, string, string | undefined];
		let name = byOption.get(option);
		let negated = false;
		if (name === undefined && option.startsWith('no-')) {
			name = byOption.get(option.slice(3));
			negated = true;
		}

		if (name === undefined || Object.hasOwn(flags, name)) return undefined;
		const spec: {type: string} = flagSpecs[name];
		if (spec.type === 'boolean') {
			if (inline !== undefined) return undefined;
			flags[name] = !negated;
			continue;
		}

		if (negated) return undefined;
		const value = inline ?? argv[++index];
		if (value === undefined || !plainValue.test(value)) return undefined;
		if (spec.type === 'number') {
			if (!/^(0|[1-9]\d{0,5})$/.test(value)) return undefined;
			flags[name] = Number(value);
		} else {
			flags[name] = value;
		}
	}

	for (const [name, spec] of Object.entries(flagSpecs)) {
		if ('default' in spec && !Object.hasOwn(flags, name)) flags[name] = spec.default;
	}

	return {input, flags: flags as Flags};
}
