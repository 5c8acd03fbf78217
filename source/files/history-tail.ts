/**
 * The end of a backup folder's run history, for the History screen: the newest runs only (500
 * by default), read backwards from the end of `.packrat/history.jsonl` a chunk at a time, so a
 * history of years costs the bytes of those runs alone. Never through a symlink (neither
 * `.packrat` nor the file is followed), never a FIFO; a damaged line is passed over.
 */
import {constants} from 'node:fs';
import {lstat} from 'node:fs/promises';
import {join} from 'node:path';
import type {Outcome, Summary} from '../backup/events.js';
import {historyPath, stateFolderName} from '../backup/history.js';
import {outcomeNames} from '../format.js';
import {readTailLines} from './log-tail.js';

export const historyRuns = 500;

export type HistoryTail = {
	/** Newest first. */
	runs: Summary[];
	/** The history file's size, and how much of it was read. */
	size: number;
	bytesRead: number;
	/** Older runs were left unread. */
	more: boolean;
	/** No history yet (no run has written one). */
	missing: boolean;
};

/** Every outcome a run can have, from the one table of their words. */
const outcomes = new Set(Object.keys(outcomeNames) as Outcome[]);
const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);

/** A line's run, or undefined when the line is not one (cut short, or not what packrat writes). */
export function asSummary(line: string): Summary | undefined {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return undefined;
	}

	const run = value as Partial<Summary> | null;
	if (typeof run !== 'object' || run === null || !outcomes.has(run.outcome!) || typeof run.started !== 'string' || Number.isNaN(Date.parse(run.started))) return undefined;
	const counts: Partial<Summary['counts']> = (typeof run.counts === 'object' && run.counts) || {};
	return {
		...(run as Summary),
		durationMs: count(run.durationMs), bytes: count(run.bytes), errors: count(run.errors),
		counts: {downloaded: count(counts.downloaded), unchanged: count(counts.unchanged), failed: count(counts.failed), skipped: count(counts.skipped)},
	};
}

/** The newest `limit` runs recorded in the backup folder; `chunk` is how much is read at a time. */
export async function readHistoryTail(backupFolder: string, limit = historyRuns, chunk?: number): Promise<HistoryTail> {
	const none: HistoryTail = {runs: [], size: 0, bytesRead: 0, more: false, missing: true};
	try {
		if (!(await lstat(join(backupFolder, stateFolderName))).isDirectory()) return none;
		const tail = await readTailLines(historyPath(backupFolder), limit, {chunk, flags: constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK});
		const runs = tail.lines.map(asSummary).filter(run => run !== undefined).reverse();
		return {runs, size: tail.size, bytesRead: tail.bytesRead, more: tail.truncated, missing: false};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return none;
		throw error;
	}
}
