/**
 * `packrat restore PATH [--version N | --at "YYYY-MM-DD HH:MM"] [--to DIR] [--json]`: copies a
 * version of a file, or a folder as it stood at a time, out of the backup folder into DIR
 * (default `./packrat-restore`), which receives the last name of PATH. Prints each file restored
 * and where it went (a name already taken gets a suffix, and says so); `--json` one document.
 * Exit 0 everything restored, 1 something not restored or not found, 2 bad usage or settings.
 * Lines are built from the raw names and escaped on their way out (commands/out.ts).
 */
import {relative} from 'node:path';
import {jsonLine} from '../backup/names.js';
import {bytes} from '../format.js';
import {restore, type RestoreResult, type Restored} from '../restore/restore.js';
import {isoTime, localTime, parseAt} from '../restore/times.js';
import {backupPath, type BackupPathFlags} from './backup-path.js';
import {escapedOut, exitCode, type Out} from './out.js';
import {skippedLines} from './versions.js';

export type RestoreFlags = BackupPathFlags & {json: boolean; version?: number; at?: string; to?: string};

/** A path to show: relative to the working folder when it lies below it. */
function nearby(path: string): string {
	const near = relative(process.cwd(), path);
	return near && !near.startsWith('..') ? near : path;
}

/** The server path of a restored file: the root, then its path below the root. */
const onServer = (root: string, path: string) => `${root === '/' ? '' : root}/${path}`;

function restoredLine(root: string, item: Restored): string {
	const clash = item.taken ? ` (${nearby(item.taken)} was already there)` : '';
	return `Restored ${onServer(root, item.path)} (${localTime(item.mtime)}, ${bytes(item.size)}) to ${nearby(item.to)}${clash}`;
}

function summaryLine(shown: string, result: RestoreResult): string {
	const count = result.restored.length;
	const total = result.restored.reduce((sum, item) => sum + item.size, 0);
	const failed = result.failed.length > 0 ? `; ${result.failed.length} not restored` : '';
	const when = result.asOf === undefined ? '' : ` as it stood at ${localTime(result.asOf)}`;
	return `Restored ${count} ${count === 1 ? 'file' : 'files'} (${bytes(total)}) of ${shown}${when} to ${nearby(result.top)}${failed}`;
}

function resultJson(root: string, shown: string, result: RestoreResult) {
	return {
		path: shown, kind: result.kind, ...(result.version === undefined ? {} : {version: result.version}), ...(result.asOf === undefined ? {} : {asOf: isoTime(result.asOf)}), to: result.top,
		restored: result.restored.map(item => ({path: onServer(root, item.path), from: item.from, to: item.to, size: item.size, modified: isoTime(item.mtime), ...(item.taken ? {taken: item.taken} : {})})),
		failed: result.failed.map(item => ({path: onServer(root, item.path), reason: item.reason})), skipped: result.skipped,
	};
}

/** `packrat restore`: a line for each file restored, or with --json one document. */
export async function restoreCommand(flags: RestoreFlags, raw: Out): Promise<number> {
	const out = escapedOut(raw, flags.json);
	return exitCode(out, async () => {
		const {path, root, backup} = await backupPath(flags);
		const at = flags.at === undefined ? undefined : parseAt(flags.at);
		const result = await restore({backup, parts: path.parts, folder: path.folder, version: flags.version, at, to: flags.to ?? 'packrat-restore', shown: path.shown});
		if (flags.json) {
			out.line(jsonLine(resultJson(root, path.shown, result)));
		} else {
			for (const item of result.restored) out.line(restoredLine(root, item));
			if (result.kind === 'folder') out.line(summaryLine(path.shown, result));
		}

		for (const line of skippedLines(result.skipped)) out.error(line);
		for (const item of result.failed) out.error(`Not restored: ${onServer(root, item.path)}: ${item.reason}`);
		return result.failed.length > 0 ? 1 : 0;
	});
}
