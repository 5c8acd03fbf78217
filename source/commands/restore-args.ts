/**
 * The words and flags of `packrat versions` and `packrat restore`, read here rather than by
 * meow: `--version N` is theirs, where meow would print packrat's version. The backup folder
 * comes from the settings as for `packrat run` (`--profile NAME`, `--folder DIR` for this once).
 */
import {stat} from 'node:fs/promises';
import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {PackratError} from '../backup/errors.js';
import {escapeControl, normalizeRoot} from '../backup/names.js';
import {NotFoundError} from '../restore/restore.js';
import {serverPath, type ServerPath} from '../restore/server-path.js';
import {parseAt} from '../restore/times.js';
import {readSettings} from '../settings/read.js';

export type Out = {line: (text: string) => void; error: (text: string) => void};

export const usages = {
	versions: 'usage: packrat versions PATH [--json] [--folder DIR] [--profile NAME]',
	restore: 'usage: packrat restore PATH [--version N | --at "YYYY-MM-DD HH:MM"] [--to DIR] [--json] [--folder DIR] [--profile NAME]',
};

export type GetBackArgs = {
	path: ServerPath;
	/** The server root, normalized (`/` or `/data`). */
	root: string;
	backup: string;
	json: boolean;
	version?: number;
	at?: number;
	to: string;
};

const common = {json: {type: 'boolean'}, folder: {type: 'string'}, profile: {type: 'string'}, help: {type: 'boolean', short: 'h'}} as const;
const restoreOnly = {version: {type: 'string'}, at: {type: 'string'}, to: {type: 'string'}} as const;

function usageError(command: keyof typeof usages, message: string): PackratError {
	return new PackratError(`${message}; ${usages[command]}`, 'config');
}

/** Read the words after `versions` or `restore`; undefined for --help (the usage is printed). */
export async function readGetBackArgs(command: keyof typeof usages, argv: readonly string[], out: Out): Promise<GetBackArgs | undefined> {
	let parsed;
	try {
		parsed = parseArgs({args: [...argv], options: command === 'restore' ? {...common, ...restoreOnly} : common, allowPositionals: true, strict: true});
	} catch (error) {
		throw usageError(command, (error as Error).message.split('\n')[0]!.replace(/\.$/, ''));
	}

	const flags = parsed.values as {json?: boolean; folder?: string; profile?: string; help?: boolean; version?: string; at?: string; to?: string};
	if (flags.help) {
		out.line(usages[command]);
		return undefined;
	}

	if (parsed.positionals.length !== 1) throw usageError(command, parsed.positionals.length === 0 ? 'give the PATH of a file or folder, as on the server' : `one PATH at a time (got ${parsed.positionals.length}; quote a path with spaces)`);
	if (flags.version !== undefined && flags.at !== undefined) throw usageError(command, '--version and --at exclude each other: give one');
	if (flags.version !== undefined && !/^[1-9]\d{0,8}$/.test(flags.version)) throw usageError(command, `--version must be a version number from packrat versions (got ${JSON.stringify(flags.version)})`);
	if (flags.to === '') throw usageError(command, '--to needs a folder');

	const settings = readSettings(flags.profile);
	const folder = flags.folder ?? settings.backupFolder;
	if (!folder) throw new PackratError('no backup folder is set: packrat config set backupFolder DIR, or --folder DIR', 'config');
	const backup = resolve(folder);
	const found = await stat(backup).catch(() => undefined);
	if (!found?.isDirectory()) throw new PackratError(`the backup folder ${backup} is not there (is the disk mounted?): check backupFolder or --folder`, 'config');
	const root = normalizeRoot(settings.server.root);
	return {
		path: serverPath(parsed.positionals[0]!, root),
		root,
		backup,
		json: flags.json ?? false,
		...(flags.version === undefined ? {} : {version: Number(flags.version)}),
		...(flags.at === undefined ? {} : {at: parseAt(flags.at)}),
		to: flags.to ?? 'packrat-restore',
	};
}

/** One JSON document on one line, C1 control characters escaped too, so no name reaches a terminal raw (as run.ts does). */
export function jsonLine(value: unknown): string {
	return JSON.stringify(value).replace(/[\u007f-\u009f]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Run a command body with its errors as exit codes: 2 bad usage or settings, 1 not found or anything else. */
export async function exitCode(out: Out, body: () => Promise<number>): Promise<number> {
	try {
		return await body();
	} catch (error) {
		if (error instanceof PackratError) {
			out.error(`packrat: ${escapeControl(error.message)}`);
			return error.code === 'config' ? 2 : 1;
		}

		if (error instanceof NotFoundError) {
			out.error(`packrat: ${escapeControl(error.message)}`);
			return 1;
		}

		const code = (error as NodeJS.ErrnoException).code;
		out.error(`packrat: ${String((error as Error).message ?? error).split('\n')[0]}${code ? ` (${code})` : ''}`);
		return 1;
	}
}
