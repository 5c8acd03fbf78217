/**
 * `packrat-export.tsv`: one row per file on the server at this run, with a header, every control
 * character inside a field escaped, written atomically at the end of the run. The same writer
 * serves `packrat-verify.tsv`.
 */
import {constants} from 'node:fs';
import {open, rename, rm, type FileHandle} from 'node:fs/promises';
import type {FileStatus} from './events.js';
import {escapeControl} from './names.js';

export const exportName = 'packrat-export.tsv';

export const exportColumns = ['user', 'project', 'version', 'remote path', 'size', 'modified', 'status', 'local path'] as const;

export type ExportRow = {
	user: string;
	project: string;
	version: string;
	remotePath: string;
	size: number;
	/** Seconds since the epoch, or undefined when the server gave none. */
	mtime?: number;
	status: FileStatus;
	localPath: string;
};

/**
 * Backslash, tab, newline and carriage return as `\\`, `\t`, `\n`, `\r`; every other control
 * character (C0, DEL, C1) as `\xNN`, so that no field can end a row or reach a terminal raw.
 */
export function escapeField(value: string): string {
	return escapeControl(value);
}

/** One TSV line (without its newline): each field escaped, joined by tabs. */
export function formatFields(fields: readonly string[]): string {
	return fields.map(escapeField).join('\t');
}

export function formatRow(row: ExportRow): string {
	const modified = row.mtime === undefined ? '' : new Date(row.mtime * 1000).toISOString().replace('.000Z', 'Z');
	return formatFields([row.user, row.project, row.version, row.remotePath, String(row.size), modified, row.status, row.localPath]);
}

/** Write the export atomically (writeTsv). */
export async function writeExport(path: string, rows: Iterable<ExportRow>): Promise<number> {
	return writeTsv(path, exportColumns, rows, formatRow);
}

/**
 * Write a TSV file atomically (a temporary file in the same folder, synced, then renamed over
 * the old one), a chunk at a time: rows are formatted as they are written, never all held.
 */
export async function writeTsv<Row>(path: string, columns: readonly string[], rows: Iterable<Row>, format: (row: Row) => string): Promise<number> {
	const temporary = `${path}.${process.pid}.tmp`;
	await rm(temporary, {force: true});
	const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
	let count = 0;
	try {
		let chunk = `${columns.join('\t')}\n`;
		for (const row of rows) {
			chunk += `${format(row)}\n`;
			count++;
			if (chunk.length >= 1 << 20) {
				await writeAll(handle, chunk);
				chunk = '';
			}
		}

		await writeAll(handle, chunk);
		await handle.sync();
		await handle.close();
	} catch (error) {
		await handle.close().catch(() => undefined);
		await rm(temporary, {force: true});
		throw error;
	}

	await rename(temporary, path);
	return count;
}

async function writeAll(handle: FileHandle, text: string): Promise<void> {
	let data = Buffer.from(text);
	while (data.length > 0) data = data.subarray((await handle.write(data)).bytesWritten);
}
