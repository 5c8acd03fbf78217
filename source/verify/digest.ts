/**
 * Digests of local files in the algorithms a server's hash command speaks: SHA-256, SHA-1 and
 * MD5 by node:crypto, CRC32 (the zlib/IEEE one that XCRC and HASH CRC32 use) by a table here,
 * as Node 20 before 20.15 has no zlib.crc32. A file is read a chunk at a time, never whole.
 */
import {createHash} from 'node:crypto';
import {constants} from 'node:fs';
import {open} from 'node:fs/promises';
import type {HashAlgorithm} from '../backup/ftp/hash.js';

export type Digest = {update: (chunk: Buffer) => void; hex: () => string};

const crcTable = Uint32Array.from({length: 256}, (_, index) => {
	let value = index;
	for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xed_b8_83_20 ^ (value >>> 1) : value >>> 1;
	return value >>> 0;
});

function crc32(): Digest {
	let crc = 0xff_ff_ff_ff;
	return {
		update(chunk) {
			for (const byte of chunk) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
		},
		hex: () => ((crc ^ 0xff_ff_ff_ff) >>> 0).toString(16).padStart(8, '0'),
	};
}

export function createDigest(algorithm: HashAlgorithm): Digest {
	if (algorithm === 'CRC32') return crc32();
	const hash = createHash(algorithm === 'SHA-256' ? 'sha256' : algorithm === 'SHA-1' ? 'sha1' : 'md5');
	return {update: chunk => hash.update(chunk), hex: () => hash.digest('hex')};
}

const chunkBytes = 256 * 1024;

/** The lowercase hex digest of a local file, read through no symlink, a chunk at a time. */
export async function hashFile(path: string, algorithm: HashAlgorithm): Promise<string> {
	const digest = createDigest(algorithm);
	const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
	try {
		const buffer = Buffer.allocUnsafe(chunkBytes);
		for (;;) {
			const {bytesRead} = await handle.read(buffer, 0, chunkBytes, null);
			if (bytesRead === 0) break;
			digest.update(buffer.subarray(0, bytesRead));
		}
	} finally {
		await handle.close();
	}

	return digest.hex();
}
