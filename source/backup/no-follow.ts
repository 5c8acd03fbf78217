/**
 * Reading packrat's own small files (the lock, the history) without following a symlink that
 * someone may have put in their place, and without waiting on a FIFO: only a regular file is read.
 */
import {constants} from 'node:fs';
import {open} from 'node:fs/promises';

/** The text of the regular file at `path`; ELOOP for a symlink there, EINVAL for anything but a file. */
export async function readNoFollow(path: string): Promise<string> {
	const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
	try {
		if (!(await handle.stat()).isFile()) throw Object.assign(new Error(`${path} is not a file`), {code: 'EINVAL'});
		return await handle.readFile('utf8');
	} finally {
		await handle.close();
	}
}
