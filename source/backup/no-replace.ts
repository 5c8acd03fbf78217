/**
 * Giving a file or folder a new name only when nothing holds that name: the move that puts a
 * download in place and moves an older version aside. Node has no rename that refuses to
 * overwrite (renameat2 RENAME_NOREPLACE), so a regular file is hard-linked under the new name
 * (link() fails with EEXIST rather than replace) and then unlinked from the old one. Where the
 * disk has no hard links (exFAT, some network shares), and for a folder or anything else that
 * cannot be linked, the new name is first claimed by an exclusive create (mkdir, or open with
 * O_EXCL), which fails with EEXIST when anything holds it, and the rename then replaces only that
 * empty claim. Every packrat placement claims its names so, so no other placement can take the
 * name between the two steps; what remains is another program writing that very name in the
 * instant between them (its write would be replaced), and a crash between them (an empty claim
 * is left behind, never a lost version).
 */
import {constants, linkSync, lstatSync, unlinkSync, type Stats} from 'node:fs';
import {link, mkdir, open, rename, rmdir, unlink} from 'node:fs/promises';
import type {DiskPace} from './disk-pace.js';

/** Codes of a link() refused because the disk (or this folder) has no hard links. */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK']);

/** Whether hard links work on this disk: learnt from the first refusal, shared by a tree's moves. */
export type Disk = {links: boolean};

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

function sameFile(a: string, b: string): boolean {
	try {
		const [left, right] = [lstatSync(a), lstatSync(b)];
		return left.ino === right.ino && left.dev === right.dev;
	} catch {
		return false;
	}
}

/** What the move needs to know of the thing moved: only a regular file is moved by a hard link. */
export type Kind = 'file' | 'folder' | 'other';

export function kindOf(stat: Stats): Kind {
	return stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : 'other';
}

/**
 * Move `from` to `to` unless something holds `to`: then nothing moves and the error's code is
 * EEXIST. A `to` that is already the very same file (a crash came between link and unlink) only
 * loses its second name.
 */
export async function moveNoReplace(from: string, to: string, kind: Kind, disk: Disk, pace: DiskPace): Promise<void> {
	if (disk.links && kind === 'file') {
		try {
			await pace.call(
				() => {
					linkSync(from, to);
					unlinkSync(from);
				},
				async () => {
					await link(from, to);
					await unlink(from);
				},
			);
			return;
		} catch (error) {
			if (code(error) === 'EEXIST' && sameFile(from, to)) {
				await unlink(from);
				return;
			}

			if (!noHardLinks.has(code(error) ?? '')) throw error;
			disk.links = false;
		}
	}

	await claim(to, kind);
	try {
		await rename(from, to);
	} catch (error) {
		await (kind === 'folder' ? rmdir(to) : unlink(to)).catch(() => undefined);
		throw error;
	}
}

/** Make `path` as an empty folder or file, failing with EEXIST when anything (a symlink too) holds it. */
async function claim(path: string, kind: Kind): Promise<void> {
	if (kind === 'folder') {
		await mkdir(path, {mode: 0o700});
		return;
	}

	const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
	await handle.close();
}
