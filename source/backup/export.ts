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
 * Where writeTsv puts rows before a write: one buffer for the whole file. Rows built up into a
 * string of a megabyte lived through several young-generation collections and were moved to the
 * old one: at 100,000 files the export and the scan record left about 50 MiB of garbage there as
 * the run ended, its peak RSS (`npm run bench`'s scale-100k).
 */
const chunkBytes = 256 * 1024;

/**
 * Write a TSV file atomically (a temporary file in the same folder, synced, then renamed over
 * the old one), a chunk at a time: rows are formatted as they are written, never all held, each
 * encoded into one buffer that is written when full.
 */
export async function writeTsv<Row>(path: string, columns: readonly string[], rows: Iterable<Row>, format: (row: Row) => string): Promise<number> {
	const temporary = `${path}.${process.pid}.tmp`;
	await rm(temporary, {force: true});
	const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
	let count = 0;
	try {
		const buffer = Buffer.allocUnsafe(chunkBytes);
		let used = buffer.write(`${columns.join('\t')}\n`);
		for (const row of rows) {
			const line = `${format(row)}\n`;
			count++;
			// A UTF-16 unit is at most 3 bytes of UTF-8 (a pair of them 4): room checked before writing.
			if (line.length * 3 > chunkBytes - used) {
				await writeAll(handle, buffer.subarray(0, used));
				used = 0;
				if (line.length * 3 > chunkBytes) {
					await writeAll(handle, Buffer.from(line));
					continue;
				}
			}

			used += buffer.write(line, used);
		}

		await writeAll(handle, buffer.subarray(0, used));
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

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
	while (data.length > 0) data = data.subarray((await handle.write(data)).bytesWritten);
}
