/**
 * Whether the job can run, checked before `n` runs it: a server, a backup folder that can be
 * written, and a root path the server has (known from the last run or from Test connection).
 */
import {resolve} from 'node:path';
import type {Summary} from '../backup/events.js';
import {oneLine} from '../backup/errors.js';
import type {Job} from '../backup/job.js';
import {folderProblem} from '../files/write-check.js';
import {misconfiguration, toJob} from '../settings/job.js';
import type {Settings} from '../settings/keys.js';
import type {Outcome} from './commands.js';
import type {Blocked} from './session-state.js';

/** A run that failed because the server has no such root path marks the job misconfigured until the settings change. */
export function rootProblem(summary: Summary | undefined): Blocked | undefined {
	if (summary?.outcome !== 'failed' || summary.setting !== 'server.root' || !summary.reason) return undefined;
	return {reason: summary.reason, fix: 'settings'};
}

export async function diagnose(settings: Settings): Promise<Blocked | undefined> {
	const problem = misconfiguration(settings);
	if (problem) return {reason: problem.message, fix: problem.setting === 'server.host' ? 'settings' : 'folder'};
	const folder = resolve(settings.backupFolder!);
	const why = await folderProblem(folder);
	return why ? {reason: `the backup folder ${folder} cannot be written (${why})`, fix: 'folder'} : undefined;
}

/** The job a run is to run, or why it is not run: cancelled during its checks, misconfigured, or settings that make no job. */
export function prepareRun({settings, trigger, fit, aborted, blocked}: {settings: Settings; trigger: 'manual' | 'scheduled'; fit: boolean; aborted: boolean; blocked?: Blocked}): {job: Job} | {refusal: Outcome} {
	const notRun = trigger === 'scheduled' ? 'the scheduled backup was not run' : 'not run';
	if (aborted) return {refusal: {ok: false, message: `${notRun}: cancelled`, tone: 'warn'}};
	if (!fit) {
		const hint = blocked && {action: blocked.fix, does: 'to fix it'};
		return {refusal: {ok: false, message: `${notRun}: the job is misconfigured${blocked ? `: ${blocked.reason}` : ''}`, tone: 'bad', hint}};
	}

	try {
		return {job: toJob(settings)};
	} catch (error) {
		return {refusal: {ok: false, message: `${notRun}: ${oneLine(error)}`, tone: 'bad'}};
	}
}
