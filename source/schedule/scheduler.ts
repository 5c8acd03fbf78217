/**
 * The schedule of the Backup window: when armed, calls `onDue` at each due time of Start at and
 * repeat. One unref'd timer at a time, never more: it aims at the due time, but never further
 * than `checkEveryMs` ahead, so a wall clock that jumped (the machine slept, the clock was set)
 * is noticed within that time and the missed due time runs once, with `missed: true`.
 * A due time that passes during a run (scheduled or Now) queues one run after it, never more;
 * it starts on the turn of the event loop after runEnded().
 */
import {clock} from '../format.js';
import {nextRun} from './next-run.js';

export type DueInfo = {due: Date; missed: boolean /* the machine slept past it */; ranAt: Date};

export type SchedulerOptions = {
	startAt: string;
	repeat: string;
	armed: boolean;
	now?: () => Date;
	onDue: (info: DueInfo) => void;
	/** How far ahead the timer may aim at most; a clock jump is noticed within this time. */
	checkEveryMs?: number;
	/** A due time noticed later than this ran late because the machine slept: it is "missed". */
	missedAfterMs?: number;
};

/** What the window draws, one object per change (for useSyncExternalStore). */
export type SchedulerState = {
	armed: boolean;
	next?: Date;
	/** A due time waits for the run going on. */
	queued: boolean;
	running: boolean;
	note?: string;
	/** Why no due time can be worked out (a bad repeat), or undefined. */
	problem?: string;
};

export class Scheduler {
	private startAt: string;
	private repeat: string;
	private isArmed: boolean;
	private due: Date | undefined;
	private timer: ReturnType<typeof setTimeout> | undefined;
	/** The queued run, about to start after runEnded(). */
	private pending: ReturnType<typeof setTimeout> | undefined;
	private running = false;
	private queued: DueInfo | undefined;
	private noteText: string | undefined;
	private problem: string | undefined;
	private disposed = false;
	private readonly listeners = new Set<() => void>();
	private readonly now: () => Date;
	private readonly onDue: (info: DueInfo) => void;
	private readonly checkEveryMs: number;
	private readonly missedAfterMs: number;
	private state: SchedulerState;

	constructor(options: SchedulerOptions) {
		this.startAt = options.startAt;
		this.repeat = options.repeat;
		this.isArmed = false;
		this.now = options.now ?? (() => new Date());
		this.onDue = options.onDue;
		this.checkEveryMs = options.checkEveryMs ?? 30_000;
		this.missedAfterMs = options.missedAfterMs ?? 60_000;
		this.state = {armed: false, queued: false, running: false};
		if (options.armed) this.arm();
	}

	get armed(): boolean {
		return this.isArmed;
	}

	get note(): string | undefined {
		return this.noteText;
	}

	/** The current state; the same object until something changes. */
	readonly getSnapshot = (): SchedulerState => this.state;

	arm(): void {
		if (this.disposed) return;
		this.isArmed = true;
		this.plan();
	}

	disarm(): void {
		this.isArmed = false;
		this.due = undefined;
		this.queued = undefined;
		this.clearTimer();
		this.changed();
	}

	/** Start at or repeat changed: the next due time is worked out afresh from now. */
	update(startAt: string, repeat: string): void {
		this.startAt = startAt;
		this.repeat = repeat;
		if (this.isArmed && !this.disposed) this.plan();
		else this.changed();
	}

	/** Follow the settings, which own the schedule: Start at, repeat and whether it is armed. */
	follow({startAt, repeat, armed}: {startAt: string; repeat: string; armed: boolean}): void {
		this.update(startAt, repeat);
		if (armed && !this.isArmed) this.arm();
		if (!armed && this.isArmed) this.disarm();
	}

	/** The next due time, when armed. */
	next(): Date | undefined {
		return this.isArmed ? this.due : undefined;
	}

	/** A run began (scheduled or Now): due times until runEnded() queue one run. */
	runStarted(): void {
		this.running = true;
		this.changed();
	}

	/** The run ended (however it ended): a queued due time runs now. The next cycle stays where it was. */
	runEnded(): void {
		this.running = false;
		this.changed();
		if (!this.queued || this.pending) return;
		// On a later turn of the event loop: after the caller's own bookkeeping for the ended run
		// (promise callbacks included), so that it is ready to start the next one.
		this.pending = setTimeout(() => {
			this.pending = undefined;
			const queued = this.queued;
			if (!queued || this.running || this.disposed || !this.isArmed) return;
			this.queued = undefined;
			const ranAt = this.now();
			this.noteText = queued.missed ? `missed backup at ${clock(queued.due)}, ran at ${clock(ranAt)}` : undefined;
			this.changed();
			this.onDue({...queued, ranAt});
		}, 0);
		this.pending.unref?.();
	}

	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	dispose(): void {
		this.disposed = true;
		this.isArmed = false;
		this.due = undefined;
		this.queued = undefined;
		this.clearTimer();
		if (this.pending) clearTimeout(this.pending);
		this.pending = undefined;
		this.listeners.clear();
	}

	private plan(): void {
		try {
			this.due = nextRun(this.startAt, this.repeat, this.now());
			this.problem = undefined;
		} catch (error) {
			this.due = undefined;
			this.problem = (error as Error).message;
		}

		this.setTimer();
		this.changed();
	}

	private setTimer(): void {
		this.clearTimer();
		if (!this.isArmed || !this.due || this.disposed) return;
		const delay = Math.min(Math.max(this.due.getTime() - this.now().getTime(), 0), this.checkEveryMs);
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.tick();
		}, delay);
		this.timer.unref?.();
	}

	private clearTimer(): void {
		if (this.timer === undefined) return;
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	private tick(): void {
		if (!this.isArmed || !this.due || this.disposed) return;
		const now = this.now();
		if (now.getTime() < this.due.getTime()) {
			this.setTimer();
			return;
		}

		const due = this.due;
		const missed = now.getTime() - due.getTime() > this.missedAfterMs;
		// However many due times were slept through, the next one is the first after now.
		this.due = nextRun(this.startAt, this.repeat, now);
		this.setTimer();
		const info: DueInfo = {due, missed, ranAt: now};
		if (missed) this.noteText = `missed backup at ${clock(due)}, ran at ${clock(now)}`;
		else if (!this.running) this.noteText = undefined;
		if (this.running) {
			// One run afterwards, never more: a later due time does not add another.
			this.queued = this.queued ? {...this.queued, missed: this.queued.missed || missed} : info;
			if (!missed) this.noteText = `backup due at ${clock(due)} waits for the run going on`;
			this.changed();
			return;
		}

		this.changed();
		this.onDue(info);
	}

	private changed(): void {
		this.state = {
			armed: this.isArmed,
			next: this.next(),
			queued: this.queued !== undefined,
			running: this.running,
			note: this.noteText,
			problem: this.problem,
		};
		for (const listener of [...this.listeners]) listener();
	}
}
