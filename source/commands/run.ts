/**
 * `packrat run`: one backup now, without the window, for cron or systemd. Readable lines, or
 * JSON lines with --json; exit 0 Done, 3 Done with errors, 1 Failed, 2 bad usage or settings,
 * 130 interrupted.
 * Lines are built from the raw names and server replies and escaped on their way out, in one
 * place (commands/out.ts), so that no event, old or new, can put a control character on a terminal.
 */
import {jsonLine} from '../backup/names.js';
import type {RunEvent, Summary} from '../backup/events.js';
import {bytesNow, eta, idleProgress, reduce, type Progress} from '../backup/progress.js';
import {runBackup} from '../backup/run.js';
import {confirmWith, guardLine} from './guard.js';
import {bytes, duration, outcomeNames, phaseNames, scanPhrase, transferPhrase} from '../format.js';
import type {Overrides} from '../settings/job.js';
import {toJob} from '../settings/job.js';
import {readSettings} from '../settings/read.js';
import {escapedOut, type Out} from './out.js';

export type RunFlags = Overrides & {json: boolean; profile?: string};

export function summaryLine(summary: Summary): string {
	const {counts} = summary;
	const word = outcomeNames[summary.outcome];
	const over = summary.connections ? ` over ${summary.connections} connection${summary.connections === 1 ? '' : 's'}` : '';
	const figures = `${counts.downloaded} downloaded, ${counts.unchanged} unchanged, ${counts.failed} failed, ${counts.skipped} skipped, ${bytes(summary.bytes)} in ${duration(summary.durationMs / 1000)}${over}`;
	return `${word}: ${figures}${summary.reason ? ` — ${summary.reason}` : ''}`;
}

/** The readable line for an event, or undefined when the event prints nothing by itself. */
function textLine(event: RunEvent, progress: Progress): string | undefined {
	switch (event.type) {
		case 'phase':
			return event.phase === 'done' ? undefined : `${phaseNames[event.phase]}…`;
		case 'connected':
			return `Connected: ${event.connections} connection(s), ${event.tls ? 'TLS' : 'no TLS'}, listing with ${event.listing}`;
		case 'connections':
			return `Connections: ${event.connections} (${event.reason})`;
		case 'estimate-failed':
			return `The estimate is incomplete: ${event.reason}`;
		case 'plan':
			return `Found ${event.files} files (${bytes(event.bytes)}) in ${progress.scan.folders} folders: ${event.toDownload} to download (${bytes(event.bytesToDownload)}), ${event.unchanged} unchanged, ${event.skipped} skipped`;
		case 'retry':
			return `Retrying ${event.path} in ${Math.round(event.delayMs / 1000)}s (attempt ${event.attempt}): ${event.reason}`;
		case 'error':
			return `Error: ${event.path ? `${event.path}: ` : ''}${event.message}`;
		case 'done':
			return summaryLine(event.summary);
		default:
			return undefined;
	}
}

function progressLine(progress: Progress): string | undefined {
	if (progress.phase === 'initializing') return `Initializing: ${scanPhrase(progress.scan)}`;
	if (progress.phase !== 'backing-up' || !progress.plan) return undefined;
	const figures = {filesDone: progress.filesDone, filesTotal: progress.plan.toDownload, bytesDone: bytesNow(progress), bytesTotal: progress.plan.bytesToDownload, rate: progress.rate};
	return `Backing up: ${transferPhrase({...figures, etaSeconds: eta(progress)})}`;
}

export async function runCommand(flags: RunFlags, raw: Out, signal: AbortSignal, everyMs = 5000): Promise<number> {
	const out = escapedOut(raw, flags.json);
	// Read-only, so without conf: loading and compiling its schema validator was a third of start-up.
	const settings = readSettings(flags.profile);
	const job = toJob(settings, flags);
	let progress = idleProgress;
	let lastProgress = 0;
	const lastSlotLine = new Map<number, number>();
	const onEvent = (event: RunEvent) => {
		progress = reduce(progress, event);
		if (flags.json) {
			if (event.type === 'file-progress') {
				if (Date.now() - (lastSlotLine.get(event.slot) ?? 0) < 1000) return;
				lastSlotLine.set(event.slot, Date.now());
			}

			out.line(jsonLine(event));
			return;
		}

		const line = textLine(event, progress);
		if (line !== undefined) {
			(event.type === 'error' ? out.error : out.line)(line);
			const guard = event.type === 'done' ? guardLine(event.summary, confirmWith(flags)) : undefined;
			if (guard) out.line(guard);
			return;
		}

		if ((event.type === 'scan' || event.type === 'file-done' || event.type === 'file-progress') && Date.now() - lastProgress >= everyMs) {
			lastProgress = Date.now();
			const text = progressLine(progress);
			if (text) out.line(text);
		}
	};

	// The alerts and the hook are loaded only when one is set: a run without them never needs their modules.
	const hook = settings.hooks.afterRun?.trim() ? settings.hooks.afterRun : undefined;
	const around = settings.notify?.url || hook ? await import('../after-run.js') : undefined;
	const alerts = around?.beforeRun(settings.notify?.url, job);
	const summary = await runBackup({job, signal, onEvent});
	await around?.afterRun(hook, summary, job.backupFolder, alerts);
	if (summary.outcome === 'success') return 0;
	if (summary.outcome === 'partial') return 3;
	if (summary.outcome === 'cancelled') return 130;
	return summary.failure === 'config' ? 2 : 1;
}
