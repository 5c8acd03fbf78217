/** Everything a folder holds, as lstat sees it, to prove that something did not change it. */
import {lstat, readdir, readlink} from 'node:fs/promises';
import {join, relative} from 'node:path';

export type EntryState = {type: 'file' | 'folder' | 'symlink' | 'other'; size: number; mtimeMs: number; ino: number; nlink: number; target?: string};

/** Every entry below `folder` (the folder itself as ''), never through a symlink. */
export async function folderState(folder: string): Promise<Record<string, EntryState>> {
	const result: Record<string, EntryState> = {};
	const visit = async (path: string) => {
		const stat = await lstat(path);
		const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : stat.isSymbolicLink() ? 'symlink' : 'other';
		result[relative(folder, path)] = {type, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, nlink: stat.nlink, ...(type === 'symlink' ? {target: await readlink(path)} : {})};
		if (type === 'folder') for (const name of (await readdir(path)).sort()) await visit(join(path, name));
	};

	await visit(folder);
	return result;
}
