/**
 * The lock that keeps two runs off one backup folder: `.packrat/lock`, made with O_EXCL,
 * holding the owner's pid and host. A lock whose process is gone (killed, crashed) is stale and
 * taken over; a live one refuses the second run with a line that names it.
 */
import {hostname} from 'node:os';
import {rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {PackratError} from './errors.js';
import {readNoFollow} from './no-follow.js';

type Owner = {pid: number; host: string; started: string};

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export type Lock = {release: () => Promise<void>; tookOver?: Owner};

export async function acquireLock(stateFolder: string, backupFolder: string): Promise<Lock> {
	const path = join(stateFolder, 'lock');
	const me: Owner = {pid: process.pid, host: hostname(), started: new Date().toISOString()};
	let tookOver: Owner | undefined;
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			await writeFile(path, JSON.stringify(me), {flag: 'wx', mode: 0o600});
			return {
				tookOver,
				release: async () => {
					await rm(path, {force: true});
				},
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}

		let owner: Owner | undefined;
		try {
			owner = JSON.parse(await readNoFollow(path)) as Owner;
		} catch {
			owner = undefined; // Empty or torn (written by a process that died at once), or not a file: never followed.
		}

		if (owner && (owner.host !== me.host || alive(owner.pid))) {
			throw new PackratError(
				`another packrat run (pid ${owner.pid} on ${owner.host}, since ${owner.started}) is using the backup folder ${backupFolder}: wait for it to end, or cancel it`,
				'lock',
			);
		}

		tookOver = owner;
		await rm(path, {force: true});
	}

	throw new PackratError(`could not take the lock ${path}: another run keeps taking it`, 'lock');
}
