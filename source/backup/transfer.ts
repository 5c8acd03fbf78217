/**
 * One download: streamed to a partial file under `.packrat/partial/`, resumed with REST when an
 * earlier attempt left part of the same version, given the server's mtime, and only then
 * handed over to be renamed into place.
 */
import {createHash} from 'node:crypto';
import {constants} from 'node:fs';
import {lstat, open, readFile, rm, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {Client} from 'basic-ftp';
import {TransientError, ftpCode} from './errors.js';
import type {RemoteFile} from './listing.js';

type Sidecar = {path: string; size: number; mtime: number};

/** Partials are opened without following a symlink that someone may have put in their place. */
const noFollow = constants.O_WRONLY | constants.O_NOFOLLOW;

export class Partials {
	constructor(readonly folder: string) {}

	paths(file: RemoteFile): {data: string; sidecar: string} {
		const key = createHash('sha256').update(file.path).digest('hex').slice(0, 40);
		return {data: join(this.folder, key), sidecar: join(this.folder, `${key}.json`)};
	}

	/** Bytes already held for this version of the file; anything held for another version is dropped. */
	async resumable(file: RemoteFile): Promise<number> {
		const {data, sidecar} = this.paths(file);
		try {
			const held = JSON.parse(await readFile(sidecar, 'utf8')) as Sidecar;
			const partial = await lstat(data);
			const {size} = partial;
			if (partial.isFile() && held.path === file.path && held.size === file.size && held.mtime === file.mtime && size <= file.size) return size;
		} catch {
			// No partial, or one we cannot read: start afresh.
		}

		await this.drop(file);
		return 0;
	}

	async begin(file: RemoteFile): Promise<void> {
		const {sidecar} = this.paths(file);
		const record: Sidecar = {path: file.path, size: file.size, mtime: file.mtime};
		await rm(sidecar, {force: true});
		await writeFile(sidecar, JSON.stringify(record), {mode: 0o600, flag: noFollow | constants.O_CREAT | constants.O_EXCL});
	}

	async drop(file: RemoteFile): Promise<void> {
		const {data, sidecar} = this.paths(file);
		await rm(data, {force: true});
		await rm(sidecar, {force: true});
	}
}

export type Downloaded = {temporary: string; bytes: number; resumedFrom: number};

/**
 * Download `file` into its partial, resuming where possible, and give it the server's mtime.
 * `watch` is handed a reader of the bytes held so far (resumed part included), for progress.
 */
export async function download(client: Client, file: RemoteFile, partials: Partials, watch: (held: () => number) => void): Promise<Downloaded> {
	let offset = await partials.resumable(file);
	const {data} = partials.paths(file);
	if (offset === 0) await partials.begin(file);
	if (offset === file.size && file.size > 0) offset = file.size;

	const fetch = async (from: number) => {
		const handle = await open(data, noFollow | constants.O_CREAT | (from === 0 ? constants.O_TRUNC : 0), 0o600);
		try {
			await handle.truncate(from);
		} finally {
			await handle.close();
		}

		if (from >= file.size) return;
		const sink = (await open(data, noFollow | constants.O_APPEND)).createWriteStream();
		watch(() => from + sink.bytesWritten);
		try {
			await client.downloadTo(sink, file.path, from);
		} finally {
			if (!sink.closed) await new Promise<void>(resolve => sink.once('close', () => resolve()));
		}
	};

	try {
		await fetch(offset);
	} catch (error) {
		// A server that refuses REST gets the whole file instead.
		const code = ftpCode(error);
		if (offset === 0 || code === undefined || code < 500) throw error;
		offset = 0;
		await fetch(0);
	}

	const {size} = await lstat(data);
	if (size !== file.size) {
		await partials.drop(file);
		throw new TransientError(`the file changed during the download (${size} bytes received, ${file.size} listed)`);
	}

	await utimes(data, file.mtime, file.mtime);
	return {temporary: data, bytes: file.size - offset, resumedFrom: offset};
}
