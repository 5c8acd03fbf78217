import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {Scheduler, type DueInfo} from '../../source/schedule/scheduler.js';

process.env['TZ'] = 'Europe/Paris';

const minute = 60_000;
const hour = 60 * minute;

function make(options: {startAt?: string; repeat?: string; armed?: boolean} = {}) {
	const dues: DueInfo[] = [];
	const scheduler = new Scheduler({startAt: options.startAt ?? '03:00', repeat: options.repeat ?? 'daily', armed: options.armed ?? true, onDue: info => dues.push(info)});
	return {scheduler, dues};
}

describe('Scheduler', () => {
	beforeEach(() => {
		vi.useFakeTimers();
		vi.setSystemTime(new Date('2026-06-01T02:58:00+02:00'));
	});

	afterEach(() => {
		vi.useRealTimers();
	});

	it('fires on the due second when armed, and not when disarmed', () => {
		const {scheduler, dues} = make();
		expect(scheduler.next()?.toISOString()).toBe('2026-06-01T01:00:00.000Z');
		vi.advanceTimersByTime(2 * minute - 1);
		expect(dues).toHaveLength(0);
		vi.advanceTimersByTime(1);
		expect(dues).toHaveLength(1);
		expect(dues[0]).toMatchObject({missed: false});
		expect(dues[0]!.ranAt.getTime()).toBe(dues[0]!.due.getTime());
		expect(scheduler.next()?.toISOString()).toBe('2026-06-02T01:00:00.000Z');

		scheduler.disarm();
		expect(scheduler.next()).toBeUndefined();
		expect(vi.getTimerCount()).toBe(0);
		vi.advanceTimersByTime(48 * hour);
		expect(dues).toHaveLength(1);
		scheduler.dispose();
	});

	it('does not fire when created stopped, until armed', () => {
		const {scheduler, dues} = make({armed: false});
		expect(scheduler.armed).toBe(false);
		expect(vi.getTimerCount()).toBe(0);
		vi.advanceTimersByTime(hour);
		expect(dues).toHaveLength(0);
		scheduler.arm();
		expect(scheduler.next()?.toISOString()).toBe('2026-06-02T01:00:00.000Z');
		scheduler.dispose();
	});

	it('follows every Nh and a settings change', () => {
		const {scheduler, dues} = make({repeat: 'every 6h'});
		vi.advanceTimersByTime(12 * hour); // to 14:58
		expect(dues.map(info => info.due.toISOString())).toEqual(['2026-06-01T01:00:00.000Z', '2026-06-01T07:00:00.000Z']);
		expect(scheduler.next()?.toISOString()).toBe('2026-06-01T13:00:00.000Z');
		scheduler.update('15:30', 'daily');
		expect(scheduler.next()?.toISOString()).toBe('2026-06-01T13:30:00.000Z');
		vi.advanceTimersByTime(hour);
		expect(dues).toHaveLength(3);
		scheduler.dispose();
	});

	it('queues one run, never more, for due times during a run', () => {
		const {scheduler, dues} = make({repeat: 'every 1h'});
		scheduler.runStarted(); // a Now run, say, that lasts five hours
		vi.advanceTimersByTime(5 * hour);
		expect(dues).toHaveLength(0);
		expect(scheduler.getSnapshot().queued).toBe(true);
		expect(scheduler.note).toMatch(/waits for the run going on/);
		scheduler.runEnded();
		vi.advanceTimersByTime(0);
		expect(dues).toHaveLength(1);
		expect(dues[0]!.due.toISOString()).toBe('2026-06-01T01:00:00.000Z');
		expect(scheduler.getSnapshot().queued).toBe(false);
		scheduler.runStarted();
		scheduler.runEnded();
		vi.advanceTimersByTime(0);
		expect(dues).toHaveLength(1);
		// The next cycle stays on the hour.
		expect(scheduler.next()?.toISOString()).toBe('2026-06-01T06:00:00.000Z');
		scheduler.dispose();
	});

	it('starts the queued run after the caller is done with the ended one', async () => {
		// Like the window: busy until a promise callback after runEnded(), and a due time met while busy is ignored.
		let busy = false;
		const started: DueInfo[] = [];
		const scheduler = new Scheduler({startAt: '03:00', repeat: 'every 1h', armed: true, onDue: info => void (busy || started.push(info))});
		busy = true;
		scheduler.runStarted();
		vi.advanceTimersByTime(2 * hour);
		await (async () => {
			await Promise.resolve();
			scheduler.runEnded();
		})().finally(() => {
			busy = false;
		});
		vi.advanceTimersByTime(0);
		expect(started).toHaveLength(1);
		scheduler.dispose();
	});

	it('leaves the next cycle where it was after a cancelled run', () => {
		const {scheduler, dues} = make();
		vi.advanceTimersByTime(2 * minute);
		expect(dues).toHaveLength(1);
		scheduler.runStarted();
		vi.advanceTimersByTime(minute);
		scheduler.runEnded(); // cancelled
		expect(scheduler.next()?.toISOString()).toBe('2026-06-02T01:00:00.000Z');
		scheduler.dispose();
	});

	it('runs a due time missed while the machine slept once on waking, and says so', () => {
		const {scheduler, dues} = make();
		const seen: string[] = [];
		const unsubscribe = scheduler.subscribe(() => seen.push(scheduler.note ?? ''));
		// The machine sleeps from 02:58 to 07:12 two days later: the timers did not run meanwhile.
		vi.setSystemTime(new Date('2026-06-03T07:12:00+02:00'));
		vi.advanceTimersByTime(30_000);
		expect(dues).toHaveLength(1);
		expect(dues[0]).toMatchObject({missed: true});
		expect(dues[0]!.due.toISOString()).toBe('2026-06-01T01:00:00.000Z');
		expect(scheduler.note).toBe('missed backup at 03:00, ran at 07:12');
		expect(seen.at(-1)).toBe('missed backup at 03:00, ran at 07:12');
		expect(scheduler.next()?.toISOString()).toBe('2026-06-04T01:00:00.000Z');
		unsubscribe();
		scheduler.dispose();
	});

	it('notices a clock that jumped past the due time', () => {
		const {scheduler, dues} = make();
		vi.advanceTimersByTime(minute);
		vi.setSystemTime(new Date('2026-06-01T03:30:00+02:00'));
		vi.advanceTimersByTime(minute);
		expect(dues).toHaveLength(1);
		expect(dues[0]).toMatchObject({missed: true});
		scheduler.dispose();
	});

	it('queues a missed due time during a run and keeps it marked missed', () => {
		const {scheduler, dues} = make();
		scheduler.runStarted();
		vi.setSystemTime(new Date('2026-06-01T09:00:00+02:00'));
		vi.advanceTimersByTime(30_000);
		expect(dues).toHaveLength(0);
		vi.advanceTimersByTime(20 * minute);
		scheduler.runEnded();
		vi.advanceTimersByTime(0);
		expect(dues).toHaveLength(1);
		expect(dues[0]).toMatchObject({missed: true});
		expect(scheduler.note).toBe('missed backup at 03:00, ran at 09:20');
		scheduler.dispose();
	});

	it('drops a queued run when disarmed', () => {
		const {scheduler, dues} = make();
		scheduler.runStarted();
		vi.advanceTimersByTime(3 * minute);
		scheduler.disarm();
		scheduler.runEnded();
		vi.advanceTimersByTime(0);
		expect(dues).toHaveLength(0);
		scheduler.dispose();
	});

	it('reports a bad repeat instead of throwing', () => {
		const {scheduler} = make({repeat: '99 * * * *'});
		expect(scheduler.next()).toBeUndefined();
		expect(scheduler.getSnapshot().problem).toMatch(/cron expression/);
		scheduler.dispose();
	});

	it('keeps one timer at most, gives a stable snapshot, and leaves nothing after dispose', () => {
		const {scheduler, dues} = make({repeat: 'every 1h'});
		const listener = vi.fn();
		scheduler.subscribe(listener);
		const snapshot = scheduler.getSnapshot();
		expect(scheduler.getSnapshot()).toBe(snapshot);
		for (let index = 0; index < 24 * 7; index++) {
			vi.advanceTimersByTime(hour);
			expect(vi.getTimerCount()).toBe(1);
		}

		expect(dues).toHaveLength(24 * 7);
		expect(dues.every(info => info.ranAt.getTime() === info.due.getTime())).toBe(true);
		expect(listener).toHaveBeenCalled();
		scheduler.dispose();
		expect(vi.getTimerCount()).toBe(0);
		vi.advanceTimersByTime(2 * hour);
		expect(dues).toHaveLength(24 * 7);
	});
});
