/**
 * The command line, read here with no parser library: packrat's words and flags are few, and a
 * library (meow, with yargs-parser and its reading of package.json) cost about 45 ms of CPU, a
 * third of a headless start-up. The first word names the command, and each command takes its own
 * flags (`commands`), before or after its words; before the command word, packrat's own flags
 * (`--profile`, `--ascii`, `--help`, `--version`) are taken too. So `--version` is resolved by
 * where it stands: `packrat --version` is the switch that prints packrat's version, `packrat
 * restore PATH --version 2` the number of a version. A flag is `--name`, `--no-name` (a switch),
 * `--name VALUE` or `--name=VALUE`, and `--` ends the flags. Anything else (an unknown flag for
 * that command, a repeated one, a missing or malformed value, words the command does not take) is
 * a UsageError: one line, with the command's usage, exit 2.
 */
type Spec =
	| {type: 'boolean'}
	| {type: 'string'}
	/** `option`: the flag's name on the command line, where it is not the property's. */
	| {type: 'number'; pattern: RegExp; must: string; max?: number; option?: string; /** Words taken in place of a number (`auto`). */ words?: readonly string[]};

export const flagSpecs = {
	full: {type: 'boolean'},
	incremental: {type: 'boolean'},
	latestOnly: {type: 'boolean'},
	folder: {type: 'string'},
	connections: {type: 'number', pattern: /^\d{1,6}$/, must: 'a whole number or auto', words: ['auto']},
	json: {type: 'boolean'},
	accept: {type: 'boolean'},
	profile: {type: 'string'},
	ascii: {type: 'boolean'},
	help: {type: 'boolean'},
	version: {type: 'boolean'},
	sample: {type: 'number', pattern: /^\d+(\.\d+)?$/, max: 100, must: 'a percentage from 0 to 100'},
	versionNumber: {type: 'number', pattern: /^[1-9]\d{0,8}$/, must: 'a version number from packrat versions', option: 'version'},
	at: {type: 'string'},
	to: {type: 'string'},
} satisfies Record<string, Spec>;

type Name = keyof typeof flagSpecs;

/** The flags as cli.tsx reads them: a switch not given is undefined, so that the setting applies. */
export type Flags = {
	full?: boolean;
	incremental?: boolean;
	latestOnly?: boolean;
	folder?: string;
	connections?: number | 'auto';
	json: boolean;
	/** `packrat guard --accept`. */
	accept?: boolean;
	profile?: string;
	ascii: boolean;
	help: boolean;
	/** packrat's version, the switch. */
	version: boolean;
	/** verify: the share of files compared byte for byte. */
	sample?: number;
	/** restore: `--version N`, a number from `packrat versions`. */
	versionNumber?: number;
	at?: string;
	to?: string;
};

export type Parsed = {input: string[]; flags: Flags};

/** A command line packrat does not take; the message is the one line to print. */
export class UsageError extends Error {}

type Command = {flags: readonly Name[]; words: 'none' | 'path' | 'any'; usage?: string; excludes?: readonly [Name, Name]};

const common = ['json', 'folder', 'profile', 'help'] as const;

/** Each command's flags and words; `usage` is the line printed for its --help and its errors. */
export const commands = {
	run: {flags: ['full', 'incremental', 'latestOnly', 'connections', ...common], words: 'none', excludes: ['full', 'incremental']},
	now: {flags: ['profile', 'help'], words: 'none'},
	cancel: {flags: ['profile', 'help'], words: 'none'},
	status: {flags: ['json', 'profile', 'help'], words: 'none'},
	config: {flags: ['profile', 'help'], words: 'any', usage: 'usage: packrat config path | get [KEY] | set KEY VALUE | unset KEY'},
	guard: {flags: ['accept', ...common], words: 'none', usage: 'usage: packrat guard [--accept] [--json] [--folder DIR] [--profile NAME]'},
	verify: {flags: ['sample', ...common], words: 'none', usage: 'usage: packrat verify [--sample PERCENT] [--json] [--folder DIR] [--profile NAME]'},
	versions: {flags: common, words: 'path', usage: 'usage: packrat versions PATH [--json] [--folder DIR] [--profile NAME]'},
	restore: {
		flags: ['versionNumber', 'at', 'to', ...common],
		words: 'path',
		excludes: ['versionNumber', 'at'],
		usage: 'usage: packrat restore PATH [--version N | --at "YYYY-MM-DD HH:MM"] [--to DIR] [--json] [--folder DIR] [--profile NAME]',
	},
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;

/** packrat's own flags: the window's, and taken before any command word. */
const own: readonly Name[] = ['profile', 'ascii', 'help', 'version'];

const kebab = (name: string) => name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
const optionOf = (name: Name): string => {
	const spec: Spec = flagSpecs[name];
	return spec.type === 'number' && spec.option !== undefined ? spec.option : kebab(name);
};

/** Option → flag, the first name listed winning: before the command word, `--version` is packrat's own. */
function byOption(names: readonly Name[]): Map<string, Name> {
	const map = new Map<string, Name>();
	for (const name of names) if (!map.has(optionOf(name))) map.set(optionOf(name), name);
	return map;
}

const beforeCommand = byOption([...own, ...Object.values(commands).flatMap(command => command.flags)]);

const isCommand = (word: string): word is CommandName => Object.hasOwn(commands, word);

/** What a refusal ends with: the command's usage, or where to read it. */
const hint = (command?: CommandName) => `; ${(command && (commands[command] as Command).usage) ?? 'see packrat --help'}`;

/** The usage line of a command, for its --help; undefined where packrat --help is its usage. */
export function usageOf(command: string | undefined): string | undefined {
	return command !== undefined && isCommand(command) ? (commands[command] as Command).usage : undefined;
}

/** The value of a flag that takes one, checked; throws a UsageError. */
function valueOf(name: Name, value: string): string | number {
	const spec: Spec = flagSpecs[name];
	if (spec.type !== 'number' || spec.words?.includes(value)) return value;
	if (!spec.pattern.test(value) || Number(value) > (spec.max ?? Infinity)) throw new UsageError(`--${optionOf(name)} must be ${spec.must} (got ${JSON.stringify(value)})`);
	return Number(value);
}

/** What the command's words, or its two flags given together, break; undefined when nothing. */
function wordsProblem(command: CommandName | undefined, words: string[], flags: Flags): string | undefined {
	if (command === undefined) return undefined;
	const {words: takes, excludes} = commands[command] as Command;
	if (takes === 'none' && words.length > 0) return `${command} takes no words (got ${JSON.stringify(words.join(' '))})${hint(command)}`;
	if (takes === 'path' && words.length === 0) return `give the PATH of a file or folder, as on the server${hint(command)}`;
	if (takes === 'path' && words.length > 1) return `one PATH at a time (got ${words.length}; quote a path with spaces)${hint(command)}`;
	if (excludes && excludes.every(name => flags[name] !== undefined && flags[name] !== false)) return `--${optionOf(excludes[0])} and --${optionOf(excludes[1])} exclude each other: give one`;
	return undefined;
}

/**
 * The command line as packrat takes it: read by readArgs, then the command's words (none, one
 * PATH, or config's own) and the flags it takes only one of checked; throws a UsageError.
 */
export function readCommandLine(argv: readonly string[]): Parsed {
	const parsed = readArgs(argv);
	const {input, flags} = parsed;
	const problem = flags.help || flags.version ? undefined : wordsProblem(input[0] as CommandName | undefined, input.slice(1), flags);
	if (problem) throw new UsageError(problem);
	return parsed;
}

/** The flags of a command line and its words, the command word first; throws a UsageError. */
export function readArgs(argv: readonly string[]): Parsed {
	const input: string[] = [];
	const flags: Record<string, unknown> = {};
	const commandOf = () => input[0] as CommandName | undefined;
	let options = beforeCommand;
	const word = (text: string) => {
		if (input.length === 0) options = enter(text, flags);
		input.push(text);
	};

	for (let index = 0; index < argv.length; index++) {
		const token = argv[index]!;
		if (token === '--') {
			for (const rest of argv.slice(index + 1)) word(rest);
			break;
		}

		// `-` (read stdin) and negative numbers are words, not flags.
		if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
			word(token);
			continue;
		}

		const see = hint(commandOf());
		const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(token);
		if (!match) throw new UsageError(`unknown option ${token}${see}`);
		const [, option, inline] = match as unknown as [string, string, string | undefined];
		let name = options.get(option);
		const negated = name === undefined && option.startsWith('no-');
		if (negated) name = options.get(option.slice(3));
		if (name === undefined) throw new UsageError(`unknown option --${option}${see}`);
		if (Object.hasOwn(flags, name)) throw new UsageError(`--${optionOf(name)} is given twice${see}`);
		if (flagSpecs[name].type === 'boolean') {
			if (inline !== undefined) throw new UsageError(`--${option} takes no value (got ${JSON.stringify(inline)})${see}`);
			flags[name] = !negated;
			continue;
		}

		if (negated) throw new UsageError(`unknown option --${option}${see}`);
		const value = inline ?? argv[++index];
		if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${option} needs a value${see}`);
		flags[name] = valueOf(name, value);
	}

	if (input.length === 0) strayFlag(flags, own, 'the Backup window');
	for (const name of ['json', 'ascii', 'help', 'version']) flags[name] ??= false;
	return {input, flags: flags as Flags};
}

/** The command named by the first word, the flags read before it checked: its options from then on. */
function enter(word: string, flags: Record<string, unknown>): Map<string, Name> {
	if (!isCommand(word)) throw new UsageError(`unknown command ${JSON.stringify(word)}; see packrat --help`);
	strayFlag(flags, [...own, ...commands[word].flags], word, word);
	return byOption(commands[word].flags);
}

/** Refuse a flag read that `who` does not take. */
function strayFlag(flags: Record<string, unknown>, allowed: readonly Name[], who: string, command?: CommandName): void {
	const stray = Object.keys(flags).find(name => !allowed.includes(name as Name));
	if (stray !== undefined) throw new UsageError(`${who} takes no --${optionOf(stray as Name)}${hint(command)}`);
}
