/**
 * What `packrat status` tells: the phase and progress of a run going on, the last successful
 * backup (and whether it is stale) and the next scheduled one. The window builds it from its live state; with no window,
 * it comes from the settings and the history in the backup folder.
 */
import {resolve} from 'node:path';
import type {Phase, Summary} from '../backup/events.js';
import {lastSuccess, readHistory} from '../backup/history.js';
import {bytesNow, eta, type Progress} from '../backup/progress.js';
import {escapeControl} from '../backup/names.js';
import {ago, bytes, missingPhrase, outcomeNames, phaseNames, scanPhrase, span, transferPhrase, when} from '../format.js';
import type {Settings} from '../settings/keys.js';
import {describeRepeat, nextRun} from '../schedule/next-run.js';
import {freshness, staleCycles} from '../schedule/staleness.js';

export type StatusJson = {
	profile: string;
	/** `window` when a running window answered, `history` when read from the backup folder. */
	source: 'window' | 'history';
	running: boolean;
	phase: Phase | 'idle';
	progress?: {
		connections: number;
		scan: {folders: number; files: number; bytes: number};
		estimateFailed?: string;
		files?: {done: number; total: number};
		bytes?: {done: number; total: number};
		/** Bytes per second. */
		rate: number;
		etaSeconds?: number;
		current: Array<{path: string; bytes: number; size: number}>;
		errors: number;
	};
	armed: boolean;
	startAt: string;
	repeat: string;
	/** ISO 8601; only when armed. */
	next?: string;
	/** The last run that was Done (`success`) or Done with errors (`partial`, `failed` files missing). */
	lastSuccess?: {started: string; ended: string; mode: string; outcome: Summary['outcome']; downloaded: number; failed: number; bytes: number; target: string};
	lastRun?: {outcome: Summary['outcome']; ended: string; reason?: string};
	/** The last successful backup is older than two cycles of the schedule, or there is none. */
	stale: boolean;
	/** Seconds since the last successful backup ended, and the schedule's cycle it was judged by. */
	ageSeconds?: number;
	cycleSeconds?: number;
	note?: string;
	backupFolder?: string;
};

export type StatusInput = {
	profile: string;
	source: 'window' | 'history';
	progress?: Progress;
	armed: boolean;
	startAt: string;
	repeat: string;
	next?: Date;
	note?: string;
	history: readonly Summary[];
	backupFolder?: string;
	now?: Date;
};

function progressPart(progress: Progress): StatusJson['progress'] {
	const left = eta(progress);
	return {
		connections: progress.connections,
		scan: progress.scan,
		estimateFailed: progress.estimateFailed,
		files: progress.plan ? {done: progress.filesDone, total: progress.plan.toDownload} : undefined,
		bytes: progress.plan ? {done: bytesNow(progress), total: progress.plan.bytesToDownload} : undefined,
		rate: Math.round(progress.rate),
		etaSeconds: left === undefined ? undefined : Math.round(left),
		current: Object.values(progress.slots).map(slot => ({path: slot.path, bytes: slot.bytes, size: slot.size})),
		errors: progress.errors,
	};
}

export function buildStatus(input: StatusInput): StatusJson {
	const phase = input.progress?.phase ?? 'idle';
	const running = phase !== 'idle' && phase !== 'done';
	const success = lastSuccess(input.history);
	const last = input.history.at(-1);
	const fresh = freshness(success?.ended, input, input.now ?? new Date());
	return {
		profile: input.profile,
		source: input.source,
		running,
		phase: running ? phase : 'idle',
		progress: running && input.progress ? progressPart(input.progress) : undefined,
		armed: input.armed,
		startAt: input.startAt,
		repeat: input.repeat,
		next: input.armed ? input.next?.toISOString() : undefined,
		lastSuccess: success && {
			started: success.started, ended: success.ended, mode: success.mode, outcome: success.outcome,
			downloaded: success.counts.downloaded, failed: success.counts.failed, bytes: success.bytes, target: success.target,
		},
		lastRun: last && {outcome: last.outcome, ended: last.ended, reason: last.reason},
		stale: fresh?.stale ?? true,
		ageSeconds: fresh && Math.round(fresh.ageMs / 1000),
		cycleSeconds: fresh?.cycleMs && Math.round(fresh.cycleMs / 1000),
		note: input.note,
		backupFolder: input.backupFolder,
	};
}

/** The status with no window: the history of the configured backup folder, next from the settings. */
export async function historyStatus(profile: string, settings: Settings, now = new Date()): Promise<StatusJson> {
	const backupFolder = settings.backupFolder ? resolve(settings.backupFolder) : undefined;
	let next: Date | undefined;
	try {
		next = settings.armed ? nextRun(settings.startAt, settings.repeat, now) : undefined;
	} catch {
		next = undefined;
	}

	return buildStatus({
		profile, source: 'history', armed: settings.armed, startAt: settings.startAt, repeat: settings.repeat, next, now,
		history: backupFolder ? await readHistory(backupFolder) : [], backupFolder,
		note: settings.armed ? 'no Backup window is running: scheduled backups run only while one is open' : undefined,
	});
}

/**
 * The exit code of `packrat status`, for any monitoring system: 0 when the last successful backup
 * is fresh, 1 when it is stale, when there is none, or when the last run failed.
 */
export function statusExit(status: StatusJson): number {
	return status.stale || status.lastRun?.outcome === 'failed' ? 1 : 0;
}

/** `2026-11-30 03:00, 3 days ago (2 files could not be fetched), STALE: older than 2 cycles of the schedule (24 h each)` */
function lastSuccessPhrase(status: StatusJson, success: NonNullable<StatusJson['lastSuccess']>): string {
	const age = status.ageSeconds === undefined ? '' : `, ${ago(status.ageSeconds * 1000)}`;
	const held = success.outcome === 'partial' ? missingPhrase(success.failed) : `${success.downloaded} downloaded, ${bytes(success.bytes)}`;
	const cycle = status.cycleSeconds ? ` (${span(status.cycleSeconds * 1000)} each)` : '';
	return `${when(new Date(success.ended))}${age} (${held})${status.stale ? `, STALE: older than ${staleCycles} cycles of the schedule${cycle}` : ''}`;
}

/** The readable lines of `packrat status`. */
export function formatStatus(status: StatusJson): string[] {
	const lines: string[] = [];
	const progress = status.progress;
	if (status.running && progress) {
		let line = `${phaseNames[status.phase]}`;
		if (status.phase === 'initializing') line += `: ${scanPhrase(progress.scan)}`;
		if (progress.files && progress.bytes) {
			line += `: ${transferPhrase({filesDone: progress.files.done, filesTotal: progress.files.total, bytesDone: progress.bytes.done, bytesTotal: progress.bytes.total, rate: progress.rate, etaSeconds: progress.etaSeconds})}`;
		}

		lines.push(line);
		for (const slot of progress.current) lines.push(`  ${escapeControl(slot.path)} ${bytes(slot.bytes)} of ${bytes(slot.size)}`);
		if (progress.estimateFailed) lines.push(`  the estimate is incomplete: ${escapeControl(progress.estimateFailed)}`);
	} else {
		lines.push(status.source === 'window' ? 'No backup is running' : 'No Backup window is running');
	}

	const success = status.lastSuccess;
	lines.push(`Last successful backup: ${success ? lastSuccessPhrase(status, success) : 'none yet'}`);
	if (status.lastRun && status.lastRun.outcome !== 'success') {
		lines.push(`Last run: ${outcomeNames[status.lastRun.outcome]} at ${when(new Date(status.lastRun.ended))}${status.lastRun.reason ? ` — ${escapeControl(status.lastRun.reason)}` : ''}`);
	}

	const schedule = `Start at ${status.startAt}, ${describeRepeat(status.repeat)}`;
	lines.push(status.next ? `Next scheduled backup: ${when(new Date(status.next))} (${schedule})` : `Next scheduled backup: none, the schedule is stopped (${schedule})`);
	if (status.note) lines.push(status.note);
	return lines;
}
