/**
 * `--sample`: a file downloaded into memory a chunk at a time and compared, byte for byte, with
 * the copy in the backup, never written anywhere. Memory stays at one chunk and one read buffer
 * whatever the size; the first difference, or bytes beyond the listed size, end the download.
 */
import {constants} from 'node:fs';
import {open} from 'node:fs/promises';
import type {FtpClient} from '../backup/ftp/client.js';

/** Thrown from inside the download to stop it at the first difference. */
class Differs extends Error {}

/** Undefined when the server's bytes are the local file's, else what differs. */
export async function compareBytes(client: FtpClient, remotePath: string, localPath: string, size: number): Promise<string | undefined> {
	const handle = await open(localPath, constants.O_RDONLY | constants.O_NOFOLLOW);
	let offset = 0;
	let local = Buffer.alloc(0);
	try {
		await client.retrieve(remotePath, 0, async chunk => {
			if (offset + chunk.length > size) throw new Differs(`the server sent more than the ${size} bytes its listing said`);
			// A copy: a plain data connection's chunk is a view of a buffer reused once this returns.
			const remote = Buffer.from(chunk);
			if (local.length < remote.length) local = Buffer.allocUnsafe(remote.length);
			const {bytesRead} = await handle.read(local, 0, remote.length, offset);
			const mismatch = bytesRead < remote.length ? bytesRead : firstDifference(remote, local.subarray(0, bytesRead));
			if (mismatch >= 0) throw new Differs(`the bytes differ from offset ${offset + mismatch}`);
			offset += remote.length;
		});
	} catch (error) {
		if (!(error instanceof Differs)) throw error;
		// The server is still sending, or about to answer the cut transfer: this session is spent.
		client.close();
		return error.message;
	} finally {
		await handle.close();
	}

	return offset === size ? undefined : `the server sent ${offset} of the ${size} bytes its listing said`;
}

/** The index of the first byte that differs, or -1. */
function firstDifference(a: Buffer, b: Buffer): number {
	if (a.equals(b)) return -1;
	for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return index;
	return -1;
}
