/**
 * One download: streamed to a partial file under `.packrat/partial/`, resumed with REST when an
 * earlier attempt left part of the same version, given the server's mtime, and only then
 * handed over to be put into place. Kept lean: a small new file costs an open, its writes, a
 * futimes and a close; only files worth resuming across runs get a sidecar naming their version.
 */
import {createHash} from 'node:crypto';
import {constants} from 'node:fs';
import {lstat, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {TransientError, ftpCode} from './errors.js';
import type {DiskPace} from './disk-pace.js';
import {FileSink} from './file-sink.js';
import type {FtpClient} from './ftp/client.js';
import type {RemoteFile} from './listing.js';

type Sidecar = {path: string; size: number; mtime: number};

/** A file's partial under `.packrat/partial/`: the data file and the sidecar naming its version. */
export type Partial = {file: RemoteFile; key: string; data: string; sidecar: string};

/** Partials are opened without following a symlink that someone may have put in their place. */
const noFollow = constants.O_WRONLY | constants.O_NOFOLLOW;

/** Below this size a download interrupted by a crash simply starts again next run. */
export const resumeThreshold = 256 * 1024;

export class Partials {
	/** Names in the partials folder when the run began: the only ones that can hold a resumable part. */
	private held = new Set<string>();
	constructor(readonly folder: string) {}

	async load(): Promise<void> {
		this.held = new Set(await readdir(this.folder));
	}

	/** The partial of `file`: its names, hashed once for its whole download (not kept: 100,000 files would hold them all). */
	of(file: RemoteFile): Partial {
		const key = createHash('sha256').update(file.path).digest('hex').slice(0, 40);
		return {file, key, data: join(this.folder, key), sidecar: join(this.folder, `${key}.json`)};
	}

	/** Bytes already held for this version of the file; anything held for another version is dropped. */
	async resumable(partial: Partial): Promise<number> {
		const {file, key, data, sidecar} = partial;
		if (!this.held.has(key) && !this.held.has(`${key}.json`)) return 0;
		try {
			const record = JSON.parse(await readFile(sidecar, 'utf8')) as Sidecar;
			const stat = await lstat(data);
			if (stat.isFile() && record.path === file.path && record.size === file.size && record.mtime === file.mtime && stat.size > 0 && stat.size <= file.size) return stat.size;
		} catch {
			// No sidecar, or one we cannot read: start afresh.
		}

		await this.drop(partial);
		return 0;
	}

	async begin(partial: Partial): Promise<string | undefined> {
		const {file, key, sidecar} = partial;
		if (file.size < resumeThreshold) return undefined;
		const record: Sidecar = {path: file.path, size: file.size, mtime: file.mtime};
		await writeFile(sidecar, JSON.stringify(record), {mode: 0o600, flag: noFollow | constants.O_CREAT | constants.O_TRUNC});
		this.held.add(`${key}.json`);
		return sidecar;
	}

	/** After a run in which every file was handled, nothing left here can be of use: clear it. */
	async clear(): Promise<void> {
		for (const name of await readdir(this.folder)) await rm(join(this.folder, name), {force: true, recursive: true});
		this.held.clear();
	}

	/** The data file of this partial now exists (a retry in this run must find and drop it). */
	opened(partial: Partial): void {
		this.held.add(partial.key);
	}

	/** Remove the partial and its sidecar (unlinked, never truncated: a crash may have left it linked into place). */
	async drop(partial: Partial): Promise<void> {
		const {key, data, sidecar} = partial;
		await rm(data, {force: true});
		await rm(sidecar, {force: true});
		this.held.delete(key);
		this.held.delete(`${key}.json`);
	}
}

export type Downloaded = {temporary: string; bytes: number; resumedFrom: number; sidecar?: string};

/** More bytes came than the listing gave the file: the download was stopped before they were written. */
class Grown extends Error {}

/**
 * Download `file` into its partial, resuming where possible, and give it the server's mtime.
 * `watch` is handed a reader of the bytes held so far (resumed part included), for progress.
 * Never more than the listed size is written: a file that passes it is stopped at once, its
 * partial dropped, and it fails as a file that changed during the run (worth another attempt).
 */
export async function download(client: FtpClient, file: RemoteFile, partials: Partials, pace: DiskPace, watch: (held: () => number) => void): Promise<Downloaded> {
	const partial = partials.of(file);
	const {data} = partial;
	let offset = await partials.resumable(partial);
	const sidecar = offset === 0 ? await partials.begin(partial) : partial.sidecar;

	const fetch = async (from: number): Promise<number> => {
		// A fresh partial is made with O_EXCL: whatever held the name was dropped by resumable().
		const sink = new FileSink(data, from > 0, file.size < resumeThreshold, pace, () => partials.opened(partial));
		watch(() => from + sink.received);
		try {
			const room = file.size - from;
			if (room > 0) {
				await client.retrieve(
					file.path,
					from,
					chunk => {
						if (sink.received + chunk.length > room) throw new Grown();
						return sink.write(chunk);
					},
					() => sink.room(),
				);
			}

			await sink.finish(from + sink.received === file.size ? file.mtime : undefined);
		} finally {
			await sink.close();
		}

		return sink.received;
	};

	let received: number;
	try {
		try {
			received = await fetch(offset);
		} catch (error) {
			// A server that refuses REST gets the whole file instead.
			const code = ftpCode(error);
			if (offset === 0 || code === undefined || code < 500) throw error;
			await partials.drop(partial);
			offset = 0;
			received = await fetch(0);
		}
	} catch (error) {
		if (!(error instanceof Grown)) throw error;
		await partials.drop(partial);
		throw new TransientError(`the file changed during the download: the server sent more than the ${file.size} bytes listed; stopped there`);
	}

	// Fewer bytes than listed: the data connection ended early. What came is kept, to be resumed.
	if (offset + received < file.size) throw new TransientError(`the data connection ended early (${offset + received} of ${file.size} bytes)`);

	return {temporary: data, bytes: received, resumedFrom: offset, sidecar};
}
