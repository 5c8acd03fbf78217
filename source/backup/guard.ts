/**
 * The mass-change guard. A run whose scan finds more than `guard.changedPercent` of the files the
 * last run recorded (scan-record.ts) changed in size or time, or more than `guard.vanishedPercent`
 * of them gone, is suspicious: ransomware, a wipe or a mass edit on the server. It is judged only
 * when that record holds at least 100 files, and only on a whole listing (a folder that could not
 * be listed would look gone). A suspicious run still keeps everything it fetched, but it writes
 * `.packrat/guard.json`, and while that marker is there no run prunes a snapshot, until the user
 * accepts (`packrat guard --accept`, or the window's confirm).
 */
import {constants} from 'node:fs';
import {lstat, rename, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {massChange} from '../format.js';
import {oneLine} from './errors.js';
import type {GuardHold, Suspicious} from './events.js';
import {stateFolderName} from './history.js';
import type {RunContext} from './job.js';
import type {ScanResult} from './listing.js';
import {acquireLock} from './lock.js';
import {appendSafely, formatLogLine, transferLogPath} from './logs.js';
import {readNoFollow} from './no-follow.js';
import {compareWithRecord, writeScanRecord, type Difference} from './scan-record.js';

/** A record with fewer files is not judged: a few edits to a small tree are no sign of anything. */
export const guardMinimumFiles = 100;
export const defaultLimits = {changedPercent: 50, vanishedPercent: 50};
export const confirmCommand = 'packrat guard --accept';

export function guardPath(backupFolder: string): string {
	return join(backupFolder, stateFolderName, 'guard.json');
}

/** A share of `total` in percent, rounded up: for a whole limit L, "more than L%" reads the same on the rounded figure. */
function percentOf(part: number, total: number): number {
	return Math.ceil((part * 100) / total);
}

/** The figures, when past a limit (and judged: at least 100 files in the record); else undefined. */
export function judge(difference: Difference, limits: Suspicious['limits'] = defaultLimits): Suspicious | undefined {
	if (difference.total < guardMinimumFiles) return undefined;
	const found: Suspicious = {...difference, changedPercent: percentOf(difference.changed, difference.total), vanishedPercent: percentOf(difference.vanished, difference.total), limits};
	return found.changedPercent > limits.changedPercent || found.vanishedPercent > limits.vanishedPercent ? found : undefined;
}

/**
 * Judge this run's scan against the last run's record (before this run replaces it); a suspicious
 * one holds pruning off at once, whatever the run's outcome. Logged either way; a record that
 * cannot be read judges nothing.
 */
export async function guardScan(context: RunContext, found: ScanResult, started: Date): Promise<Suspicious | undefined> {
	const {job, logs} = context;
	const log = (level: 'INFO' | 'WARN', reply: string) => logs.transfer(level, 'guard', job.server.root, {reply});
	if (found.unlisted.length > 0) return void log('WARN', 'not judged: the listing is incomplete');
	let difference: Difference | undefined;
	try {
		difference = await compareWithRecord(job.backupFolder, found.files);
	} catch (error) {
		return void log('WARN', `not judged: the last run's record could not be read (${oneLine(error)})`);
	}

	if (!difference) return void log('INFO', 'not judged: no earlier run has recorded the server');
	const suspicious = judge(difference, job.guard ?? defaultLimits);
	if (!suspicious) {
		const small = difference.total < guardMinimumFiles ? ` (not judged under ${guardMinimumFiles} files)` : '';
		return void log('INFO', `of ${difference.total} files: ${difference.changed} changed, ${difference.vanished} gone since the last run${small}`);
	}

	log('WARN', `SUSPICIOUS: ${massChange(suspicious)}; no snapshot is pruned until the user confirms (${confirmCommand})`);
	await holdPruning(job.backupFolder, {since: started.toISOString(), suspicious});
	return suspicious;
}

/** Record this scan for the next run's judgement, when the listing was whole; a failure is logged, never fails the run. */
export async function recordScan(context: RunContext, found: ScanResult): Promise<void> {
	if (found.unlisted.length > 0) return;
	try {
		await writeScanRecord(context.job.backupFolder, found.files);
	} catch (error) {
		context.logs.transfer('WARN', 'guard', context.job.server.root, {reply: `the record of this scan could not be written (${oneLine(error)}): the next run is judged against an older one`});
	}
}

/** The hold on pruning at the end of a run, logged when it stops one (a Full run with keepSnapshots). */
export async function pruningHold(context: RunContext, full: boolean): Promise<GuardHold | undefined> {
	const hold = await readGuard(context.job.backupFolder);
	if (hold && full && context.job.keepSnapshots > 0) {
		context.logs.transfer('WARN', 'prune', context.job.backupFolder, {reply: `no snapshot pruned: the mass-change guard holds pruning off since ${hold.since} (${confirmCommand})`});
	}

	return hold;
}

const isSuspicious = (value: unknown): value is Suspicious => {
	const found = value as Suspicious | undefined;
	return typeof found === 'object' && found !== null && [found.total, found.changed, found.vanished, found.changedPercent, found.vanishedPercent].every(Number.isFinite) && typeof found.limits === 'object';
};

/**
 * The hold on pruning, or undefined when there is none. A marker that cannot be read (damaged, a
 * symlink, never followed) still holds: its time stands for `since`, and it has no figures.
 */
export async function readGuard(backupFolder: string): Promise<GuardHold | undefined> {
	const path = guardPath(backupFolder);
	let since: string;
	try {
		since = (await lstat(path)).mtime.toISOString();
	} catch {
		return undefined;
	}

	try {
		const stored = JSON.parse(await readNoFollow(path)) as Partial<GuardHold>;
		if (typeof stored.since === 'string') return {since: stored.since, ...(isSuspicious(stored.suspicious) ? {suspicious: stored.suspicious} : {})};
	} catch {
		// Held, without figures.
	}

	return {since};
}

/** Set the hold, unless one is there already (the first suspicious run is the one to look at). */
export async function holdPruning(backupFolder: string, hold: GuardHold): Promise<void> {
	if (await readGuard(backupFolder)) return;
	const path = guardPath(backupFolder);
	const temporary = `${path}.${process.pid}.tmp`;
	await rm(temporary, {force: true});
	await writeFile(temporary, `${JSON.stringify(hold)}\n`, {flag: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode: 0o600});
	await rename(temporary, path);
}

/**
 * Lift the hold: what was accepted, or undefined when there was nothing to accept. Under the
 * run's lock (never while a run uses the folder), and written in the transfer log.
 */
export async function acceptGuard(backupFolder: string, now = new Date()): Promise<GuardHold | undefined> {
	const state = join(backupFolder, stateFolderName);
	if (!(await lstat(state).catch(() => undefined))?.isDirectory()) return undefined;
	const lock = await acquireLock(state, backupFolder);
	try {
		const hold = await readGuard(backupFolder);
		if (!hold) return undefined;
		await rm(guardPath(backupFolder), {force: true});
		const reply = `accepted by the user: ${massChange(hold.suspicious)} (held since ${hold.since}); snapshots are pruned again from the next run`;
		try {
			appendSafely(transferLogPath(backupFolder), `${formatLogLine(now, 'INFO', 'guard', backupFolder, {reply})}\n`);
		} catch {
			// The log is a record of it, not a condition for it.
		}

		return hold;
	} finally {
		await lock.release();
	}
}
