/**
 * `connections: auto`: how many connections a run uses while it transfers. It starts at 4 and
 * judges each second of transfers by two measures: the time from asking for a file to its first
 * byte (the server's and the link's round trips; it grows when either is overloaded or a link's
 * queue fills) and the bytes that came. While that time stays near the best seen, it adds
 * connections (half as many again, up to 16); an addition that brought no more bytes (the server
 * or this machine is busy, not the link: loopback, a LAN, FTPS's handshakes) is undone, and the
 * next try waits a while, longer after each that did not pay; when that time doubles, it drops
 * some. A `421` at connect time lowers the ceiling for good (pool.ts). A number in the settings
 * fixes the count: no adapter.
 */
import type {Pool} from './pool.js';

export const autoConnections = {start: 4, max: 16} as const;

/** The connections a run opens at first: the number set, or 4 under `auto`. */
export const initialConnections = (connections: number | 'auto') => (connections === 'auto' ? autoConnections.start : connections);

/** What the adapter knows between windows. */
export type AdaptState = {
	/** The lowest median time to first byte of a window so far (ms). */
	best: number;
	/** Windows to wait before adding connections again. */
	wait: number;
	/** The bytes of the window before the last addition, to see whether it paid, and the connections before it. */
	before?: number;
	from?: number;
	/** Additions in a row that brought no more bytes: each makes the wait before the next one longer. */
	unpaid?: number;
};

/** Windows to wait after an addition that did not pay: 5, 10, 20, then 40 for good. */
const waitAfter = (unpaid: number) => 5 * 2 ** Math.min(3, unpaid - 1);

export type Measure = {connections: number; ceiling: number; firstByteMs: number[]; bytes: number};

/** Fewer than this many first bytes in a window tell nothing about it (a few large files). */
const minimumSamples = 3;
/** Near the best: grow. Past this: the server's replies slowed: shrink. */
const near = (ms: number, best: number) => ms <= best * 1.5 + 10;
const slow = (ms: number, best: number) => ms > best * 2 + 20;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * The change of the connection count after a window, and the state after it: pure, so that the
 * rule is tested without a network.
 */
export function decide(state: AdaptState, measure: Measure): {change: number; state: AdaptState; undone?: boolean} {
	const {connections, ceiling, firstByteMs, bytes} = measure;
	const next: AdaptState = {...state, before: undefined, from: undefined, wait: Math.max(0, state.wait - 1)};
	if (state.before !== undefined) {
		// An addition that brought no more bytes than the window before it is undone.
		if (bytes < state.before * 1.05) {
			const unpaid = (state.unpaid ?? 0) + 1;
			const undo = Math.max(0, connections - (state.from ?? connections));
			return {change: undo > 0 ? -undo : 0, state: {...next, unpaid, wait: waitAfter(unpaid)}, undone: true};
		}

		next.unpaid = 0;
	}

	if (firstByteMs.length < minimumSamples) return {change: 0, state: next};
	const typical = median(firstByteMs);
	next.best = Math.min(state.best, typical);
	if (slow(typical, next.best)) {
		const drop = Math.min(connections - 1, Math.max(1, Math.floor(connections / 4)));
		return {change: drop > 0 ? -drop : 0, state: {...next, wait: 5}};
	}

	if (next.wait > 0 || !near(typical, next.best) || connections >= ceiling) return {change: 0, state: next};
	const change = Math.min(ceiling - connections, Math.ceil(connections / 2));
	return {change, state: {...next, before: bytes, from: connections}};
}

/** Applies `decide` to a pool every `windowMs` while a run transfers. */
export class Adapter {
	private state: AdaptState = {best: Number.POSITIVE_INFINITY, wait: 0};
	private firstByteMs: number[] = [];
	private bytes = 0;
	private timer?: NodeJS.Timeout;

	constructor(private readonly pool: Pool, private readonly windowMs = 1000) {}

	start(): void {
		this.timer = setInterval(() => this.window(), this.windowMs);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/** A transfer done: the time to its first byte (none for an empty file) and its bytes. */
	transferred(firstByteMs: number | undefined, bytes: number): void {
		if (firstByteMs !== undefined) this.firstByteMs.push(firstByteMs);
		this.bytes += bytes;
	}

	private window(): void {
		const measure = {connections: this.pool.live, ceiling: this.pool.ceiling, firstByteMs: this.firstByteMs, bytes: this.bytes};
		this.firstByteMs = [];
		this.bytes = 0;
		const {change, state, undone} = decide(this.state, measure);
		this.state = state;
		if (change > 0) void this.pool.grow(change, 'the transfers kept their pace: more connections');
		if (change < 0) this.pool.shrink(-change, undone ? 'the connections added brought no more bytes: fewer connections' : "the server's replies slowed: fewer connections");
	}
}
