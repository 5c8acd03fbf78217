/**
 * Alerts (`notify.url`), the convention of healthchecks-style services: a run that starts pings
 * `<url>/start`, one that succeeds `<url>`, one that fails or ends with errors `<url>/fail`, each a
 * POST whose text/plain body is the summary. By Node's own fetch, with a timeout; it never
 * throws, and says in one line what happened, for the log. A `user:password@` in the address
 * becomes an Authorization header (fetch refuses it in the URL) and is never in that line.
 */
import type {GuardHold, Suspicious} from '../backup/events.js';
import {oneLine} from '../backup/errors.js';
import {bytes, duration, massChange} from '../format.js';

export type AlertKind = 'start' | 'success' | 'fail';

/**
 * What an alert says, and all it can say: a summary passed in whole gives only these fields, so
 * nothing else it holds (a path, a setting) can reach the body.
 */
export type AlertFacts = {
	outcome?: string;
	mode?: string;
	counts?: {downloaded: number; unchanged: number; failed: number; skipped: number};
	bytes?: number;
	durationMs?: number;
	reason?: string;
	/** The mass-change guard flagged this run (a run that says so pings `<url>/fail`). */
	suspicious?: Suspicious;
	/** The guard still holds pruning off. */
	guard?: GuardHold;
};

export type AlertResult = {ok: boolean; line: string};

export const alertTimeoutMs = 10_000;

/** The readable body: outcome, counts, bytes, duration and reason, one per line. */
export function alertBody(kind: AlertKind, facts: AlertFacts): string {
	const lines = [kind === 'start' ? `packrat: backup started${facts.mode ? ` (${facts.mode})` : ''}` : `packrat: ${facts.outcome ?? kind}${facts.mode ? ` (${facts.mode})` : ''}`];
	const {counts} = facts;
	if (counts) lines.push(`files: ${counts.downloaded} downloaded, ${counts.unchanged} unchanged, ${counts.failed} failed, ${counts.skipped} skipped`);
	if (facts.bytes !== undefined) lines.push(`bytes: ${bytes(facts.bytes)}`);
	if (facts.durationMs !== undefined) lines.push(`duration: ${duration(facts.durationMs / 1000)}`);
	if (facts.reason) lines.push(`reason: ${facts.reason}`);
	if (facts.suspicious) lines.push(`SUSPICIOUS: ${massChange(facts.suspicious)}; no snapshot is pruned until confirmed (packrat guard --accept)`);
	else if (facts.guard) lines.push(`pruning is still off since ${facts.guard.since}: ${massChange(facts.guard.suspicious)} (packrat guard --accept)`);
	return `${lines.join('\n')}\n`;
}

/** The address without its `user:password@`, for any line that shows it. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = '';
		parsed.password = '';
		return parsed.toString();
	} catch {
		return url.replace(/\/\/[^/@]*@/, '//');
	}
}

/** Where a kind of alert goes: `<url>/start`, `<url>`, `<url>/fail` (a query string stays at the end). */
export function alertUrl(url: URL, kind: AlertKind): URL {
	const target = new URL(url);
	if (kind !== 'success') target.pathname = `${target.pathname.replace(/\/$/, '')}/${kind}`;
	return target;
}

function failure(error: unknown, timeoutMs: number): string {
	const name = (error as Error | undefined)?.name;
	if (name === 'TimeoutError' || name === 'AbortError') return `no answer in ${Math.round(timeoutMs / 100) / 10} s (timeout)`;
	// fetch's own error says only "fetch failed": what failed is its cause (ECONNREFUSED…).
	return oneLine((error as {cause?: unknown} | undefined)?.cause ?? error);
}

/** Ping the alert address for `kind`; resolves (never rejects) with whether it worked and a line for the log. */
export async function notify(url: string, kind: AlertKind, facts: AlertFacts, options: {timeoutMs?: number} = {}): Promise<AlertResult> {
	const timeoutMs = options.timeoutMs ?? alertTimeoutMs;
	let target: URL;
	try {
		const parsed = new URL(url);
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http or https');
		target = alertUrl(parsed, kind);
	} catch {
		return {ok: false, line: `alert ${kind} not sent: notify.url ${redactUrl(url)} is not an http or https address`};
	}

	const headers: Record<string, string> = {'content-type': 'text/plain; charset=utf-8'};
	if (target.username || target.password) {
		headers['authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
		target.username = '';
		target.password = '';
	}

	const shown = target.toString();
	try {
		const response = await fetch(target, {method: 'POST', headers, body: alertBody(kind, facts), signal: AbortSignal.timeout(timeoutMs), redirect: 'follow'});
		await response.body?.cancel().catch(() => undefined);
		if (!response.ok) return {ok: false, line: `alert ${kind} to ${shown} failed: HTTP ${response.status} ${response.statusText}`.trim()};
		return {ok: true, line: `alert ${kind} sent to ${shown}: HTTP ${response.status}`};
	} catch (error) {
		return {ok: false, line: `alert ${kind} to ${shown} failed: ${failure(error, timeoutMs)}`};
	}
}
