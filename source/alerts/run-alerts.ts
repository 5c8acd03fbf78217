/**
 * The alerts of one run (`notify.url`): `<url>/start` is sent as the run starts, while it goes on;
 * after it, `<url>` for Done and `<url>/fail` for Failed, Done with errors or a run the mass-change
 * guard flagged (nothing for Cancelled: the next cycle runs as usual), once the start ping has settled, so a receiver hears
 * them in order. Everything after the run shares one timeout, so a receiver that never answers
 * delays the end of a run by that much at most. Each result is a line for the transfer log;
 * nothing here throws, and no alert ever fails a run.
 */
import type {Summary} from '../backup/events.js';
import {missingPhrase, outcomeNames} from '../format.js';
import {alertTimeoutMs, notify, type AlertFacts, type AlertKind, type AlertResult} from './notify.js';

/** The alerts of a run that has started: where they go, and the start ping on its way. */
export type RunAlerts = {url?: string; timeoutMs: number; start?: Promise<AlertResult>};

/** The timeout of each ping: 10 s, or `PACKRAT_NOTIFY_TIMEOUT_MS` (for tests). */
export function alertTimeout(env: NodeJS.ProcessEnv = process.env): number {
	const value = Number(env['PACKRAT_NOTIFY_TIMEOUT_MS']);
	return Number.isInteger(value) && value > 0 ? value : alertTimeoutMs;
}

/** Send `<url>/start` (when an address is set) without waiting for it. */
export function startAlerts(url: string | undefined, mode: string, timeoutMs = alertTimeout()): RunAlerts {
	if (!url) return {timeoutMs};
	return {url, timeoutMs, start: notify(url, 'start', {mode}, {timeoutMs})};
}

/**
 * The ping a run's end sends: Done `success`, unless the mass-change guard flagged it; Failed,
 * Done with errors and a flagged run `fail`; Cancelled none.
 */
export function endKind(summary: Pick<Summary, 'outcome' | 'suspicious'>): AlertKind | undefined {
	if (summary.outcome === 'cancelled') return undefined;
	return summary.outcome === 'success' && !summary.suspicious ? 'success' : 'fail';
}

/**
 * What the end ping says: the outcome in words, the counts, bytes, duration and the reason, with
 * the backup folder's own path left out of it (the body names no local path), and what the
 * mass-change guard found or still holds.
 */
export function alertFacts(summary: Summary, backupFolder: string): AlertFacts {
	const reason = summary.outcome === 'partial' ? missingPhrase(summary.counts.failed) : summary.reason?.replaceAll(`${backupFolder}/`, '').replaceAll(backupFolder, 'the backup folder');
	return {outcome: outcomeNames[summary.outcome], mode: summary.mode, counts: summary.counts, bytes: summary.bytes, durationMs: summary.durationMs, reason, suspicious: summary.suspicious, guard: summary.guard};
}

/** After the run: the start ping's result, then the end ping's, as lines for the log, in order. */
export async function endAlerts(alerts: RunAlerts, summary: Summary, backupFolder: string): Promise<AlertResult[]> {
	if (!alerts.url) return [];
	// The start ping began before the run with the same timeout, so it has settled by this deadline.
	const deadline = Date.now() + alerts.timeoutMs;
	const results: AlertResult[] = alerts.start ? [await alerts.start] : [];
	const kind = endKind(summary);
	if (!kind) return [...results, {ok: true, line: 'no alert for a cancelled run: the next cycle runs as usual'}];
	const timeoutMs = Math.max(1, deadline - Date.now());
	return [...results, await notify(alerts.url, kind, alertFacts(summary, backupFolder), {timeoutMs})];
}
