/**
 * `packrat verify [--sample PERCENT] [--json] [--folder DIR] [--profile NAME]`: compare the backup
 * with the server (source/verify). Readable lines, or JSON lines with --json; exit 0 all good,
 * 1 something missing, different or not verifiable, 2 bad usage or settings, 130 interrupted.
 * It reads its own flags, so the rest of the command line knows only its name.
 */
import {parseArgs} from 'node:util';
import {PackratError} from '../backup/errors.js';
import {bytes, duration} from '../format.js';
import {toJob} from '../settings/job.js';
import {readSettings} from '../settings/read.js';
import type {VerifyRow, VerifySummary} from '../verify/report.js';
import {jsonLine} from '../backup/names.js';
import {escapedOut} from './run.js';

type Out = {line: (text: string) => void; error: (text: string) => void};

export type VerifyFlags = {samplePercent: number; json: boolean; folder?: string; profile?: string; help: boolean};

export const verifyUsage = 'usage: packrat verify [--sample PERCENT] [--json] [--folder DIR] [--profile NAME]';

/** The flags of `packrat verify`; a PackratError (exit 2) names what is wrong. */
export function parseVerifyArgs(argv: readonly string[]): VerifyFlags {
	let values;
	try {
		({values} = parseArgs({
			args: [...argv],
			strict: true,
			allowPositionals: false,
			options: {sample: {type: 'string'}, json: {type: 'boolean'}, folder: {type: 'string'}, profile: {type: 'string'}, help: {type: 'boolean'}},
		}));
	} catch (error) {
		throw new PackratError(`${(error as Error).message.split('\n')[0]!.replace(/\. To specify .*$/, '')}; ${verifyUsage}`, 'config');
	}

	const sample = values.sample ?? '0';
	const samplePercent = Number(sample);
	if (!/^\d+(\.\d+)?$/.test(sample) || samplePercent > 100) throw new PackratError(`--sample must be a percentage from 0 to 100 (got ${JSON.stringify(sample)})`, 'config');
	return {samplePercent, json: values.json ?? false, folder: values.folder, profile: values.profile, help: values.help ?? false};
}

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

/** Lines are built raw and escaped on their way out, as packrat run's are (escapedOut). */
export async function verifyCommand(argv: readonly string[], raw: Out, signal?: AbortSignal): Promise<number> {
	let flags: VerifyFlags;
	let job;
	let out = escapedOut(raw, false);
	try {
		flags = parseVerifyArgs(argv);
		if (flags.help) {
			out.line(verifyUsage);
			return 0;
		}

		out = escapedOut(raw, flags.json);
		job = toJob(readSettings(flags.profile), flags.folder === undefined ? {} : {folder: flags.folder});
	} catch (error) {
		if (!(error instanceof PackratError)) throw error;
		out.error(`packrat: ${error.message}`);
		return error.code === 'config' ? 2 : 1;
	}

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
export async function verifyMain(argv: readonly string[], out: Out): Promise<number> {
	const controller = new AbortController();
	for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, () => controller.abort());
	return verifyCommand(argv, out, controller.signal);
}
