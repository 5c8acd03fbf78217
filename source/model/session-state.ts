/**
 * What the window shows, as one immutable snapshot: the run's progress (folded by the engine's
 * own reducer, the one `packrat run` uses), a bounded list of error lines, the trust question of
 * a paused run, the last runs, and why the job cannot run, if it cannot.
 */
import {isBackup, type CertificateQuestion, type GuardHold, type RunEvent, type Summary} from '../backup/events.js';
import {escapeControl} from '../backup/names.js';
import {idleProgress, reduce, type Progress} from '../backup/progress.js';
import type {Settings} from '../settings/keys.js';
import type {LogLine} from '../files/log-tail.js';
import type {VerifyView} from './verify-state.js';

/** An error line ready to draw: every field already escaped. */
export type ErrorLine = {time: string; path: string; message: string};

/** The command a line of text points to ("press o to fix it"): the view names its key. */
export type Hint = {action: 'settings' | 'folder' | 'schedule'; does: string};

/** Why the job cannot run, and the command whose key fixes it. */
export type Blocked = {reason: string; fix: Hint['action']};

export type Notice = {text: string; tone: 'ok' | 'bad' | 'warn' | 'muted'; hint?: Hint};

export type ScheduleView = {armed: boolean; startAt: string; repeat: string; next?: Date; note?: string};

export type SessionState = {
	settings: Settings;
	progress: Progress;
	running: boolean;
	cancelling: boolean;
	trigger?: 'manual' | 'scheduled';
	trust?: CertificateQuestion;
	/** Newest last, at most `maxErrorLines`. */
	errors: ErrorLine[];
	/** Errors of the run going on, or of the last run. */
	errorCount: number;
	retry?: string;
	lastRun?: Summary;
	lastSuccess?: Summary;
	blocked?: Blocked;
	/** The mass-change guard holds pruning off (`.packrat/guard.json`): the red banner, and what `g` accepts. */
	guard?: GuardHold;
	notice?: Notice;
	schedule: ScheduleView;
	cancelAllowed: boolean;
	/** The verify going on, or the last one's result (`y`). */
	verify?: VerifyView;
};

export const maxErrorLines = 50;

export function initialState(settings: Settings, schedule: ScheduleView, cancelAllowed = true): SessionState {
	return {settings, progress: idleProgress, running: false, cancelling: false, errors: [], errorCount: 0, schedule, cancelAllowed};
}

export function pushErrors(errors: readonly ErrorLine[], added: readonly ErrorLine[]): ErrorLine[] {
	return [...errors, ...added].slice(-maxErrorLines);
}

export function errorFromLog(line: LogLine): ErrorLine {
	return {time: line.time, path: line.path, message: line.reply || line.event};
}

/**
 * The guard's hold after a run: a run that reached its end (its export written) read it afresh;
 * one that flagged the server and stopped before set it; any other leaves it as it was.
 */
export function guardAfter(summary: Summary, before: GuardHold | undefined): GuardHold | undefined {
	if (summary.exportPath !== undefined) return summary.guard;
	return summary.suspicious ? (before ?? {since: summary.started, suspicious: summary.suspicious}) : before;
}

/** Whether an event changes what a person must see at once (the rest waits for the next batch). */
export function isUrgent(event: RunEvent): boolean {
	return event.type === 'phase' || event.type === 'done' || event.type === 'connected' || event.type === 'estimate-failed';
}

/** One event folded in (see `applyEvents`). */
export function applyEvent(state: SessionState, event: RunEvent, at = Date.now()): SessionState {
	return applyEvents(state, [event], [at]);
}

/**
 * The events of one frame folded into one new state: the engine's reducer for the progress (the
 * one `packrat run` uses, each event at the time it came), and a single copy of the rest.
 */
export function applyEvents(state: SessionState, events: readonly RunEvent[], at: readonly number[]): SessionState {
	if (events.length === 0) return state;
	const next: SessionState = {...state};
	let added: ErrorLine[] | undefined;
	for (let index = 0; index < events.length; index++) {
		const event = events[index]!;
		next.progress = reduce(next.progress, event, at[index] ?? Date.now());
		switch (event.type) {
			case 'phase':
				if (event.phase === 'connecting') {
					next.errorCount = 0;
					next.retry = undefined;
				}

				break;
			case 'error':
				(added ??= []).push({time: event.time, path: event.path ? escapeControl(event.path) : '', message: escapeControl(event.message)});
				if (added.length > maxErrorLines) added.shift();
				next.errorCount = next.progress.errors;
				break;
			case 'retry':
				next.retry = `${escapeControl(event.path)}: ${escapeControl(event.reason)} (attempt ${event.attempt}, again in ${Math.ceil(event.delayMs / 1000)}s)`;
				break;
			case 'file-done':
				next.retry = undefined;
				break;
			case 'done':
				next.errorCount = event.summary.errors;
				next.lastRun = event.summary;
				if (isBackup(event.summary)) next.lastSuccess = event.summary;
				next.guard = guardAfter(event.summary, next.guard);
				break;
			default:
				break;
		}
	}

	if (added) next.errors = pushErrors(state.errors, added);
	return next;
}
