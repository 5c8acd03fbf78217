/**
 * What the window shows, as one immutable snapshot: the run's progress (folded by the engine's
 * own reducer, the one `packrat run` uses), a bounded list of error lines, the trust question of
 * a paused run, the last runs, and why the job cannot run, if it cannot.
 */
import type {CertificateQuestion, RunEvent, Summary} from '../backup/events.js';
import {escapeControl} from '../backup/names.js';
import {idleProgress, reduce, type Progress} from '../backup/progress.js';
import type {Settings} from '../settings/keys.js';
import type {LogLine} from './log-tail.js';

/** An error line ready to draw: every field already escaped. */
export type ErrorLine = {time: string; path: string; message: string};

/** Why the job cannot run, and the action whose key fixes it. */
export type Blocked = {reason: string; fix: 'settings' | 'folder'};

export type Notice = {text: string; tone: 'ok' | 'bad' | 'warn' | 'muted'};

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
	notice?: Notice;
	schedule: ScheduleView;
	cancelAllowed: boolean;
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

/** Whether an event changes what a person must see at once (the rest waits for the next batch). */
export function isUrgent(event: RunEvent): boolean {
	return event.type === 'phase' || event.type === 'done' || event.type === 'connected' || event.type === 'estimate-failed';
}

export function applyEvent(state: SessionState, event: RunEvent, at = Date.now()): SessionState {
	const progress = reduce(state.progress, event, at);
	switch (event.type) {
		case 'phase':
			return event.phase === 'connecting' ? {...state, progress, errorCount: 0, retry: undefined} : {...state, progress};
		case 'error': {
			const line = {time: event.time, path: event.path ? escapeControl(event.path) : '', message: escapeControl(event.message)};
			return {...state, progress, errors: pushErrors(state.errors, [line]), errorCount: progress.errors};
		}

		case 'retry':
			return {...state, progress, retry: `${escapeControl(event.path)}: ${escapeControl(event.reason)} (attempt ${event.attempt}, again in ${Math.ceil(event.delayMs / 1000)}s)`};
		case 'file-done':
			return state.retry ? {...state, progress, retry: undefined} : {...state, progress};
		case 'done':
			return {...state, progress, errorCount: event.summary.errors, lastRun: event.summary, lastSuccess: event.summary.outcome === 'success' ? event.summary : state.lastSuccess};
		default:
			return {...state, progress};
	}
}
