/**
 * What `packrat status` tells: the phase and progress of a run going on, the last successful
 * backup and the next scheduled one. The window builds it from its live state; with no window,
 * it comes from the settings and the history in the backup folder.
 */
import {resolve} from 'node:path';
import type {Phase, Summary} from '../backup/events.js';
import {lastSuccess, readHistory} from '../backup/history.js';
import {bytesNow, eta, type Progress} from '../backup/progress.js';
import {escapeControl} from '../backup/names.js';
import {bytes, phaseNames, scanPhrase, transferPhrase, when} from '../format.js';
import type {Settings} from '../settings/keys.js';
import {describeRepeat, nextRun} from '../schedule/next-run.js';

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
	lastSuccess?: {started: string; ended: string; mode: string; downloaded: number; bytes: number; target: string};
	lastRun?: {outcome: Summary['outcome']; ended: string; reason?: string};
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
		lastSuccess: success && {started: success.started, ended: success.ended, mode: success.mode, downloaded: success.counts.downloaded, bytes: success.bytes, target: success.target},
		lastRun: last && {outcome: last.outcome, ended: last.ended, reason: last.reason},
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
		profile, source: 'history', armed: settings.armed, startAt: settings.startAt, repeat: settings.repeat, next,
		history: backupFolder ? await readHistory(backupFolder) : [], backupFolder,
		note: settings.armed ? 'no Backup window is running: scheduled backups run only while one is open' : undefined,
	});
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
	lines.push(`Last successful backup: ${success ? `${when(new Date(success.ended))} (${success.downloaded} downloaded, ${bytes(success.bytes)})` : 'none yet'}`);
	if (status.lastRun && status.lastRun.outcome !== 'success') {
		lines.push(`Last run: ${status.lastRun.outcome} at ${when(new Date(status.lastRun.ended))}${status.lastRun.reason ? ` — ${escapeControl(status.lastRun.reason)}` : ''}`);
	}

	const schedule = `Start at ${status.startAt}, ${describeRepeat(status.repeat)}`;
	lines.push(status.next ? `Next scheduled backup: ${when(new Date(status.next))} (${schedule})` : `Next scheduled backup: none, the schedule is stopped (${schedule})`);
	if (status.note) lines.push(status.note);
	return lines;
}
