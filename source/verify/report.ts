/**
 * What a verify found: one row per file (`packrat-verify.tsv`, escaped and written atomically as
 * the export is), the counts, and the summary that `packrat verify` prints and exits by.
 */
import {formatFields, writeTsv} from '../backup/export.js';
import type {RunEvent} from '../backup/events.js';

/** ok, extra and skipped are good; missing, different and failed are not. */
export type VerifyResult = 'ok' | 'missing' | 'different' | 'extra' | 'skipped' | 'failed';

export type VerifyRow = {
	/** Below the root: the same in the backup (or the snapshot) and on the server. */
	path: string;
	/** How it was verified: `size+mtime`, then the hash algorithm, then `bytes`, joined by `+`. */
	checked: string;
	result: VerifyResult;
	/** What differs, why it was skipped or failed, a note; '' when there is nothing to say. */
	detail: string;
};

export const verifyColumns = ['path', 'checked', 'result', 'detail'] as const;

export type VerifyCounts = {checked: number} & Record<VerifyResult, number>;

export type VerifySummary = {
	/** good: nothing missing, different or failed; differs: something is; failed: the verify itself could not be done. */
	outcome: 'good' | 'differs' | 'failed' | 'cancelled';
	/** The tree compared: the backup folder or its newest complete snapshot. */
	target: string;
	snapshot?: string;
	counts: VerifyCounts;
	/** The hash compared, `SHA-256 (HASH)`, when the server offered one. */
	hash?: string;
	/** Why no hash (or not every file's) was compared. */
	hashNote?: string;
	samplePercent: number;
	/** Files downloaded into memory and compared byte for byte, and their bytes. */
	sampled: number;
	sampledBytes: number;
	started: string;
	ended: string;
	durationMs: number;
	reportPath?: string;
	reason?: string;
	/** What kind of fault failed it: `config` is bad settings (exit 2). */
	failure?: 'config' | 'connect' | 'server' | 'local' | 'lock' | 'trust' | 'internal';
};

export function countRows(rows: readonly VerifyRow[]): VerifyCounts {
	const counts: VerifyCounts = {checked: 0, ok: 0, missing: 0, different: 0, extra: 0, skipped: 0, failed: 0};
	for (const row of rows) {
		counts[row.result]++;
		if (row.result === 'ok' || row.result === 'missing' || row.result === 'different' || row.result === 'failed') counts.checked++;
	}

	return counts;
}

export function isGood(counts: VerifyCounts): boolean {
	return counts.missing === 0 && counts.different === 0 && counts.failed === 0;
}

/** Write `packrat-verify.tsv`: a header row, then the rows sorted by path. */
export async function writeReport(path: string, rows: readonly VerifyRow[]): Promise<number> {
	const sorted = [...rows].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return writeTsv(path, verifyColumns, sorted, row => formatFields([row.path, row.checked, row.result, row.detail]));
}

/** What a verify reports as it goes, for the headless lines and the window. */
export type VerifyEvent =
	| {type: 'phase'; phase: 'connecting' | 'scanning' | 'comparing' | 'writing'}
	| {type: 'connected'; connections: number; tls: boolean; listing: 'MLSD' | 'LIST'; hash?: string}
	| {type: 'scan'; folders: number; files: number}
	| {type: 'progress'; done: number; total: number}
	| Extract<RunEvent, {type: 'retry' | 'connections'}>
	| {type: 'row'; row: VerifyRow}
	| {type: 'done'; summary: VerifySummary};
