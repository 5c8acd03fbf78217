/**
 * `connections: auto`: how many connections a run uses while it transfers. It starts at 4 and
 * judges each second of transfers by two measures: the time from asking for a file to its first
 * byte (the server's and the link's round trips; it grows when either is overloaded or a link's
 * queue fills) and the bytes that came. While that time stays near the best seen, it adds
 * connections (half as many again, up to 16); once an addition brought no more bytes, it waits
 * a while before trying again; when that time doubles, it drops some. A `421` at connect time
 * lowers the ceiling for good (pool.ts). A number in the settings fixes the count: no adapter.
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
	/** The bytes of the window before the last addition, to see whether it paid. */
	before?: number;
};

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
export function decide(state: AdaptState, measure: Measure): {change: number; state: AdaptState} {
	const {connections, ceiling, firstByteMs, bytes} = measure;
	const next: AdaptState = {...state, before: undefined, wait: Math.max(0, state.wait - 1)};
	// An addition that brought no more bytes than the window before it: wait before the next one.
	if (state.before !== undefined && bytes < state.before * 1.05) next.wait = 5;
	if (firstByteMs.length < minimumSamples) return {change: 0, state: next};
	const typical = median(firstByteMs);
	next.best = Math.min(state.best, typical);
	if (slow(typical, next.best)) {
		const drop = Math.min(connections - 1, Math.max(1, Math.floor(connections / 4)));
		return {change: drop > 0 ? -drop : 0, state: {...next, wait: 5}};
	}

	if (next.wait > 0 || !near(typical, next.best) || connections >= ceiling) return {change: 0, state: next};
	const change = Math.min(ceiling - connections, Math.ceil(connections / 2));
	return {change, state: {...next, before: bytes}};
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
		const {change, state} = decide(this.state, measure);
		this.state = state;
		if (change > 0) void this.pool.grow(change, 'the transfers kept their pace: more connections');
		if (change < 0) this.pool.shrink(-change, "the server's replies slowed: fewer connections");
	}
}
