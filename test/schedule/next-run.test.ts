import {afterAll, describe, expect, it} from 'vitest';
import {describeRepeat, minutesOfDay, nextRun, parseRepeat, parseStartAt} from '../../source/schedule/next-run.js';

// Node re-reads TZ whenever it is assigned, so each case fixes its own zone.
const originalZone = process.env['TZ'];
afterAll(() => {
	if (originalZone === undefined) delete process.env['TZ'];
	else process.env['TZ'] = originalZone;
});

/** The next `count` due times after `after`, each as the instant in ISO 8601 UTC. */
function dues(zone: string, startAt: string, repeat: string, after: string, count = 3): string[] {
	process.env['TZ'] = zone;
	const result: string[] = [];
	let cursor = new Date(after);
	for (let index = 0; index < count; index++) {
		cursor = nextRun(startAt, repeat, cursor);
		result.push(cursor.toISOString());
	}

	return result;
}

describe('nextRun on daylight-saving days', () => {
	it.each([
		// America/New_York, 2026-03-08: 02:00 EST jumps to 03:00 EDT.
		['America/New_York', '02:30', '2026-03-08T00:00:00-05:00', ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']],
		['America/New_York', '02:00', '2026-03-08T00:00:00-05:00', ['2026-03-08T07:00:00.000Z', '2026-03-09T06:00:00.000Z', '2026-03-10T06:00:00.000Z']],
		['America/New_York', '03:00', '2026-03-08T00:00:00-05:00', ['2026-03-08T07:00:00.000Z', '2026-03-09T07:00:00.000Z', '2026-03-10T07:00:00.000Z']],
		// Europe/Paris, 2026-03-29: 02:00 CET jumps to 03:00 CEST.
		['Europe/Paris', '02:30', '2026-03-29T00:00:00+01:00', ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']],
		['Europe/Paris', '02:00', '2026-03-29T00:00:00+01:00', ['2026-03-29T01:00:00.000Z', '2026-03-30T00:00:00.000Z', '2026-03-31T00:00:00.000Z']],
		['Europe/Paris', '03:00', '2026-03-29T00:00:00+01:00', ['2026-03-29T01:00:00.000Z', '2026-03-30T01:00:00.000Z', '2026-03-31T01:00:00.000Z']],
	])('in %s, Start at %s that does not exist runs at the first minute after the gap', (zone, startAt, after, expected) => {
		expect(dues(zone, startAt, 'daily', after)).toEqual(expected);
	});

	it.each([
		// America/New_York, 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
		['America/New_York', '01:30', '2026-11-01T00:00:00-04:00', ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']],
		['America/New_York', '02:00', '2026-11-01T00:00:00-04:00', ['2026-11-01T07:00:00.000Z', '2026-11-02T07:00:00.000Z']],
		// Europe/Paris, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
		['Europe/Paris', '02:30', '2026-10-25T00:00:00+02:00', ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']],
		['Europe/Paris', '02:00', '2026-10-25T00:00:00+02:00', ['2026-10-25T00:00:00.000Z', '2026-10-26T01:00:00.000Z']],
		['Europe/Paris', '03:00', '2026-10-25T00:00:00+02:00', ['2026-10-25T02:00:00.000Z', '2026-10-26T02:00:00.000Z']],
	])('in %s, Start at %s that happens twice runs once', (zone, startAt, after, expected) => {
		expect(dues(zone, startAt, 'daily', after, 2)).toEqual(expected);
	});

	it('does not run again in the second pass of a repeated hour', () => {
		process.env['TZ'] = 'America/New_York';
		// Just after the first 01:30 (EDT), and during the second pass (EST) before 01:30 comes again.
		expect(nextRun('01:30', 'daily', new Date('2026-11-01T01:30:00-04:00')).toISOString()).toBe('2026-11-02T06:30:00.000Z');
		expect(nextRun('01:30', 'daily', new Date('2026-11-01T01:10:00-05:00')).toISOString()).toBe('2026-11-02T06:30:00.000Z');
		process.env['TZ'] = 'Europe/Paris';
		expect(nextRun('02:30', 'daily', new Date('2026-10-25T02:45:00+01:00')).toISOString()).toBe('2026-10-26T01:30:00.000Z');
	});

	it('runs once when due in the gap, even just before it', () => {
		process.env['TZ'] = 'Europe/Paris';
		expect(nextRun('02:30', 'daily', new Date('2026-03-29T01:59:59+01:00')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
		expect(nextRun('02:30', 'daily', new Date('2026-03-29T03:00:00+02:00')).toISOString()).toBe('2026-03-30T00:30:00.000Z');
	});

	it('keeps every Nh on the wall clock across the changes', () => {
		expect(dues('America/New_York', '00:00', 'every 1h', '2026-11-01T00:30:00-04:00', 3)).toEqual([
			'2026-11-01T05:00:00.000Z', // 01:00 EDT, once
			'2026-11-01T07:00:00.000Z', // 02:00 EST
			'2026-11-01T08:00:00.000Z',
		]);
		expect(dues('Europe/Paris', '02:30', 'every 12h', '2026-03-29T00:00:00+01:00', 3)).toEqual([
			'2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
			'2026-03-29T12:30:00.000Z', // 14:30 CEST
			'2026-03-30T00:30:00.000Z',
		]);
	});

	it('maps cron expressions the same way', () => {
		expect(dues('Europe/Paris', '03:00', '30 2 * * *', '2026-03-29T00:00:00+01:00', 2)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
		expect(dues('Europe/Paris', '03:00', '30 2 * * *', '2026-10-25T00:00:00+02:00', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
		expect(dues('America/New_York', '03:00', '30 2 * * *', '2026-03-08T00:00:00-05:00', 1)).toEqual(['2026-03-08T07:00:00.000Z']);
		expect(dues('America/New_York', '03:00', '30 1 * * *', '2026-11-01T00:00:00-04:00', 2)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
	});
});

describe('nextRun', () => {
	it('is strictly after the given time', () => {
		process.env['TZ'] = 'UTC';
		expect(nextRun('03:00', 'daily', new Date('2026-06-01T02:59:59Z')).toISOString()).toBe('2026-06-01T03:00:00.000Z');
		expect(nextRun('03:00', 'daily', new Date('2026-06-01T03:00:00Z')).toISOString()).toBe('2026-06-02T03:00:00.000Z');
	});

	it('counts every Nh from Start at each day', () => {
		expect(dues('UTC', '03:00', 'every 6h', '2026-06-01T00:00:00Z', 5)).toEqual([
			'2026-06-01T03:00:00.000Z', '2026-06-01T09:00:00.000Z', '2026-06-01T15:00:00.000Z', '2026-06-01T21:00:00.000Z', '2026-06-02T03:00:00.000Z',
		]);
		expect(minutesOfDay(22 * 60, parseRepeat('every 6h'))).toEqual([4 * 60, 10 * 60, 16 * 60, 22 * 60]);
		expect(minutesOfDay(3 * 60, parseRepeat('every 5h'))).toEqual([3 * 60, 8 * 60, 13 * 60, 18 * 60, 23 * 60]);
		expect(dues('UTC', '10:15', 'every 24h', '2026-06-01T11:00:00Z', 1)).toEqual(['2026-06-02T10:15:00.000Z']);
	});

	it('follows a cron expression in local time, ignoring Start at', () => {
		// 2026-06-05 is a Friday: the next weekday 03:00 after it is Monday 8 June.
		expect(dues('Europe/Paris', '12:00', '0 3 * * 1-5', '2026-06-05T04:00:00+02:00', 2)).toEqual(['2026-06-08T01:00:00.000Z', '2026-06-09T01:00:00.000Z']);
		expect(dues('UTC', '12:00', '*/15 * * * *', '2026-06-01T10:07:00Z', 2)).toEqual(['2026-06-01T10:15:00.000Z', '2026-06-01T10:30:00.000Z']);
		expect(dues('UTC', '12:00', '0 4 L * *', '2026-02-01T00:00:00Z', 1)).toEqual(['2026-02-28T04:00:00.000Z']);
	});

	it('refuses bad input with a readable message', () => {
		expect(() => parseStartAt('25:00')).toThrow(/HH:MM/);
		expect(() => nextRun('03:00', 'every 0h', new Date())).toThrow(/from 1 to 24/);
		expect(() => nextRun('03:00', '99 * * * *', new Date())).toThrow(/cron expression/);
	});

	it('describes the repeat', () => {
		expect(describeRepeat('daily')).toBe('daily');
		expect(describeRepeat('every 6h')).toBe('every 6 hours from Start at');
		expect(describeRepeat('every 1h')).toBe('every hour from Start at');
		expect(describeRepeat('0 3 * * 1-5')).toBe('cron 0 3 * * 1-5');
		expect(describeRepeat('weekly')).toMatch(/invalid/);
	});
});
