/**
 * What a soak test watches for leaks: the heap after a full GC, the fake timers, the process
 * listeners and the active handles by type. Waits use the real setTimeout, captured when this
 * module loads (before any test fakes the timers).
 */
import {getHeapSpaceStatistics, setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {vi} from 'vitest';

const realSetTimeout = globalThis.setTimeout;

/** Real time passes, whatever the fake timers say. */
export const realDelay = async (ms: number) => new Promise<void>(resolve => realSetTimeout(resolve, ms));

/** The process events whose listeners must not pile up run after run. */
export const watchedEvents = ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGHUP', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'warning'] as const;

export type Probe = {
	/** Fake timers pending (vi.getTimerCount), 0 while the timers are real. */
	timers: number;
	listeners: Record<string, number>;
	/** process.getActiveResourcesInfo(), counted by type. */
	resources: Record<string, number>;
};

export function probe(): Probe {
	const listeners: Record<string, number> = {};
	for (const event of watchedEvents) listeners[event] = process.listenerCount(event);
	const resources: Record<string, number> = {};
	for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
	return {timers: vi.isFakeTimers() ? vi.getTimerCount() : 0, listeners, resources};
}

/**
 * Waits (in real time) until the sockets of the last run are gone: `idle()` holds and two probes a
 * few milliseconds apart agree. Gives up after `limitMs` and returns what it sees then.
 */
export async function settle(idle: () => boolean, limitMs = 2000): Promise<Probe> {
	const deadline = performance.now() + limitMs;
	let last = JSON.stringify(probe());
	for (;;) {
		await realDelay(5);
		const now = probe();
		const text = JSON.stringify(now);
		if ((idle() && text === last) || performance.now() > deadline) return now;
		last = text;
	}
}

/**
 * A full garbage collection: `global.gc` when node runs with --expose-gc, else the same function
 * taken from V8 at run time (as jest's leak detector does), else undefined.
 */
export function findGc(): (() => void) | undefined {
	const exposed = (globalThis as {gc?: () => void}).gc;
	if (typeof exposed === 'function') return exposed;
	try {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as unknown;
		return typeof gc === 'function' ? (gc as () => void) : undefined;
	} catch {
		return undefined;
	}
}

export type Heap = {
	/** process.memoryUsage().heapUsed */
	used: number;
	/** Of which V8's code space: compiled code, which grows as the JIT warms up, not as data leaks. */
	code: number;
};

/** The heap after collecting until it stops shrinking (a few passes at most). */
export async function heapAfterGc(gc: () => void): Promise<Heap> {
	let best = Number.POSITIVE_INFINITY;
	for (let pass = 0; pass < 4; pass++) {
		gc();
		await realDelay(1); // let finalizers and weak callbacks run
		gc();
		const used = process.memoryUsage().heapUsed;
		const done = used >= best * 0.999;
		best = Math.min(best, used);
		if (done) break;
	}

	const code = getHeapSpaceStatistics().find(space => space.space_name === 'code_space')?.space_used_size ?? 0;
	return {used: best, code};
}
