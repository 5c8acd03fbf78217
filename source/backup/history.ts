/**
 * The run history, one JSON line per run in `.packrat/history.jsonl`: the source of "last
 * successful backup", of the snapshots a Full run made, and of `packrat status` with no window.
 */
import {appendFile, lstat} from 'node:fs/promises';
import {join} from 'node:path';
import {appendNoFollow} from './logs.js';
import {readNoFollow} from './no-follow.js';
import {isBackup, type Summary} from './events.js';

export const stateFolderName = '.packrat';

export function historyPath(backupFolder: string): string {
	return join(backupFolder, stateFolderName, 'history.jsonl');
}

export async function appendHistory(backupFolder: string, summary: Summary): Promise<void> {
	await appendFile(historyPath(backupFolder), `${JSON.stringify(summary)}\n`, appendNoFollow);
}

/** Every run recorded in the folder, oldest first; a damaged line is passed over. */
export async function readHistory(backupFolder: string): Promise<Summary[]> {
	let text: string;
	try {
		// Never through a symlink: neither `.packrat` nor the history itself is followed.
		if (!(await lstat(join(backupFolder, stateFolderName))).isDirectory()) return [];
		text = await readNoFollow(historyPath(backupFolder));
	} catch {
		return [];
	}

	const runs: Summary[] = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			runs.push(JSON.parse(line) as Summary);
		} catch {
			// A line cut short by a crash: the others still count.
		}
	}

	return runs;
}

/** The last run that counts as a backup: Done, or Done with errors. */
export function lastSuccess(runs: readonly Summary[]): Summary | undefined {
	return runs.findLast(run => isBackup(run));
}
