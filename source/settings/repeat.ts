/**
 * The repeat rule, in one place: `daily`, `every Nh` (1 to 24 hours, counted from Start at each
 * day), or a cron expression of 5 or 6 fields. The settings check its shape (keys.ts, without
 * loading a cron parser); the schedule reads it and checks a cron expression in full (next-run.ts).
 */

export type Repeat = {kind: 'daily'} | {kind: 'hours'; hours: number} | {kind: 'cron'; expression: string};

/** The repeat a text says, or the one line of what is wrong with it. */
export function readRepeat(value: string): Repeat | {problem: string} {
	const text = value.trim();
	if (text === 'daily') return {kind: 'daily'};
	const every = /^every (\d+)h$/.exec(text);
	if (every) {
		const hours = Number(every[1]);
		if (hours < 1 || hours > 24) return {problem: 'the hours of "every Nh" must be from 1 to 24'};
		return hours === 24 ? {kind: 'daily'} : {kind: 'hours', hours};
	}

	const fields = text.split(/\s+/);
	if ((fields.length === 5 || fields.length === 6) && fields.every(field => /^[\d*/,?LW#A-Za-z-]+$/.test(field))) return {kind: 'cron', expression: text};
	return {problem: 'expected "daily", "every Nh" or a cron expression of 5 or 6 fields'};
}
