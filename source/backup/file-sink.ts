/**
 * Where a download's bytes go: a partial file, opened without following a symlink and, when
 * fresh, with O_EXCL. A small file is gathered in memory and written at its end in one go (an
 * open, one writev, a futimes and a close); a large one is written as it comes, in batches.
 * While the disk is quick (see DiskPace) every call is made on this thread, where the bytes
 * were just read: handing a batch to the thread pool makes another CPU copy it into the page
 * cache from memory this one wrote, which cost a 1 GB pull twice the CPU and 85% more time
 * (bench, 6 rounds). Once the disk is slow, calls go through the thread pool, with the socket
 * held while the disk falls behind.
 */
import {close, closeSync, constants, futimes, futimesSync, open, openSync, writev} from 'node:fs';
import {promisify} from 'node:util';
import {batch, batchOf, newBatch, release, unwritten, writeAllSync} from './batches.js';
import type {DiskPace} from './disk-pace.js';

const openAsync = promisify(open);
const writevAsync = promisify(writev);
const futimesAsync = promisify(futimes);
const closeAsync = promisify(close);

/** Gathered in memory up to this; past it the file is written as it arrives. */
const gatherLimit = 1024 * 1024;
/** While a write is under way, the socket waits once this much more is waiting. */
const backlog = 1024 * 1024;

export class FileSink {
	received = 0;
	/** Parts of filled batches waiting to be written, then the batch being filled: `current`, handed on up to `start`, filled up to `used`. */
	private chunks: Buffer[] = [];
	private current?: Buffer;
	private start = 0;
	private used = 0;
	private waiting = 0;
	/**
	 * This sink's written batches, filled again while it lasts (the same few pages for a whole
	 * large file); only when it closes do they go back to the spare ones (batches.ts), as another
	 * sink could otherwise take one this sink still fills.
	 */
	private readonly free: Buffer[] = [];
	private fd?: Promise<number>;
	/** The file's descriptor once it is open, for calls made on this thread. */
	private fdNumber?: number;
	private writing?: Promise<void>;
	private failure?: unknown;

	/**
	 * `append`: resume an existing partial; else a new one is made (O_EXCL). `gather`: hold the
	 * bytes in memory (up to gatherLimit) and write them at the end — for a file too small to be
	 * worth resuming; a larger one is on disk as it comes, so an interruption leaves what came.
	 */
	constructor(readonly path: string, private readonly append: boolean, private readonly gather: boolean, private readonly pace: DiskPace, private readonly onOpen: () => void) {}

	private get flags(): number {
		return constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_CREAT | (this.append ? constants.O_APPEND : constants.O_EXCL);
	}

	/**
	 * Take a chunk, copied at once (the caller may reuse its buffer: a data connection reads
	 * into one buffer for good); a promise means: wait before the next (the disk is behind).
	 */
	write(chunk: Buffer): Promise<void> | undefined {
		if (this.failure) throw this.failure;
		this.received += chunk.length;
		this.waiting += chunk.length;
		this.copy(chunk);
		if (!this.fd && this.gather && this.received <= gatherLimit) return undefined;
		void this.open();
		if (!this.writing && this.waiting >= batch) this.flush();
		return this.writing && this.waiting >= backlog ? this.writing : undefined;
	}

	/**
	 * Where the next bytes may be read in place: the free end of the batch being filled (a new
	 * batch when it is full); write() then takes a chunk that lies there without copying it. Never
	 * a byte that a write reads or will: only what lies past `used`. The end of a batch may get a
	 * short read: a batch is always filled to its end, so that its pages are used again (refill).
	 */
	room(): Buffer | undefined {
		if (this.failure) return undefined;
		if (!this.current || this.used === this.current.length) this.nextBatch();
		return this.current!.subarray(this.used);
	}

	private copy(chunk: Buffer): void {
		// Read in place (room()): the bytes are where a copy would put them.
		const current = this.current;
		if (current && chunk.buffer === current.buffer && chunk.byteOffset === current.byteOffset + this.used && chunk.length <= current.length - this.used) {
			this.used += chunk.length;
			return;
		}

		let from = 0;
		while (from < chunk.length) {
			if (!this.current || this.used === this.current.length) this.nextBatch();
			const copied = chunk.copy(this.current!, this.used, from);
			this.used += copied;
			from += copied;
		}
	}

	/** A batch to fill, the full one (if any) waiting to be written. */
	private nextBatch(): void {
		if (this.current && this.start < this.used) this.chunks.push(this.current.subarray(this.start, this.used));
		this.current = this.free.pop() ?? newBatch();
		this.start = 0;
		this.used = 0;
	}

	/**
	 * Everything taken and not yet written, in order. The batch being filled keeps being filled
	 * after the part handed on (a write reads only that part), so no batch is cut short.
	 */
	private takeWaiting(): Buffer[] {
		const out = this.chunks;
		if (this.current && this.used > this.start) out.push(this.current.subarray(this.start, this.used));
		this.start = this.used;
		this.chunks = [];
		this.waiting = 0;
		return out;
	}

	/** Write what is left, give the file `mtime` (seconds) when given, and close it. */
	async finish(mtime?: number): Promise<void> {
		if (!this.fd && !this.pace.slow) {
			this.pace.direct(() => this.writeDirectly(mtime));
			return;
		}

		// A small file is opened only now, and written in one writev.
		void this.open();
		while (this.writing) await this.writing;
		if (this.failure) throw this.failure;
		if (this.waiting > 0) {
			this.flush();
			await this.writing;
			if (this.failure) throw this.failure;
		}

		const fd = await this.open();
		if (mtime !== undefined) await this.pace.call(() => futimesSync(fd, mtime, mtime), async () => futimesAsync(fd, mtime, mtime));
	}

	/** Close the file (after finish, or after a failure: what was written stays for a resume). */
	async close(): Promise<void> {
		if (!this.fd) {
			this.giveBack();
			return;
		}

		while (this.writing) await this.writing;
		// Bytes that came before a failure are good: they are written, for a resume to continue from.
		if (this.waiting > 0 && !this.failure) {
			this.flush();
			await this.writing;
		}

		const fd = await this.fd.catch(() => undefined);
		this.fd = undefined;
		this.fdNumber = undefined;
		if (fd !== undefined) await this.pace.call(() => closeSync(fd), async () => closeAsync(fd));

		this.giveBack();
	}

	/** No write reads this sink's buffers any more: they go to the next download. */
	private giveBack(): void {
		release([...this.free.splice(0), ...this.chunks, ...(this.current ? [this.current] : [])]);
		this.current = undefined;
		this.chunks = [];
		this.waiting = 0;
	}

	/** A small file, whole, in four calls on this thread. */
	private writeDirectly(mtime?: number): void {
		const fd = openSync(this.path, this.flags, 0o600);
		this.onOpen();
		try {
			const out = this.takeWaiting();
			writeAllSync(fd, out);
			if (mtime !== undefined) futimesSync(fd, mtime, mtime);
			release(out);
			this.current = undefined;
		} finally {
			closeSync(fd);
		}
	}

	/** Open the file once; a failure is kept in `fd` for whoever waits on it next (and is no unhandled rejection meanwhile). */
	private open(): Promise<number> {
		if (!this.fd) {
			this.fd = this.openFile();
			this.fd.catch(() => undefined);
		}

		return this.fd;
	}

	private async openFile(): Promise<number> {
		const fd = this.pace.slow ? await openAsync(this.path, this.flags, 0o600) : this.pace.direct(() => openSync(this.path, this.flags, 0o600));
		this.fdNumber = fd;
		this.onOpen();
		return fd;
	}

	/** Write what waits: at once on this thread while the disk is quick and the file open, else through the thread pool. */
	private flush(): void {
		const out = this.takeWaiting();
		const fd = this.fdNumber;
		if (fd !== undefined && !this.pace.slow) {
			try {
				this.pace.direct(() => writeAllSync(fd, out), out.reduce((sum, part) => sum + part.length, 0));
				this.refill(out);
			} catch (error) {
				this.failure ??= error;
			}

			return;
		}

		this.writing = (async () => {
			try {
				const fd = await this.fd!;
				for (let rest = unwritten(out, (await writevAsync(fd, out)).bytesWritten); rest.length > 0;) rest = rest.subarray((await writevAsync(fd, [rest])).bytesWritten);
				this.refill(out);
			} catch (error) {
				this.failure ??= error;
			} finally {
				this.writing = undefined;
			}
		})();
	}

	/** A batch whose last part is now on disk is filled again (writes go one at a time, in order). */
	private refill(written: readonly Buffer[]): void {
		for (const part of written) {
			const whole = part.byteOffset + part.length === batch ? batchOf(part) : undefined;
			if (whole && this.free.length < 6) this.free.push(whole);
		}
	}
}
