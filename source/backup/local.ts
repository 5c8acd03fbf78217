/**
 * Writing into the backup folder without losing anything: folders are made one checked
 * component at a time (a symlink placed inside the backup folder is never followed), and a
 * file already under the final name is renamed `<stem> (<its mtime>)<ext>` before the new one
 * takes the name. Nothing is overwritten in place; nothing is written outside the folder.
 */
import {linkSync, lstatSync, mkdirSync, unlinkSync, type Stats} from 'node:fs';
import {link, mkdir, rename, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import {localParts} from '../format.js';
import {DiskPace} from './disk-pace.js';
import {PackratError} from './errors.js';
import {escapeControl} from './names.js';
import {splitExtension} from './versions.js';

/** A time as `YYYY-MM-DD HHmmss` in local time. */
export function localStamp(date: Date): string {
	const {year, month, day, hours, minutes, seconds} = localParts(date);
	return `${year}-${month}-${day} ${hours}${minutes}${seconds}`;
}

/** What is at `path` (never followed through a symlink), or undefined when nothing is. One short call: made directly. */
function lstatNow(path: string): Stats | undefined {
	try {
		return lstatSync(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}

/** `stem + suffix`, the stem cut (on a character boundary) so the name stays within 255 bytes. */
export function fitName(stem: string, suffix: string): string {
	let kept = stem;
	while (kept.length > 0 && Buffer.byteLength(kept + suffix) > 255) kept = [...kept].slice(0, -1).join('');
	return kept + suffix;
}

/** The name an older copy takes: `Plan v2.dh` → `Plan v2 (2026-11-20 030000).dh`, never one that exists. */
export async function olderCopyName(directory: string, name: string, mtime: Date): Promise<string> {
	const [stem, extension] = splitExtension(name);
	const stamp = localStamp(mtime);
	for (let count = 1; ; count++) {
		const suffix = ` (${stamp}${count > 1 ? ` ${count}` : ''})${extension}`;
		const candidate = fitName(stem, suffix);
		if (!lstatNow(join(directory, candidate))) return candidate;
	}
}

/** Move whatever holds `path` aside as an older copy; returns its new name. */
export async function moveAside(path: string, directory: string, name: string): Promise<string | undefined> {
	const stat = lstatNow(path);
	if (!stat) return undefined;
	const aside = await olderCopyName(directory, name, stat.mtime);
	await rename(path, join(directory, aside));
	return aside;
}

const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK']);

function sameFile(a: string, b: string): boolean {
	const [left, right] = [lstatNow(a), lstatNow(b)];
	return left !== undefined && right !== undefined && left.ino === right.ino && left.dev === right.dev;
}

/**
 * Folders below one root, made safely and remembered, so each is checked once a run.
 * Looking (lstat) is synchronous: one short call. Making (mkdir, link, unlink) is direct while
 * the disk is quick, through the thread pool once it is not (DiskPace).
 */
export class SafeTree {
	private readonly made = new Set<string>();
	private links = true;
	/** Folders looked at by `existing`: is it a real folder? (One lstat per folder, not per file.) */
	private readonly seen = new Map<string, boolean>();

	constructor(readonly root: string, readonly pace = new DiskPace()) {}

	/** Make `root/parts…` as real folders; a symlink in the way is refused, a file in the way is moved aside. */
	async folder(parts: readonly string[]): Promise<string> {
		let path = this.root;
		for (const part of parts) {
			const next = join(path, part);
			if (!this.made.has(next)) {
				await this.makeFolder(next, path, part);
				this.made.add(next);
			}

			path = next;
		}

		return path;
	}

	/**
	 * Put a complete temporary file at `root/parts…`. What held the name before is kept as an
	 * older copy; returns its new name when there was one.
	 */
	async place(temporary: string, parts: readonly string[]): Promise<string | undefined> {
		const name = parts.at(-1)!;
		const directory = await this.folder(parts.slice(0, -1));
		const target = join(directory, name);
		// link() never replaces what holds the name (EEXIST), so the common case costs no lstat;
		// where the disk has no hard links (exFAT, some network shares) lstat and rename do it.
		if (this.links) {
			try {
				await this.pace.call(
					() => {
						linkSync(temporary, target);
						unlinkSync(temporary);
					},
					async () => {
						await link(temporary, target);
						await unlink(temporary);
					},
				);
				return undefined;
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code === 'EEXIST') {
					if (sameFile(temporary, target)) {
						unlinkSync(temporary); // A crash came between link and unlink last time.
						return undefined;
					}
				} else if (code && noHardLinks.has(code)) {
					this.links = false;
				} else {
					throw error;
				}
			}
		}

		const aside = await moveAside(target, directory, name);
		await rename(temporary, target);
		return aside;
	}

	/** The file at `root/parts…` when it is a regular file (never through a symlink). Looked at now: lstat is one short call. */
	existing(parts: readonly string[]): Stats | undefined {
		let path = this.root;
		for (let index = 0; index < parts.length - 1; index++) {
			path = join(path, parts[index]!);
			let isFolder = this.seen.get(path);
			if (isFolder === undefined) {
				isFolder = lstatNow(path)?.isDirectory() ?? false;
				this.seen.set(path, isFolder);
			}

			if (!isFolder) return undefined;
		}

		const stat = lstatNow(join(path, parts.at(-1)!));
		return stat?.isFile() ? stat : undefined;
	}

	private async makeFolder(next: string, parent: string, part: string): Promise<void> {
		// The common case, a folder not there yet, is one mkdir; only a name already taken is looked at.
		try {
			await this.pace.call(() => mkdirSync(next), async () => mkdir(next));
			return;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}

		const stat = lstatNow(next);
		if (stat?.isSymbolicLink()) {
			throw new PackratError(`refused to write through the symlink ${escapeControl(next)} inside the backup folder: remove it or move it out`, 'local');
		}

		if (stat?.isDirectory()) return;
		if (stat) await moveAside(next, parent, part);
		await mkdir(next);
	}
}
