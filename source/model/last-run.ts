/**
 * What the window knows of earlier runs after a restart: the last run and the last successful
 * one from the history in the backup folder, the last run's error lines from the tail of the
 * transfer log, and the mass-change guard's hold on pruning.
 */
import {resolve} from 'node:path';
import type {GuardHold, Summary} from '../backup/events.js';
import {readGuard} from '../backup/guard.js';
import {lastSuccess, readHistory} from '../backup/history.js';
import type {Settings} from '../settings/keys.js';
import {transferLogPath} from '../backup/logs.js';
import {readLogTail} from '../files/log-tail.js';
import {errorFromLog, maxErrorLines, type ErrorLine} from './session-state.js';

/** The error lines the run wrote (those at or after its start), newest last, from the last 64 KiB of the log. */
export async function errorsOfRun(settings: Settings, run: Summary | undefined): Promise<ErrorLine[]> {
	if (!settings.backupFolder || !run) return [];
	try {
		const tail = await readLogTail(transferLogPath(resolve(settings.backupFolder)), {bytes: 64 * 1024});
		return tail.lines.filter(line => line.level === 'ERROR' && line.event !== 'run-end' && line.time >= run.started).slice(-maxErrorLines).map(errorFromLog);
	} catch {
		return [];
	}
}

export async function lastRuns(settings: Settings): Promise<{lastRun?: Summary; lastSuccess?: Summary; errors: ErrorLine[]; errorCount: number; guard?: GuardHold}> {
	const runs = settings.backupFolder ? await readHistory(resolve(settings.backupFolder)) : [];
	const lastRun = runs.at(-1);
	const guard = settings.backupFolder ? await readGuard(resolve(settings.backupFolder)) : undefined;
	return {lastRun, lastSuccess: lastSuccess(runs), errors: await errorsOfRun(settings, lastRun), errorCount: lastRun?.errors ?? 0, guard};
}
