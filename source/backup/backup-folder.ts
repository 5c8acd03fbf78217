/**
 * The backup folder at the start of a run: made when missing (one level only), writable, and
 * holding packrat's state folder `.packrat/` and `.packrat/partial/` as real folders. Each is
 * looked at with lstat before anything is made inside it, and so are the lock and the history
 * in it: a symlink there is refused, never followed, so nothing is ever made, written or read
 * outside the backup folder through one. Also the names of packrat's own files at its top.
 */
import type {Stats} from 'node:fs';
import {access, constants, lstat, mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {PackratError} from './errors.js';
import {exportName} from './export.js';
import {stateFolderName} from './history.js';
import {errorLogName, keptRotations, transferLogName} from './logs.js';

/** packrat's own files at the top of the backup folder: the logs, their rotations, the export. */
export const ownFileNames: readonly string[] = [
	...[transferLogName, errorLogName].flatMap(name => [name, ...Array.from({length: keptRotations}, (_, index) => `${name}.${index + 1}`)]),
	exportName,
];

function refuseSymlink(path: string, stat: Stats | undefined): void {
	if (stat?.isSymbolicLink()) {
		throw new PackratError(`${path} is a symlink, and packrat never writes through a link in the backup folder: remove it (packrat makes a new one)`, 'local');
	}
}

/** Make `path` owner-only when missing; then it must be a real folder: a symlink is refused. */
async function stateFolder(path: string): Promise<void> {
	// mkdir never follows a symlink at the last component: one there is EEXIST, then looked at.
	await mkdir(path, {mode: 0o700}).catch((error: NodeJS.ErrnoException) => {
		if (error.code !== 'EEXIST') throw error;
	});
	const stat = await lstat(path);
	refuseSymlink(path, stat);
	if (!stat.isDirectory()) throw Object.assign(new Error(`${path} is not a folder`), {code: 'ENOTDIR'});
}

/** Check that the backup folder exists (making it if needed) and can be written; returns its state folder. */
export async function prepareFolder(folder: string): Promise<string> {
	try {
		// Made when missing, but only one level: a missing parent often means an unmounted disk.
		await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
			if (error.code !== 'EEXIST') throw error;
		});
		await access(folder, constants.W_OK);
		const state = join(folder, stateFolderName);
		await stateFolder(state);
		for (const name of ['lock', 'history.jsonl']) refuseSymlink(join(state, name), await lstat(join(state, name)).catch(() => undefined));
		await stateFolder(join(state, 'partial'));
		return state;
	} catch (error) {
		if (error instanceof PackratError) throw error;
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new PackratError(`the backup folder ${folder} does not exist, nor does the folder it would be made in (is the disk mounted?): choose another with --folder or packrat config set backupFolder DIR`, 'config', 'backupFolder');
		}

		throw new PackratError(
			`the backup folder ${folder} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): choose another with --folder or packrat config set backupFolder DIR`,
			'config',
			'backupFolder',
		);
	}
}
