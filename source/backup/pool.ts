/**
 * A pool of `connections` clients, each doing one request at a time, shared by listing and by
 * transfers. A fault worth retrying closes that client, waits with backoff and reconnects; a
 * `421` at connect time retires the slot and lowers the pool for the rest of the run. Under
 * `connections: auto` the pool grows and shrinks while the run goes (adapt.ts decides): a slot
 * added is handed to the drains at work, one retired stops after its request.
 */
import {CancelledError, PackratError, ftpCode, isTransient, replyText} from './errors.js';
import type {RunEvent} from './events.js';
import type {FtpClient} from './ftp/client.js';
import {connect, type ServerConfig} from './remote.js';

export type Slot = {
	index: number;
	client?: FtpClient;
	retired: boolean;
	/** Retired by shrink, not by the server. */
	leaving?: boolean;
	/** Spare work a drain left running on this slot (a download started while the scan listed): the next drain waits for it. */
	busy?: Promise<void>;
};

export type PoolOptions = {
	config: ServerConfig;
	size: number;
	/** The most connections the pool may grow to (`auto`); the size when not given. */
	max?: number;
	retries: number;
	signal: AbortSignal;
	emit: (event: RunEvent) => void;
	/** Backoff before attempt n (1-based); tests shorten it. */
	backoffMs?: (attempt: number) => number;
};

export const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) {
			reject(new CancelledError());
			return;
		}

		const done = () => {
			signal.removeEventListener('abort', abort);
			resolve();
		};

		const timer = setTimeout(done, ms);
		const abort = () => {
			clearTimeout(timer);
			reject(new CancelledError());
		};

		signal.addEventListener('abort', abort, {once: true});
	});
}

export class Pool {
	readonly slots: Slot[];
	listing: 'MLSD' | 'LIST' = 'LIST';
	/** The most connections this run may have: `max`, lowered for good by a 421. */
	ceiling: number;
	/** The most connections live at once so far. */
	peak: number;
	private readonly added = new Set<(slot: Slot) => void>();
	/** Connections being opened by grow, and whether the pool was closed (a late one is closed at once). */
	private joining = 0;
	private closed = false;
	private readonly backoff: (attempt: number) => number;
	// Removed in close(): a listener left on a combined AbortSignal keeps it, and this pool, alive (nodejs/node#55328).
	private readonly onAbort = () => this.close();

	constructor(private readonly options: PoolOptions) {
		this.slots = Array.from({length: options.size}, (_, index) => ({index, retired: false}));
		this.ceiling = Math.max(options.size, options.max ?? 0);
		this.peak = options.size;
		this.backoff = options.backoffMs ?? defaultBackoff;
		options.signal.addEventListener('abort', this.onAbort, {once: true});
	}

	get live(): number {
		return this.slots.filter(slot => !slot.retired).length;
	}

	/** Connect the first client alone (so a trust question or a wrong password comes once), then the rest. */
	async open(first: FtpClient, mlsd: boolean): Promise<void> {
		this.slots[0]!.client = first;
		this.listing = mlsd ? 'MLSD' : 'LIST';
		await Promise.all(this.slots.slice(1).map(async slot => this.ensure(slot).catch(() => undefined)));
	}

	/** The slot's client, connecting it if needed; retires the slot on 421 while others are live. */
	async ensure(slot: Slot): Promise<FtpClient> {
		if (slot.client && !slot.client.closed) return slot.client;
		this.check();
		try {
			const {client} = await connect(this.options.config, undefined, this.options.signal);
			slot.client = client;
			if (this.options.signal.aborted) client.close();
			this.check();
			return client;
		} catch (error) {
			if (ftpCode(error) === 421 && this.slots.some(other => other !== slot && !other.retired && other.client && !other.client.closed)) {
				slot.retired = true;
				this.ceiling = Math.min(this.ceiling, this.live);
				this.options.emit({type: 'connections', connections: this.live, reason: `the server allows no more (${replyText(error)})`});
			}

			throw error;
		}
	}

	/**
	 * Run one request on a slot, retrying faults worth retrying with backoff up to the retry
	 * budget. A permanent FTP reply (5xx) is thrown at once for the caller to record. A budget
	 * spent is told apart by where the last attempt failed: on the request itself, only that
	 * request is given up (GaveUpError: a file fails, the run goes on); on connecting, the server
	 * cannot be reached from this slot (see `unreachable`).
	 */
	async attempt<T>(slot: Slot, what: string, request: (client: FtpClient) => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			this.check();
			let connecting = true;
			try {
				const client = await this.ensure(slot);
				connecting = false;
				return await request(client);
			} catch (error) {
				this.check();
				if (slot.retired) throw new SlotRetired();
				if (!isTransient(error)) throw error;
				slot.client?.close();
				slot.client = undefined;
				if (attempt > this.options.retries) {
					if (connecting) throw this.unreachable(slot, what, attempt, error);
					throw new GaveUpError(`gave up on ${what} after ${attempt} attempts: ${replyText(error)}`);
				}

				const delayMs = this.backoff(attempt);
				this.options.emit({type: 'retry', path: what, attempt, delayMs, reason: replyText(error)});
				await sleep(delayMs, this.options.signal);
			}
		}
	}

	/** Hear of every slot added from now on (a drain starts a worker on it); returns the way to stop. */
	onSlot(listener: (slot: Slot) => void): () => void {
		this.added.add(listener);
		return () => this.added.delete(listener);
	}

	/**
	 * Open up to `count` more connections, never past the ceiling; each that logs in becomes a slot
	 * handed to the drains at work. A `421` lowers the ceiling to what is open; any other failure
	 * is left to a later window. Resolves with how many joined.
	 */
	async grow(count: number, reason: string): Promise<number> {
		const wanted = Math.min(count, this.ceiling - this.live - this.joining);
		if (wanted <= 0 || this.closed) return 0;
		this.joining += wanted;
		let refusal: string | undefined;
		const joined = await Promise.all(Array.from({length: wanted}, async () => {
			try {
				const {client} = await connect(this.options.config, undefined, this.options.signal);
				if (this.closed || this.live >= this.ceiling) {
					client.close();
					return 0;
				}

				const slot: Slot = {index: this.slots.length, client, retired: false};
				this.slots.push(slot);
				for (const listener of this.added) listener(slot);
				return 1;
			} catch (error) {
				if (ftpCode(error) === 421) {
					this.ceiling = Math.min(this.ceiling, this.live);
					refusal = replyText(error);
				}

				return 0;
			} finally {
				this.joining--;
			}
		}));
		const added = joined.reduce((sum: number, one) => sum + one, 0);
		this.peak = Math.max(this.peak, this.live);
		if (added > 0 || refusal) this.options.emit({type: 'connections', connections: this.live, reason: refusal ? `the server allows no more (${refusal})` : reason});
		return added;
	}

	/** Retire up to `count` of the newest slots, never the last one: each stops after its request, and its client is closed. */
	shrink(count: number, reason: string): number {
		const live = this.slots.filter(slot => !slot.retired);
		const retiring = live.slice(Math.max(1, live.length - count));
		for (const slot of retiring) {
			slot.retired = true;
			slot.leaving = true;
		}

		if (retiring.length > 0) this.options.emit({type: 'connections', connections: this.live, reason});
		return retiring.length;
	}

	/** A retired slot's worker is done with it: a slot that left (shrink) closes its client. */
	release(slot: Slot): void {
		if (!slot.leaving) return;
		slot.client?.close();
		slot.client = undefined;
	}

	/**
	 * A slot that could not connect for a whole retry budget: retired while another connection
	 * still works (its work goes back to the queue), else the server cannot be reached on any
	 * connection and the run fails.
	 */
	private unreachable(slot: Slot, what: string, attempts: number, error: unknown): Error {
		if (this.slots.some(other => other !== slot && !other.retired && other.client && !other.client.closed)) {
			slot.retired = true;
			this.options.emit({type: 'connections', connections: this.live, reason: `a connection could not be made again: ${replyText(error)}`});
			return new SlotRetired();
		}

		return new PackratError(`gave up on ${what} after ${attempts} attempts: the server cannot be reached (${replyText(error)})`, 'server');
	}

	check(): void {
		if (this.options.signal.aborted) throw new CancelledError();
	}

	close(): void {
		this.closed = true;
		this.options.signal.removeEventListener('abort', this.onAbort);
		for (const slot of this.slots) slot.client?.close();
	}
}

/** Thrown in a worker whose slot the server would not give a connection; the worker ends. */
export class SlotRetired extends Error {
	constructor() {
		super('the server would not give this connection again');
	}
}

/** One request whose retry budget was spent while the server still answered: that request fails, not the run. */
export class GaveUpError extends PackratError {
	constructor(message: string) {
		super(message, 'server');
		this.name = 'GaveUpError';
	}
}
