/**
 * Writing a restore without overwriting anything and without following a symlink: the target
 * folder is refused when it lies inside the backup folder, its missing folders are made one at a
 * time and checked with lstat, every file is written under a new temporary name
 * (O_EXCL|O_NOFOLLOW) and then linked to its name, which fails rather than replaces; a name
 * already taken gets a suffix as a kept copy does: `<stem> (<stamp>)<ext>`, then `(<stamp> 2)`.
 */
import {constants} from 'node:fs';
import {link, mkdir, open, realpath, rename, stat, unlink} from 'node:fs/promises';
import {randomBytes} from 'node:crypto';
import {basename, dirname, join, resolve, sep} from 'node:path';
import {PackratError} from '../backup/errors.js';
import {cutToFit, keptName} from '../backup/kept-names.js';
import {lstatOrNothing} from './places.js';

/** A file that could not be restored, with the reason as a person reads it. */
export class RestoreError extends Error {}

/** The n-th name to try for `name` (0: the name itself), with `stamp` as the kept-copy suffix; a folder's name has no extension. */
export function clashName(name: string, stamp: string, count: number, folder = false): string {
	if (count === 0) return name;
	return folder ? cutToFit(name, ` (${stamp}${count > 1 ? ` ${count}` : ''})`) : keptName(name, stamp, count);
}

const tries = 1000;

/**
 * The real folder to restore into, made when missing. A DIR inside the backup folder (compared
 * by real paths) is refused before anything is written. The path given may pass through
 * symlinks of the user's own choosing; the folders made below it are checked one at a time.
 * `named` is how messages name DIR (the command line's `--to DIR`, the window's folder).
 */
export async function prepareDestination(dir: string, backup: string, named = `--to ${dir}`): Promise<string> {
	let existing = resolve(dir);
	const missing: string[] = [];
	while (!(await lstatOrNothing(existing))) {
		if (dirname(existing) === existing) break;
		missing.unshift(basename(existing));
		existing = dirname(existing);
	}

	const real = await realpath(existing).catch(() => {
		throw new PackratError(`${named}: ${existing} cannot be reached (a broken symlink?); choose another folder`, 'config');
	});
	if (!(await stat(real)).isDirectory()) throw new PackratError(`${named}: ${existing} is not a folder; choose another folder`, 'config');
	const target = join(real, ...missing);
	const inside = await realpath(backup);
	if (target === inside || target.startsWith(inside.endsWith(sep) ? inside : inside + sep)) {
		throw new PackratError(`${named} is inside the backup folder ${backup}: a restore never writes there; choose a folder outside it`, 'config');
	}

	let path = real;
	for (const part of missing) {
		path = join(path, part);
		await mkdir(path).catch(async (error: NodeJS.ErrnoException) => {
			const found = error.code === 'EEXIST' ? await lstatOrNothing(path) : undefined;
			if (!found?.isDirectory()) throw new PackratError(`${named}: ${path} cannot be made (${error.code ?? error.message}); choose another folder`, 'local');
		});
	}

	return path;
}

/** Make a new folder `name` in `parent` (a suffixed name when it is taken); returns the name made. */
export async function makeFolder(parent: string, name: string, stamp: string): Promise<string> {
	for (let count = 0; count < tries; count++) {
		const candidate = clashName(name, stamp, count, true);
		try {
			await mkdir(join(parent, candidate));
			return candidate;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
	}

	throw new RestoreError(`no free name for the folder ${name} in ${parent}`);
}

const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK']);

/** Give the complete temporary file its name, or the next free suffixed one; never replaces a thing. */
async function claimName(temporary: string, folder: string, name: string, stamp: string): Promise<string> {
	let links = true;
	for (let count = 0; count < tries; count++) {
		const candidate = clashName(name, stamp, count);
		const target = join(folder, candidate);
		if (links) {
			try {
				await link(temporary, target);
				await unlink(temporary);
				return candidate;
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code === 'EEXIST') continue;
				if (!code || !noHardLinks.has(code)) throw error;
				links = false;
			}
		}

		// A disk without hard links (exFAT, some shares): look, then rename.
		if (await lstatOrNothing(target)) continue;
		await rename(temporary, target);
		return candidate;
	}

	throw new RestoreError(`no free name for ${name} in ${folder}`);
}

export type Expected = {size: number; mtime: number; stamp: string};

/**
 * Copy the backup's file at `source` into `folder` as `name` (or a suffixed name), with its
 * modification time. The source is opened without following a symlink and must still be the
 * version listed (size and mtime). Returns the name it took.
 */
export async function copyVersion(source: string, expected: Expected, folder: string, name: string): Promise<string> {
	const input = await open(source, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
		throw error.code === 'ELOOP' ? new RestoreError('a symlink in the backup folder, not followed') : error;
	});
	const temporary = join(folder, `.packrat-restore-${randomBytes(6).toString('hex')}.tmp`);
	let written = false;
	try {
		const found = await input.stat();
		if (!found.isFile()) throw new RestoreError('no longer a regular file in the backup folder');
		if (found.size !== expected.size || Math.floor(found.mtimeMs / 1000) !== expected.mtime) throw new RestoreError('changed in the backup folder since it was listed');
		const output = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
		written = true;
		try {
			const buffer = Buffer.allocUnsafe(1024 * 1024);
			let total = 0;
			for (;;) {
				const {bytesRead} = await input.read(buffer, 0, buffer.length, null);
				if (bytesRead === 0) break;
				total += bytesRead;
				if (total > expected.size) break;
				await output.write(buffer, 0, bytesRead);
			}

			if (total !== expected.size) throw new RestoreError('changed in the backup folder while it was copied');
			await output.utimes(new Date(), new Date(expected.mtime * 1000));
		} finally {
			await output.close();
		}

		const taken = await claimName(temporary, folder, name, expected.stamp);
		written = false;
		return taken;
	} finally {
		await input.close();
		if (written) await unlink(temporary).catch(() => undefined);
	}
}
