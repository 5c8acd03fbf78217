/**
 * Whether the last successful backup is stale: older than two cycles of the schedule. One cycle
 * is a day for `daily`, N hours for `every Nh`, and for a cron expression the time between its
 * next two runs. The window turns the line red with the word, and `packrat status` exits 1.
 */
import {nextRun, parseRepeat} from './next-run.js';

/** A backup older than this many cycles is stale. */
export const staleCycles = 2;

const hourMs = 3_600_000;

/** How long one cycle of the schedule lasts, or undefined when the settings give no schedule. */
export function cycleMs(startAt: string, repeat: string, now: Date): number | undefined {
	try {
		const rule = parseRepeat(repeat);
		if (rule.kind === 'daily') return 24 * hourMs;
		if (rule.kind === 'hours') return rule.hours * hourMs;
		const first = nextRun(startAt, repeat, now);
		return nextRun(startAt, repeat, first).getTime() - first.getTime();
	} catch {
		return undefined;
	}
}

export type Freshness = {
	/** Milliseconds since the last successful backup ended. */
	ageMs: number;
	stale: boolean;
	/** The schedule's cycle the age was judged by. */
	cycleMs?: number;
};

/** How old the last successful backup is and whether that is stale; undefined when there is none. */
export function freshness(lastEnded: string | undefined, schedule: {startAt: string; repeat: string}, now: Date): Freshness | undefined {
	const ended = lastEnded === undefined ? Number.NaN : Date.parse(lastEnded);
	if (Number.isNaN(ended)) return undefined;
	const cycle = cycleMs(schedule.startAt, schedule.repeat, now);
	const ageMs = Math.max(0, now.getTime() - ended);
	return {ageMs, stale: cycle !== undefined && ageMs > staleCycles * cycle, cycleMs: cycle};
}
