/**
 * Whether the job can run, checked before `n` runs it: a server, a backup folder that can be
 * written (tried with a real file, which also catches read-only mounts and root-squashed shares),
 * and a root path the server has (known from the last run or from Test connection).
 */
import {randomBytes} from 'node:crypto';
import {rm, stat, writeFile} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import type {Summary} from '../backup/events.js';
import {misconfiguration} from '../settings/job.js';
import type {Settings} from '../settings/keys.js';
import type {Blocked} from './session-state.js';

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Why a file cannot be made in this existing folder, or undefined. */
export async function writeProblem(folder: string): Promise<string | undefined> {
	const probe = join(folder, `.packrat-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
	try {
		await writeFile(probe, '', {flag: 'wx', mode: 0o600});
		await rm(probe, {force: true});
		return undefined;
	} catch (error) {
		return code(error);
	}
}

/** Why the backup folder cannot be written, or undefined. A missing folder whose parent can be written is fine: the run makes it. */
export async function folderProblem(folder: string): Promise<string | undefined> {
	try {
		if (!(await stat(folder)).isDirectory()) return 'it is not a folder';
		return await writeProblem(folder);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return code(error);
		try {
			if (!(await stat(dirname(folder))).isDirectory()) return 'its parent is not a folder';
		} catch {
			return 'neither it nor its parent folder exists';
		}

		const parent = await writeProblem(dirname(folder));
		return parent ? `it does not exist and cannot be made: ${parent}` : undefined;
	}
}

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
