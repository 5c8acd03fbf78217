/**
 * Full-mode snapshots: `<backup>/<YYYY-MM-DD HHmmss>/`, built as `<stamp>.incomplete` and renamed
 * only when the run succeeds. Only snapshots that the history says packrat completed are ever
 * pruned by `keepSnapshots`; nothing else in the folder is touched.
 */
import {lstat, rm} from 'node:fs/promises';
import {join} from 'node:path';
import type {Summary} from './events.js';

export const incompleteSuffix = '.incomplete';

async function isFolder(path: string): Promise<boolean> {
	try {
		return (await lstat(path)).isDirectory();
	} catch {
		return false;
	}
}

/** Complete snapshots recorded in the history that still exist, oldest first. */
export async function completeSnapshots(backupFolder: string, runs: readonly Summary[]): Promise<string[]> {
	const names = [...new Set(runs.filter(run => run.outcome === 'success' && run.snapshot).map(run => run.snapshot!))];
	const present: string[] = [];
	for (const name of names) {
		if (await isFolder(join(backupFolder, name))) present.push(name);
	}

	return present.sort();
}

/** Remove the oldest complete snapshots beyond `keep` (0 keeps all); returns the names removed. */
export async function pruneSnapshots(backupFolder: string, snapshots: readonly string[], keep: number): Promise<string[]> {
	if (keep <= 0 || snapshots.length <= keep) return [];
	const doomed = snapshots.slice(0, snapshots.length - keep);
	for (const name of doomed) await rm(join(backupFolder, name), {recursive: true, force: true});
	return doomed;
}
