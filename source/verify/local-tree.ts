/**
 * The backup side of a verify: which tree is compared (the mirror, or the newest complete
 * snapshot in Full mode), and the files in it that the server no longer holds. Symlinks are
 * never followed; packrat's own files, older copies kept beside a file, and (in the mirror)
 * Full snapshots are not files of the server and are never called extra.
 */
import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {PackratError} from '../backup/errors.js';
import {readHistory} from '../backup/history.js';
import {isReserved} from '../backup/reserved.js';
import {completeSnapshots} from '../backup/snapshots.js';
import {splitExtension} from '../backup/versions.js';
import type {Mode} from '../backup/events.js';

export const verifyName = 'packrat-verify.tsv';

export type VerifyTarget = {root: string; snapshot?: string};

/** The tree to compare: the backup folder itself, or its newest complete snapshot. */
export async function verifyTarget(backupFolder: string, mode: Mode): Promise<VerifyTarget> {
	if (mode === 'incremental') return {root: backupFolder};
	const snapshot = (await completeSnapshots(backupFolder, await readHistory(backupFolder))).at(-1);
	if (!snapshot) {
		throw new PackratError(`the backup folder ${backupFolder} holds no complete Full snapshot to verify: run a Full backup first (packrat run --full), or verify the mirror with mode incremental`, 'local');
	}

	return {root: join(backupFolder, snapshot), snapshot};
}

const snapshotName = /^\d{4}-\d{2}-\d{2} \d{6}(\.incomplete)?$/;
const olderCopy = / \(\d{4}-\d{2}-\d{2} \d{6}(?: \d+)?\)$/;

/** True for an older copy kept beside a file: `Plan v2 (2026-11-20 030000).dh`. */
export function isOlderCopy(name: string): boolean {
	return olderCopy.test(splitExtension(name)[0]);
}

export type ExtraOptions = {
	/** Every path (parts joined with `/`) the server listed, files and folders. */
	known: ReadonlySet<string>;
	/** Folders the server could not list: what lies below them is not judged. */
	unlisted: ReadonlySet<string>;
};

/** Regular files below `root` that the server does not hold, as paths joined with `/`, sorted. */
export async function extraFiles(root: string, options: ExtraOptions): Promise<string[]> {
	const extra: string[] = [];
	const folders: string[] = [''];
	for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
		let entries;
		try {
			entries = await readdir(folder === '' ? root : join(root, folder), {withFileTypes: true});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT' && folder === '') return [];
			throw error;
		}

		for (const entry of entries) {
			const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
			if (options.known.has(path) && !entry.isDirectory()) continue;
			if (folder === '' && isReserved(entry.name)) continue;
			if (entry.isDirectory()) {
				if (options.unlisted.has(path)) continue;
				if (folder === '' && snapshotName.test(entry.name) && !options.known.has(path)) continue;
				folders.push(path);
			} else if (entry.isFile() && !isOlderCopy(entry.name)) {
				extra.push(path);
			}
		}
	}

	return extra.sort();
}
