/**
 * `.packrat/last-scan.tsv`: what the server held at the last run whose listing was whole, one row
 * per file (size, modification time in seconds, remote path escaped as in the export): the
 * yardstick of the mass-change guard (guard.ts).
 *
 * Its own record rather than the previous run's export: the export lies at the top of the backup
 * folder in Incremental mode but inside the newest snapshot in Full mode (a snapshot that pruning
 * or a person may remove, and a different place when the mode changed between runs), and it
 * holds the columns of a report. This one has a single place whatever the mode, the three fields
 * the guard compares, and is written by every run that listed the whole tree. It is read whole
 * (a 6 MB record at 100,000 files, beside a scan that holds far more), and the run's own scan is
 * indexed by a Map of its paths.
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

/** Write the record of this scan atomically (a temporary file, then a rename over the old one). */
export async function writeScanRecord(backupFolder: string, files: readonly RemoteFile[]): Promise<number> {
	return writeTsv(scanRecordPath(backupFolder), columns, files, file => `${file.size}\t${file.mtime}\t${escapeControl(file.path)}`);
}

/** Of the files in the record (`total`): those whose size or time differ now (`changed`), and those not on the server now (`vanished`). */
export type Difference = {total: number; changed: number; vanished: number};

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
		const now = new Map<string, RemoteFile>();
		for (const file of files) now.set(escapeControl(file.path), file);
		const found: Difference = {total: 0, changed: 0, vanished: 0};
		// Read whole (6 MB for 100,000 files, less than the scan itself holds): a line at a time
		// through an async iterator cost more than the comparing.
		const [head, ...lines] = (await handle.readFile('utf8')).split('\n');
		if (head !== columns.join('\t')) throw new Error(`${path} is not packrat's record of a scan`);
		for (const line of lines) {
			const [size, mtime, remote] = line.split('\t');
			if (remote === undefined) continue; // A line cut short (or the last, empty): the rest still count.
			found.total++;
			const file = now.get(remote);
			if (!file) found.vanished++;
			else if (String(file.size) !== size || String(file.mtime) !== mtime) found.changed++;
		}

		return found;
	} finally {
		await handle.close();
	}
}
