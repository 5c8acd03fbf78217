/**
 * Other work on the machine (a test suite, a build) skews wall times on a small box. Before a
 * timed run the benchmark waits, for a while, until the CPUs are mostly idle, and records how
 * idle they were; during the run it records how busy the whole machine was.
 */
import {readFileSync} from 'node:fs';

type Ticks = {busy: number; total: number};

function ticks(): Ticks | undefined {
	try {
		const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
		const values = line.trim().split(/\s+/).slice(1).map(Number);
		const idle = (values[3] ?? 0) + (values[4] ?? 0);
		const total = values.reduce((sum, value) => sum + value, 0);
		return {busy: total - idle, total};
	} catch {
		return undefined;
	}
}

/** Fraction of all CPUs busy between two readings. */
function busyBetween(from: Ticks | undefined, to: Ticks | undefined): number | undefined {
	if (!from || !to || to.total === from.total) return undefined;
	return (to.busy - from.busy) / (to.total - from.total);
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Wait until the machine was at most `maxBusy` busy over one second, for at most `maxWaitMs`.
 * Returns how busy the last second was.
 */
export async function waitForQuiet(maxBusy = 0.25, maxWaitMs = 30_000): Promise<number | undefined> {
	const deadline = Date.now() + maxWaitMs;
	for (;;) {
		const from = ticks();
		await sleep(1000);
		const busy = busyBetween(from, ticks());
		if (busy === undefined || busy <= maxBusy || Date.now() > deadline) return busy;
	}
}

/** Start watching; the returned function gives the fraction of all CPUs busy since. */
export function machineBusy(): () => number | undefined {
	const from = ticks();
	return () => busyBetween(from, ticks());
}
