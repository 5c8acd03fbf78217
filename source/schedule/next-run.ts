/**
 * When the next backup is due, from `startAt` (HH:MM, local time) and `repeat` (daily, every Nh
 * from Start at, or a cron expression), in the process's time zone.
 *
 * The schedule is worked out on the wall clock — local times written as if they were UTC, where
 * no day has a daylight-saving change — and each wall time is then mapped to a real instant: a
 * wall time that does not exist that day (spring forward) becomes the first minute after the gap,
 * and one that happens twice (fall back) is its first occurrence only, so it runs once.
 */
import cronParser from 'cron-parser';
import {readRepeat, type Repeat} from '../settings/repeat.js';
import {parseStartAt} from '../settings/start-at.js';

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

export type {Repeat} from '../settings/repeat.js';
export {parseStartAt} from '../settings/start-at.js';

/** The repeat of a setting, its cron expression checked in full; throws one line on anything else. */
export function parseRepeat(repeat: string): Repeat {
	const read = readRepeat(repeat);
	if ('problem' in read) throw new Error(`repeat: ${read.problem} (got ${JSON.stringify(repeat)})`);
	if (read.kind !== 'cron') return read;
	try {
		cronParser.parseExpression(read.expression, {tz: 'UTC'});
	} catch (error) {
		throw new Error(`repeat must be daily, every Nh or a cron expression (got ${JSON.stringify(repeat)}: ${(error as Error).message})`);
	}

	return read;
}

/** The local wall clock of an instant, as milliseconds of a pretend-UTC date. */
export function wallOf(instant: number): number {
	const date = new Date(instant);
	return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds(), date.getMilliseconds());
}

/** The instants whose local wall clock reads `wall`, earliest first: none in a gap, two in a repeated hour. */
function instantsAt(wall: number): number[] {
	const offsets = new Set([wall - dayMs, wall, wall + dayMs].map(at => -new Date(at).getTimezoneOffset() * minuteMs));
	return [...offsets]
		.map(offset => wall - offset)
		.filter(instant => wallOf(instant) === wall)
		.sort((a, b) => a - b);
}

/** The first instant at which the wall clock reads `wall`, or, in a gap, the first minute after it. */
export function instantOf(wall: number): number {
	let probe = wall;
	for (let step = 0; step <= 24 * 60; step++) {
		const found = instantsAt(probe)[0];
		if (found !== undefined) return found;
		probe = Math.floor(probe / minuteMs) * minuteMs + minuteMs;
	}

	throw new Error(`no local time follows ${new Date(wall).toISOString().slice(0, 16)} within a day`);
}

/** The wall times of one day, in minutes after midnight, for daily and every-N-hours. */
export function minutesOfDay(start: number, repeat: Repeat): number[] {
	if (repeat.kind !== 'hours') return [start];
	const step = repeat.hours * 60;
	const first = start % step;
	const minutes: number[] = [];
	for (let minute = first; minute < 24 * 60; minute += step) minutes.push(minute);
	return minutes;
}

/** The first wall time of the schedule strictly after the wall time `cursor`. */
function nextWall(start: number, repeat: Repeat, cursor: number): number {
	if (repeat.kind === 'cron') {
		return cronParser.parseExpression(repeat.expression, {currentDate: new Date(cursor), tz: 'UTC'}).next().getTime();
	}

	const minutes = minutesOfDay(start, repeat);
	const midnight = Math.floor(cursor / dayMs) * dayMs;
	for (const minute of minutes) {
		const wall = midnight + minute * minuteMs;
		if (wall > cursor) return wall;
	}

	return midnight + dayMs + minutes[0]! * minuteMs;
}

/**
 * The first due time strictly after `after`. `every Nh` counts from Start at each day
 * (03:00 every 6h → 03:00, 09:00, 15:00, 21:00); a cron expression ignores Start at.
 */
export function nextRun(startAt: string, repeat: string, after: Date): Date {
	const start = parseStartAt(startAt);
	const rule = parseRepeat(repeat);
	const limit = after.getTime();
	let cursor = wallOf(limit);
	// A wall time already passed in the first pass of a repeated hour is skipped, not run twice.
	for (let attempt = 0; attempt < 10_000; attempt++) {
		const wall = nextWall(start, rule, cursor);
		const instant = instantOf(wall);
		if (instant > limit) return new Date(instant);
		cursor = wall;
	}

	throw new Error(`repeat ${JSON.stringify(repeat)} has no due time after ${after.toISOString()}`);
}

/** How the repeat reads in the window and in `packrat status`. */
export function describeRepeat(repeat: string): string {
	let rule: Repeat;
	try {
		rule = parseRepeat(repeat);
	} catch {
		return `invalid repeat ${JSON.stringify(repeat)}`;
	}

	if (rule.kind === 'daily') return 'daily';
	if (rule.kind === 'hours') return rule.hours === 1 ? 'every hour from Start at' : `every ${rule.hours} hours from Start at`;
	return `cron ${rule.expression}`;
}
