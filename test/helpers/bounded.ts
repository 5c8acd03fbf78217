/**
 * For the tests of bounded memory and time: a run given a fixed time, after which it counts as
 * hung (and is cancelled), so code without a limit fails a test instead of holding it forever.
 */
import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import type {RunEvent, Summary} from '../../source/backup/events.js';
import {runBackup, type Job} from '../../source/backup/run.js';

export const MiB = 1024 * 1024;

export type Bounded = {summary: Summary | 'hung'; ms: number; events: RunEvent[]};

/** Run `job` (backoff 20 ms); `hung` when it has not ended within `limitMs`. */
export async function runWithin(job: Job, limitMs: number, onEvent?: (event: RunEvent, cancel: () => void) => void): Promise<Bounded> {
	const controller = new AbortController();
	const events: RunEvent[] = [];
	const started = Date.now();
	let timer: NodeJS.Timeout | undefined;
	const run = runBackup({job, signal: controller.signal, backoffMs: () => 20, onEvent(event) {
		events.push(event);
		onEvent?.(event, () => controller.abort());
	}});
	const hung = new Promise<'hung'>(resolve => (timer = setTimeout(() => resolve('hung'), limitMs)));
	const summary = await Promise.race([run, hung]);
	clearTimeout(timer);
	const ms = Date.now() - started;
	if (summary === 'hung') controller.abort();
	return {summary, ms, events};
}

/** True when the backup folder's lock is gone (the run released it). */
export async function unlocked(backup: string): Promise<boolean> {
	return !(await readdir(join(backup, '.packrat'))).includes('lock');
}

/** The messages of the run's error events. */
export const errorsOf = (events: RunEvent[]) => events.flatMap(event => (event.type === 'error' ? [`${event.path ?? ''}: ${event.message}`] : []));
