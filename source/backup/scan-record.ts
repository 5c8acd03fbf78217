/**
 * `.packrat/last-scan.tsv`: what the server held at the last run whose listing was whole, one row
 * per file (size, modification time in seconds, remote path escaped as in the export): the
 * yardstick of the mass-change guard (guard.ts).
 *
 * Its own record rather than the previous run's export: the export lies at the top of the backup
 * folder in Incremental mode but inside the newest snapshot in Full mode (a snapshot that pruning
 * or a person may remove, and a different place when the mode changed between runs), and it
 * holds the columns of a report. This one has a single place whatever the mode, the three fields
 * the guard compares, and is written by every run that listed the whole tree (unless it holds
 * exactly that tree already, rows in another order aside). It is read whole (a 6 MB record at
 * 100,000 files, beside a scan that holds far more), and the run's own scan is indexed by a Map
 * of its paths.
 */
import {constants} from 'node:fs';
import {open} from 'node:fs/promises';
import {join} from 'node:path';
import {writeTsv} from './export.js';
import {stateFolderName} from './history.js';
import type {RemoteFile} from './listing.js';
import {escapeControl} from './names.js';

export const scanRecordName = 'last-scan.tsv';
const columns = ['size', 'modified', 'path'] as const;

export function scanRecordPath(backupFolder: string): string {
	return join(backupFolder, stateFolderName, scanRecordName);
}

/**
 * The scans found to hold exactly what the record holds (compareWithRecord), by the record's path:
 * writing the same record again would change nothing but the order of its rows.
 */
const unchanged = new WeakMap<readonly RemoteFile[], string>();

/**
 * Write the record of this scan atomically (a temporary file, then a rename over the old one);
 * nothing to write when compareWithRecord found the record holding exactly these files.
 */
export async function writeScanRecord(backupFolder: string, files: readonly RemoteFile[]): Promise<number> {
	if (unchanged.get(files) === scanRecordPath(backupFolder)) return files.length;
	return writeTsv(scanRecordPath(backupFolder), columns, files, file => `${file.size}\t${file.mtime}\t${escapeControl(file.path)}`);
}

/** Of the files in the record (`total`): those whose size or time differ now (`changed`), and those not on the server now (`vanished`). */
export type Difference = {total: number; changed: number; vanished: number};

/** Whether `text` from `start` to `end` is `value` as String() writes it, without making the string. */
function sameNumber(text: string, start: number, end: number, value: number): boolean {
	// Up to 15 digits the sum below is exact.
	if (!Number.isSafeInteger(value) || value < 0 || end - start > 15) return text.slice(start, end) === String(value);
	if (end <= start || (text.charCodeAt(start) === 48 && end - start > 1)) return false;
	let found = 0;
	for (let at = start; at < end; at++) {
		const digit = text.charCodeAt(at) - 48;
		if (digit < 0 || digit > 9) return false;
		found = found * 10 + digit;
	}

	return found === value;
}

/**
 * The figures of the record's rows (after its head) against this scan, and whether it holds the
 * scan exactly: these files and nothing else, each once, every row whole. Apart from the async
 * reading, so that V8 optimises a small loop, not the whole of compareWithRecord (twice).
 */
function compareRows(text: string, start: number, files: readonly RemoteFile[]): {found: Difference; exact: boolean} {
	const now = new Map<string, number>();
	for (let index = 0; index < files.length; index++) now.set(escapeControl(files[index]!.path), index);
	const found: Difference = {total: 0, changed: 0, vanished: 0};
	const seen = new Uint8Array(files.length);
	let exact = now.size === files.length && text.endsWith('\n');
	// A row's numbers are compared where they stand, not split out as strings of their own.
	while (start < text.length) {
		const newline = text.indexOf('\n', start);
		const line = text.slice(start, newline < 0 ? text.length : newline);
		start += line.length + 1;
		const sizeEnd = line.indexOf('\t');
		const timeEnd = sizeEnd < 0 ? -1 : line.indexOf('\t', sizeEnd + 1);
		if (timeEnd < 0) {
			// A line cut short (or an empty one): the rest still count.
			exact = false;
			continue;
		}

		const pathEnd = line.indexOf('\t', timeEnd + 1);
		found.total++;
		const index = now.get(pathEnd < 0 ? line.slice(timeEnd + 1) : line.slice(timeEnd + 1, pathEnd));
		const file = index === undefined ? undefined : files[index];
		if (!file) found.vanished++;
		else if (!sameNumber(line, 0, sizeEnd, file.size) || !sameNumber(line, sizeEnd + 1, timeEnd, file.mtime)) found.changed++;
		if (index === undefined || seen[index] || pathEnd >= 0) exact = false;
		else seen[index] = 1;
	}

	return {found, exact: exact && found.total === files.length && found.changed === 0};
}

/**
 * Compare a scan with the record the last run left; undefined when there is none (the first run).
 * A record that is not a regular file (never followed through a symlink) or not packrat's throws.
 */
export async function compareWithRecord(backupFolder: string, files: readonly RemoteFile[]): Promise<Difference | undefined> {
	const path = scanRecordPath(backupFolder);
	let handle;
	try {
		handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}

	try {
		if (!(await handle.stat()).isFile()) throw new Error(`${path} is not a file`);
		// Read whole (6 MB for 100,000 files, less than the scan itself holds): a line at a time
		// through an async iterator cost more than the comparing.
		const text = await handle.readFile('utf8');
		const head = `${columns.join('\t')}\n`;
		if (!text.startsWith(head) && text !== head.slice(0, -1)) throw new Error(`${path} is not packrat's record of a scan`);
		const {found, exact} = compareRows(text, head.length, files);
		if (exact) unchanged.set(files, path);
		return found;
	} finally {
		await handle.close();
	}
}
