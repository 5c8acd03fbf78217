/**
 * Whether the backup disk answers quickly. Making a file is a few short system calls on a local
 * disk, cheaper done at once on this thread than through the thread pool; but a disk that is
 * slow to make files (a busy disk, a network share, ext4 just after mass deletion) would then
 * hold up every connection and the window. So calls are made directly while they are quick on
 * average (a moving average over the last few dozen; one preempted call does not count much),
 * and through the thread pool for the rest of the run once they are not, or once one call
 * stalls outright.
 */
import {performance} from 'node:perf_hooks';

/** The average direct call (a file's open-write-close, its link and unlink, a mkdir) above which the disk is slow. */
export const slowAverageMs = 0.4;
/** A write counts as one call per this many bytes in the average: a large file's 256 KiB batch is four small files' worth of copying, not one slow call. */
export const bytesPerCall = 64 * 1024;
/** One call this long is a stall whatever the average. */
export const stallMs = 20;
const weight = 1 / 32;

export class DiskPace {
	slow = false;
	/** Moving average of direct calls, in ms. */
	averageMs = 0;

	/** `now`: the clock calls are timed by, in ms (tests give their own). */
	constructor(private readonly now: () => number = () => performance.now()) {}

	/** Run `call` on this thread, and note how long it took; `bytes`, when it writes them, makes it count as that many calls' worth of copying. */
	direct<T>(call: () => T, bytes = 0): T {
		const started = this.now();
		try {
			return call();
		} finally {
			const ms = this.now() - started;
			this.averageMs += (ms / Math.max(1, bytes / bytesPerCall) - this.averageMs) * weight;
			if (this.averageMs > slowAverageMs || ms > stallMs) this.slow = true;
		}
	}

	/** `now` on this thread while the disk is quick (see direct), else `later` through the thread pool. */
	async call<T>(now: () => T, later: () => Promise<T>): Promise<T> {
		return this.slow ? later() : this.direct(now);
	}
}
