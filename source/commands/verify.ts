/**
 * `packrat verify [--sample PERCENT] [--json] [--folder DIR] [--profile NAME]`: compare the backup
 * with the server (source/verify). Readable lines, or JSON lines with --json; exit 0 all good,
 * 1 something missing, different or not verifiable, 2 bad usage or settings, 130 interrupted.
 * Its flags are read by commands/args.ts; its lines are built raw and escaped on their way out
 * (commands/out.ts).
 */
import {jsonLine} from '../backup/names.js';
import {bytes, duration} from '../format.js';
import {toJob} from '../settings/job.js';
import {readSettings} from '../settings/read.js';
import type {VerifyRow, VerifySummary} from '../verify/report.js';
import {escapedOut, exitCode, type Out} from './out.js';

export type VerifyFlags = {samplePercent: number; json: boolean; folder?: string; profile?: string};

const wordOf: Record<VerifySummary['outcome'], string> = {good: 'Good', differs: 'Differs', failed: 'Failed', cancelled: 'Cancelled'};

export function verifySummaryLine(summary: VerifySummary): string {
	if (summary.outcome === 'failed' || summary.outcome === 'cancelled') return `${wordOf[summary.outcome]}: ${summary.reason ?? ''}`;
	const {counts} = summary;
	const figures = [`${counts.checked} checked`, `${counts.ok} ok`, `${counts.missing} missing`, `${counts.different} different`, `${counts.extra} extra`];
	if (counts.failed > 0) figures.push(`${counts.failed} not verified`);
	if (counts.skipped > 0) figures.push(`${counts.skipped} skipped`);
	figures.push(summary.hash ? `hash ${summary.hash}${summary.hashNote ? ` (then: ${summary.hashNote})` : ''}` : `no hash (${summary.hashNote ?? 'none'})`);
	if (summary.samplePercent > 0) figures.push(`${summary.sampled} files (${bytes(summary.sampledBytes)}) compared byte for byte`);
	return `${wordOf[summary.outcome]}: ${figures.join(', ')} in ${duration(summary.durationMs / 1000)}; see ${summary.reportPath ?? 'packrat-verify.tsv'}`;
}

function rowLine(row: VerifyRow): string {
	return `${row.result}: ${row.path}${row.detail ? ` — ${row.detail}` : ''}`;
}

const phaseLines = {connecting: 'Connecting…', scanning: 'Scanning the server…', comparing: 'Comparing with the backup…', writing: 'Writing packrat-verify.tsv…'} as const;

/** At most this many file lines in the readable output; the report has them all. */
const shownRows = 50;

/** Compare the backup with the server, its events as lines (or JSON lines) on `raw`. */
export async function verifyCommand(flags: VerifyFlags, raw: Out, signal?: AbortSignal): Promise<number> {
	const out = escapedOut(raw, flags.json);
	return exitCode(out, async () => verify(flags, out, signal));
}

async function verify(flags: VerifyFlags, out: Out, signal?: AbortSignal): Promise<number> {
	const job = toJob(readSettings(flags.profile), flags.folder === undefined ? {} : {folder: flags.folder});
	const {verifyBackup} = await import('../verify/verify.js');
	let shown = 0;
	let lastProgress = Date.now();
	const summary = await verifyBackup({job, samplePercent: flags.samplePercent, signal, onEvent(event) {
		if (event.type === 'progress' && Date.now() - lastProgress < (flags.json ? 1000 : 5000) && event.done < event.total) return;
		if (event.type === 'progress') lastProgress = Date.now();
		if (flags.json) {
			out.line(jsonLine(event));
			return;
		}

		switch (event.type) {
			case 'phase':
				out.line(phaseLines[event.phase]);
				break;
			case 'connected':
				out.line(`Connected: ${event.connections} connection(s), ${event.tls ? 'TLS' : 'no TLS'}, listing with ${event.listing}, ${event.hash ? `hash ${event.hash}` : 'no hash command (size and time only)'}`);
				break;
			case 'progress':
				out.line(`Comparing: ${event.done}/${event.total} files`);
				break;
			case 'retry':
				out.line(`Retrying ${event.path} in ${Math.round(event.delayMs / 1000)}s (attempt ${event.attempt}): ${event.reason}`);
				break;
			case 'row':
				if (++shown <= shownRows) out.line(rowLine(event.row));
				else if (shown === shownRows + 1) out.line(`… more in ${job.backupFolder}/packrat-verify.tsv`);
				break;
			case 'done':
				(event.summary.outcome === 'failed' ? out.error : out.line)(event.summary.outcome === 'failed' ? `packrat: ${verifySummaryLine(event.summary)}` : verifySummaryLine(event.summary));
				break;
			default:
				break;
		}
	}});

	if (summary.outcome === 'good') return 0;
	if (summary.outcome === 'cancelled') return 130;
	return summary.failure === 'config' ? 2 : 1;
}

/** `packrat verify` from the command line: the first SIGINT, SIGTERM or SIGHUP cancels it (exit 130). */
export async function verifyMain(flags: VerifyFlags, out: Out): Promise<number> {
	const controller = new AbortController();
	for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, () => controller.abort());
	return verifyCommand(flags, out, controller.signal);
}
