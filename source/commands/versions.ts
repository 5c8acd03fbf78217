/**
 * `packrat versions PATH [--json]`: every version of a file held in the backup folder, newest
 * first, numbered for `packrat restore --version N`; for a folder, the times it can be restored
 * to. Exit 0 found, 1 not in the backup, 2 bad usage or settings. Lines are built from the raw
 * names and escaped on their way out (commands/out.ts).
 */
import {jsonLine} from '../backup/names.js';
import {bytes} from '../format.js';
import {catalogue, type FileCatalog, type FileVersion, type FolderCatalog} from '../restore/catalog.js';
import {NotFoundError} from '../restore/restore.js';
import type {Skipped} from '../restore/places.js';
import {isoTime, localTime} from '../restore/times.js';
import {backupPath, type BackupPathFlags} from './backup-path.js';
import {escapedOut, exitCode, type Out} from './out.js';

export type VersionsFlags = BackupPathFlags & {json: boolean};

/** A version as `--json` gives it. */
export function versionJson(version: FileVersion) {
	return {
		number: version.number, size: version.size, modified: isoTime(version.mtime), where: version.where, place: version.place,
		...(version.snapshot ? {snapshot: version.snapshot} : {}), also: version.also, shared: version.shared,
	};
}

/** Rows of columns, each column as wide as its widest cell; the last is not padded. */
export function table(rows: ReadonlyArray<readonly string[]>, right: readonly number[] = []): string[] {
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => [...row[column]!].length)));
	return rows.map(row => `  ${row.map((cell, column) => (column === row.length - 1 ? cell : right.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ')}`.trimEnd());
}

function where(version: FileVersion): string {
	const more = version.also.length > 0 ? ` (and ${version.also.length} more ${version.also.length === 1 ? 'place' : 'places'})` : '';
	const shared = version.shared ? ' (a cut name another file beginning alike may own)' : '';
	return `${version.where}${more}${shared}`;
}

function fileLines(found: FileCatalog, shown: string, backup: string): string[] {
	const count = found.versions.length;
	return [
		`${shown}: ${count} ${count === 1 ? 'version' : 'versions'} in ${backup}`,
		...table([['#', 'Modified', 'Size', 'Where'], ...found.versions.map(version => [String(version.number), localTime(version.mtime), bytes(version.size), where(version)])], [0, 2]),
	];
}

function folderLines(found: FolderCatalog, shown: string, backup: string): string[] {
	const count = found.times.length;
	return [
		`${shown.endsWith('/') ? shown : `${shown}/`}: ${found.files.size} ${found.files.size === 1 ? 'file' : 'files'}, ${count} ${count === 1 ? 'time' : 'times'} to restore to, in ${backup}`,
		...(count === 0 ? [] : table([['#', 'As of', 'Files', 'Size'], ...found.times.map(time => [String(time.number), localTime(time.mtime), String(time.files), bytes(time.bytes)])], [0, 2, 3])),
	];
}

export function skippedLines(skipped: readonly Skipped[]): string[] {
	return skipped.map(item => `Skipped ${item.where}: ${item.reason}`);
}

/** `packrat versions`: the table, or with --json one document. */
export async function versionsCommand(flags: VersionsFlags, raw: Out): Promise<number> {
	const out = escapedOut(raw, flags.json);
	return exitCode(out, async () => {
		const {path, backup} = await backupPath(flags);
		const found = await catalogue(backup, path.parts, path.folder);
		for (const line of skippedLines(found?.skipped ?? [])) out.error(line);
		if (!found || (found.kind === 'file' && found.versions.length === 0)) throw new NotFoundError(`${path.shown} is not in the backup folder ${backup}`);
		if (flags.json) {
			const common = {path: path.shown, kind: found.kind, backupFolder: backup};
			const skipped = found.skipped;
			out.line(jsonLine(found.kind === 'file'
				? {...common, versions: found.versions.map(versionJson), skipped}
				: {
						...common,
						times: found.times.map(time => ({number: time.number, modified: isoTime(time.mtime), files: time.files, bytes: time.bytes})),
						files: [...found.files].map(([file, versions]) => ({path: file, versions: versions.map(versionJson)})),
						skipped,
					}));
			return 0;
		}

		for (const line of found.kind === 'file' ? fileLines(found, path.shown, backup) : folderLines(found, path.shown, backup)) out.line(line);
		return 0;
	});
}
