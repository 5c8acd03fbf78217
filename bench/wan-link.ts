/**
 * An emulated wide-area link, in user space (no netem here): every chunk is delivered one-way
 * delay (RTT / 2) after it reached the proxy, in order; the downlink (server to client) is one
 * queue shared by all connections, drained at the link's rate; a new connection carries its
 * first byte no sooner than its handshake allows. `Pipe` moves one direction of one connection.
 */
import type {Socket} from 'node:net';

export type LinkOptions = {rttMs: number; mbit: number};

/** What crossed the link since the last reset: what the WAN table reports per run. */
export type LinkStats = {
	connections: {control: number; data: number};
	/** Times the client spoke after it had heard from the server (or first): the waits a client pays one RTT for. */
	turns: {control: number; data: number};
	bytesDown: number;
	bytesUp: number;
	/** Plain FTP only: the commands seen on control connections, by verb. */
	commands: Record<string, number>;
	/** How late the proxy's timers delivered chunks (a busy machine adds to the emulated delay). */
	lateMs: {sum: number; count: number; max: number};
};

export const emptyStats = (): LinkStats => ({
	connections: {control: 0, data: 0}, turns: {control: 0, data: 0}, bytesDown: 0, bytesUp: 0, commands: {}, lateMs: {sum: 0, count: 0, max: 0},
});

/** A connection's bytes held by the proxy at most (a TCP window would bound them as well); reading pauses beyond. */
const windowBytes = 1024 * 1024;

export class Link {
	readonly oneWayMs: number;
	readonly rttMs: number;
	stats = emptyStats();
	private readonly bytesPerMs: number;
	private downFree = 0;

	constructor(options: LinkOptions) {
		this.rttMs = options.rttMs;
		this.oneWayMs = options.rttMs / 2;
		this.bytesPerMs = (options.mbit * 1e6) / 8 / 1000;
	}

	/** When a chunk of `bytes` from the server, at the proxy at `now`, reaches the client: after the shared queue, then the delay. */
	down(now: number, bytes: number): number {
		const start = Math.max(now, this.downFree);
		this.downFree = start + bytes / this.bytesPerMs;
		this.stats.bytesDown += bytes;
		return this.downFree + this.oneWayMs;
	}

	/** When a chunk from the client, at the proxy at `now`, reaches the server (no rate limit up). */
	up(now: number, bytes: number): number {
		this.stats.bytesUp += bytes;
		return now + this.oneWayMs;
	}

	/**
	 * The handshake of a connection the client opened at `openedAt`: SYN, SYN-ACK, then the ACK
	 * reaches the server one and a half RTT later; the proxy connects to the server then, and the
	 * client's first bytes (sent after its SYN-ACK, one RTT in) arrive no sooner.
	 */
	serverSideOpen(openedAt: number): number {
		return openedAt + this.rttMs + this.oneWayMs;
	}

	late(ms: number): void {
		const late = Math.max(0, ms);
		this.stats.lateMs.sum += late;
		this.stats.lateMs.count++;
		this.stats.lateMs.max = Math.max(this.stats.lateMs.max, late);
	}
}

type Item = {due: number; bytes: number; data: Buffer | Promise<Buffer> | 'end' | 'destroy'};

/**
 * One direction of a relayed connection: reads `from`, holds each chunk until its due time (from
 * `schedule`, never before the previous chunk's), then writes it to `to()`. An end or a reset of
 * `from` is passed on in its turn. `transform` may rewrite the bytes (the passive replies);
 * `delivered` hears of each chunk written, and of the end.
 */
export class Pipe {
	private readonly queue: Item[] = [];
	private held = 0;
	private lastDue = 0;
	private timer: NodeJS.Timeout | undefined;
	private flushing = false;
	private closed = false;

	constructor(
		private readonly link: Link,
		private readonly from: Socket,
		private readonly to: () => Socket,
		private readonly schedule: (now: number, bytes: number) => number,
		private readonly hooks: {transform?: (chunk: Buffer) => Buffer | Promise<Buffer>; delivered?: () => void} = {},
	) {
		from.on('data', (chunk: Buffer) => {
			this.push(this.schedule(performance.now(), chunk.length), hooks.transform ? hooks.transform(chunk) : chunk, chunk.length);
			this.held += chunk.length;
			if (this.held > windowBytes) from.pause();
		});
		// An end or a reset crosses the link as a chunk does: never before the connection's handshake
		// lets anything through (a client that ends its side at once must not open the server's side early).
		from.on('end', () => this.push(this.schedule(performance.now(), 0), 'end'));
		// A close without an end is a reset (or a failure): passed on as one. After an end, the other side closes by itself.
		from.on('close', () => {
			if (!from.readableEnded) this.push(this.schedule(performance.now(), 0), 'destroy');
		});
	}

	/** Stop at once: nothing more is delivered. */
	stop(): void {
		this.closed = true;
		clearTimeout(this.timer);
		this.queue.length = 0;
	}

	private push(due: number, data: Item['data'], bytes = 0): void {
		if (this.closed) return;
		this.lastDue = Math.max(this.lastDue, due);
		this.queue.push({due: this.lastDue, bytes, data});
		this.arm();
	}

	private arm(): void {
		if (this.timer || this.flushing || this.queue.length === 0) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.flush();
		}, Math.max(0, this.queue[0]!.due - performance.now()));
	}

	private async flush(): Promise<void> {
		this.flushing = true;
		while (!this.closed && this.queue.length > 0 && this.queue[0]!.due <= performance.now() + 0.5) {
			const item = this.queue[0]!;
			const data = item.data instanceof Promise ? await item.data : item.data;
			this.queue.shift();
			this.link.late(performance.now() - item.due);
			const to = this.to();
			if (data === 'end') {
				to.end();
				this.hooks.delivered?.();
			} else if (data === 'destroy') {
				this.closed = true;
				to.destroy();
			} else {
				this.held -= item.bytes;
				if (data.length === 0) continue;
				to.write(data);
				this.hooks.delivered?.();
			}
		}

		this.flushing = false;
		if (this.held <= windowBytes / 2 && this.from.isPaused()) this.from.resume();
		this.arm();
	}
}
