/**
 * Times as `packrat versions` shows them and `packrat restore --at` reads them: local time,
 * `YYYY-MM-DD HH:MM:SS`. A time given to the minute (or the day) stands for the whole of it, so
 * `--at "2026-11-20 03:00"` takes a version saved at 03:00:30.
 */
import {PackratError} from '../backup/errors.js';
import {localParts} from '../format.js';

/** Seconds since the epoch → `2026-11-20 03:00:00` in local time. */
export function localTime(seconds: number): string {
	const {year, month, day, hours, minutes, seconds: second} = localParts(new Date(seconds * 1000));
	return `${year}-${month}-${day} ${hours}:${minutes}:${second}`;
}

/** Seconds since the epoch → `2026-11-20T03:00:00Z`, as the export writes times. */
export function isoTime(seconds: number): string {
	return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `YYYY-MM-DD[ HH:MM[:SS]]` (a `T` may stand for the space) in local time → the last second it
 * stands for, in seconds since the epoch. A value that is no such time throws a config error.
 */
export function parseAt(text: string): number {
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
	const bad = () => new PackratError(`--at ${JSON.stringify(text)} is not a time: give "YYYY-MM-DD HH:MM" in local time, e.g. --at "2026-11-20 03:00"`, 'config');
	if (!match) throw bad();
	const [year, month, day, hour, minute, second] = match.slice(1).map(value => (value === undefined ? undefined : Number(value))) as Array<number | undefined>;
	const date = new Date(year!, month! - 1, day!, hour ?? 23, minute ?? 59, second ?? 59);
	const same = date.getFullYear() === year && date.getMonth() === month! - 1 && date.getDate() === day && date.getHours() === (hour ?? 23) && date.getMinutes() === (minute ?? 59) && date.getSeconds() === (second ?? 59);
	// A wall-clock time that a DST change skips does not exist: named as such rather than moved.
	if (!same) throw bad();
	return Math.floor(date.getTime() / 1000);
}
