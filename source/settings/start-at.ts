/**
 * The Start-at rule, in one place: a time of day as HH:MM, 00:00 to 23:59, in local time. The
 * settings check it (keys.ts), the schedule reads it (next-run.ts), and the Start-at dialog
 * checks it as it is typed, saying at once when what is typed can no longer become a time.
 */

export const startAtPattern = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes after midnight of an `HH:MM` time; throws on anything else. */
export function parseStartAt(startAt: string): number {
	const text = startAt.trim();
	if (!startAtPattern.test(text)) throw new Error(`Start at must be a time as HH:MM (got ${JSON.stringify(startAt)})`);
	const [hours, minutes] = text.split(':').map(Number) as [number, number];
	return hours * 60 + minutes;
}

export type Check = {state: 'ok' | 'partial' | 'bad'; message: string};

/** `0415` is taken as `04:15`; anything else is left as typed. */
export function normalizeTyped(text: string): string {
	return /^\d{4}$/.test(text) ? `${text.slice(0, 2)}:${text.slice(2)}` : text;
}

/** Whether a time typed so far is a valid HH:MM, could still become one, or cannot. */
export function checkTyped(typed: string): Check {
	const text = normalizeTyped(typed);
	if (startAtPattern.test(text)) return {state: 'ok', message: `a valid time: ${text}`};
	const match = /^(\d{0,2})(?::(\d{0,2}))?$/.exec(text) ?? /^(\d{2})(\d{0,1})$/.exec(text);
	if (!match) return {state: 'bad', message: 'expected HH:MM, for example 03:00'};
	const [, hours = '', minutes] = match;
	if (hours.length >= 1 && Number(hours[0]) > 2) return {state: 'bad', message: 'hours run from 00 to 23 (type two digits: 03)'};
	if (hours.length === 2 && Number(hours) > 23) return {state: 'bad', message: 'hours run from 00 to 23'};
	if (minutes !== undefined && minutes.length >= 1 && Number(minutes[0]) > 5) return {state: 'bad', message: 'minutes run from 00 to 59'};
	return {state: 'partial', message: 'type HH:MM'};
}

/** What the field keeps of a change: digits and one colon, at most 5 characters. */
export function acceptTyped(previous: string, next: string): string {
	if (!/^[\d:]*$/.test(next) || (next.match(/:/g) ?? []).length > 1 || next.length > 5) return previous;
	return next;
}
