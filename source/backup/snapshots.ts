/**
 * Full-mode snapshots: `<backup>/<YYYY-MM-DD HHmmss>/`, built as `<stamp>.incomplete` and renamed
 * only when the run is Done or Done with errors. Only snapshots that the history says packrat
 * completed are ever pruned by `keepSnapshots`, never the newest one that was Done (whole);
 * nothing else in the folder is touched.
 */
import {lstat, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {isBackup, type Summary} from './events.js';

export const incompleteSuffix = '.incomplete';

async function isFolder(path: string): Promise<boolean> {
	try {
		return (await lstat(path)).isDirectory();
	} catch {
		return false;
	}
}

/** Complete snapshots (Done, or Done with errors) recorded in the history that still exist, oldest first. */
export async function completeSnapshots(backupFolder: string, runs: readonly Summary[]): Promise<string[]> {
	return present(backupFolder, runs.filter(run => isBackup(run)));
}

/** The newest snapshot of a run that was Done, every file in it, if it still exists. */
export async function newestWholeSnapshot(backupFolder: string, runs: readonly Summary[]): Promise<string | undefined> {
	return (await present(backupFolder, runs.filter(run => run.outcome === 'success'))).at(-1);
}

async function present(backupFolder: string, runs: readonly Summary[]): Promise<string[]> {
	const names = [...new Set(runs.filter(run => run.snapshot).map(run => run.snapshot!))];
	const found: string[] = [];
	for (const name of names) {
		if (await isFolder(join(backupFolder, name))) found.push(name);
	}

	return found.sort();
}

/**
 * Remove the oldest complete snapshots beyond `keep` (0 keeps all), but never `whole`, the newest
 * snapshot that was Done; returns the names removed.
 */
export async function pruneSnapshots(backupFolder: string, snapshots: readonly string[], keep: number, whole?: string): Promise<string[]> {
	if (keep <= 0 || snapshots.length <= keep) return [];
	const doomed = snapshots.slice(0, snapshots.length - keep).filter(name => name !== whole);
	for (const name of doomed) await rm(join(backupFolder, name), {recursive: true, force: true});
	return doomed;
}
