/**
 * Writing into the backup folder without losing anything: folders are made one checked
 * component at a time (a symlink placed inside the backup folder is never followed), and a
 * file already under the final name is moved to `<stem> (<its mtime>)<ext>` before the new one
 * takes the name, by moves that never replace a name (no-replace.ts). Nothing is overwritten in
 * place; nothing is written outside the folder.
 */
import {lstatSync, mkdirSync, type Stats} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {join, sep} from 'node:path';
import {localParts} from '../format.js';
import {DiskPace} from './disk-pace.js';
import {PackratError} from './errors.js';
import {keptName} from './kept-names.js';
import {kindOf, moveNoReplace, type Disk} from './no-replace.js';
import {isReserved} from './reserved.js';

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

/** Past this many kept names taken in a row, something is wrong with the disk. */
const maxCount = 100_000;

/**
 * Folders below one root, made safely and remembered, so each is checked once a run.
 * Looking (lstat) is synchronous: one short call. Making (mkdir, link, unlink) is direct while
 * the disk is quick, through the thread pool once it is not (DiskPace). Placements into one
 * folder take turns, and every move into a name refuses to replace what holds it (no-replace):
 * however many transfers run at once, no kept version is ever lost.
 */
export class SafeTree {
	private readonly made = new Set<string>();
	/** Folders being made now: a second caller waits for the first rather than racing it. */
	private readonly making = new Map<string, Promise<void>>();
	/** Each folder's last placement: the next one starts when it has ended. */
	private readonly turns = new Map<string, Promise<unknown>>();
	/** The next count to try for a kept name, so a thousand alike names are not tried from 1 each time. */
	private readonly nextCount = new Map<string, number>();
	private readonly disk: Disk;
	/** Folders looked at by `existing`: is it a real folder? (One lstat per folder, not per file.) */
	private readonly seen = new Map<string, boolean>();

	/** `hardLinks: false` plays a disk without hard links (exFAT, some network shares). */
	constructor(readonly root: string, readonly pace = new DiskPace(), options: {hardLinks?: boolean} = {}) {
		this.disk = {links: options.hardLinks ?? true};
	}

	/** Make `root/parts…` as real folders; a symlink in the way is refused, a file in the way is moved aside. */
	async folder(parts: readonly string[]): Promise<string> {
		refuseReserved(this.root, parts);
		let path = this.root;
		for (const part of parts) {
			const next = join(path, part);
			// A folder `existing` found real this run is not made again (an mkdir failing EEXIST and an lstat, per folder, on every rerun).
			if (!this.made.has(next) && this.seen.get(next) !== true) {
				let making = this.making.get(next);
				if (!making) {
					making = this.makeFolder(next, path, part).finally(() => this.making.delete(next));
					this.making.set(next, making);
				}

				await making;
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
		refuseReserved(this.root, parts);
		const name = parts.at(-1)!;
		const directory = await this.folder(parts.slice(0, -1));
		const target = join(directory, name);
		return this.inTurn(directory, async () => {
			let aside: string | undefined;
			// The common case, a name not held, is one link and one unlink; only a name held is looked at.
			for (let round = 0; ; round++) {
				try {
					await moveNoReplace(temporary, target, 'file', this.disk, this.pace);
					return aside;
				} catch (error) {
					if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || round >= 3) throw error;
				}

				aside = (await this.moveAside(target, directory, name)) ?? aside;
			}
		});
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

	/**
	 * Move whatever holds `directory/name` aside as an older copy, `<stem> (<its mtime>)<ext>`,
	 * onto a name nothing holds (a taken one gets a further count); returns its new name. Called
	 * in the folder's turn.
	 */
	private async moveAside(path: string, directory: string, name: string): Promise<string | undefined> {
		const stat = lstatNow(path);
		if (!stat) return undefined;
		const stamp = localStamp(new Date(Math.floor(stat.mtimeMs))); // Not stat.mtime: Node rounds it to the millisecond, a second late at x.9996 s.
		const first = join(directory, keptName(name, stamp, 1));
		for (let count = this.nextCount.get(first) ?? 1; count < maxCount; count++) {
			const aside = keptName(name, stamp, count);
			try {
				await moveNoReplace(path, join(directory, aside), kindOf(stat), this.disk, this.pace);
				this.forget(path);
				this.nextCount.set(first, count + 1);
				return aside;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
		}

		throw new PackratError(`no free name to keep the older copy of ${path} under: ${maxCount} names like ${first} are taken`, 'local');
	}

	/** Run `task` once every placement in `directory` before it has ended. */
	private async inTurn<T>(directory: string, task: () => Promise<T>): Promise<T> {
		const before = this.turns.get(directory) ?? Promise.resolve();
		const mine = before.then(task, task);
		const done = mine.catch(() => undefined);
		this.turns.set(directory, done);
		void done.then(() => {
			if (this.turns.get(directory) === done) this.turns.delete(directory);
		});
		return mine;
	}

	/** What was learnt of `path` and below it: a folder moved aside is no longer there. */
	private forget(path: string): void {
		const under = (known: string) => known === path || known.startsWith(path + sep);
		for (const known of this.made) if (under(known)) this.made.delete(known);
		for (const known of this.seen.keys()) if (under(known)) this.seen.delete(known);
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
			throw new PackratError(`refused to write through the symlink ${next} inside the backup folder: remove it or move it out`, 'local');
		}

		if (stat?.isDirectory()) return;
		// A file in the way is kept as an older copy, in the parent folder's turn like any placement there.
		await this.inTurn(parent, async () => {
			await this.moveAside(next, parent, part);
			await mkdir(next).catch((error: NodeJS.ErrnoException) => {
				if (error.code !== 'EEXIST' || !lstatNow(next)?.isDirectory()) throw error;
			});
		});
	}
}

/** packrat's own names at the top of the tree are never written by a placement (they are renamed before: reserved.ts). */
function refuseReserved(root: string, parts: readonly string[]): void {
	if (parts.length > 0 && isReserved(parts[0]!)) {
		throw new PackratError(`refused to write ${join(root, parts[0]!)}: the name is packrat's own at the top of the backup folder`, 'local');
	}
}
