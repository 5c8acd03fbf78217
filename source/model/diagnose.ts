/**
 * Whether the job can run, checked before `n` runs it: a server, a backup folder that can be
 * written, and a root path the server has (known from the last run or from Test connection).
 */
import {resolve} from 'node:path';
import type {Summary} from '../backup/events.js';
import {folderProblem} from '../files/write-check.js';
import {misconfiguration} from '../settings/job.js';
import type {Settings} from '../settings/keys.js';
import type {Blocked} from './session-state.js';

/** A run that failed because the server has no such root path marks the job misconfigured until the settings change. */
export function rootProblem(summary: Summary | undefined): Blocked | undefined {
	if (summary?.outcome !== 'failed' || summary.setting !== 'server.root' || !summary.reason) return undefined;
	return {reason: summary.reason.split(': check')[0]!, fix: 'settings'};
}

export async function diagnose(settings: Settings): Promise<Blocked | undefined> {
	const problem = misconfiguration(settings);
	if (problem) return {reason: problem.split(':')[0]!, fix: settings.server.host ? 'folder' : 'settings'};
	const folder = resolve(settings.backupFolder!);
	const why = await folderProblem(folder);
	return why ? {reason: `the backup folder ${folder} cannot be written (${why})`, fix: 'folder'} : undefined;
}
