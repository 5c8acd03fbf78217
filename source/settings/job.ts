/**
 * From settings (and a run's overrides) to the Job the engine runs, with every problem that
 * would make the job misconfigured named with its fix.
 */
import {resolve} from 'node:path';
import {PackratError} from '../backup/errors.js';
import {normalizeRoot} from '../backup/names.js';
import type {Job} from '../backup/job.js';
import type {Mode, Settings} from './keys.js';
import {resolvePassword} from './password.js';

export type Overrides = {mode?: Mode; latestOnly?: boolean; folder?: string; connections?: number | 'auto'};

export function defaultPort(settings: Settings): number {
	return settings.server.port ?? (settings.server.tls === 'implicit' ? 990 : 21);
}

/** A setting that stops the job: what is wrong, how to fix it, and the key at fault. */
export type Problem = {message: string; fix: string; setting: 'server.host' | 'backupFolder'};

/** Why this job cannot run, with the fix, or undefined. */
export function misconfiguration(settings: Settings, overrides: Overrides = {}): Problem | undefined {
	if (!settings.server.host) return {message: 'no server is set', fix: 'packrat config set server.host NAME (or o in the window)', setting: 'server.host'};
	if (!overrides.folder && !settings.backupFolder) return {message: 'no backup folder is set', fix: 'packrat config set backupFolder DIR, or --folder DIR (or f in the window)', setting: 'backupFolder'};
	return undefined;
}

export function toJob(settings: Settings, overrides: Overrides = {}): Job {
	const problem = misconfiguration(settings, overrides);
	if (problem) throw new PackratError(`${problem.message}: ${problem.fix}`, 'config', problem.setting);
	const host = settings.server.host!;
	const user = settings.server.user;
	return {
		server: {
			host,
			port: defaultPort(settings),
			user,
			password: resolvePassword(host, user, settings.server.password).password,
			tls: settings.server.tls,
			fingerprint: settings.server.fingerprint,
			root: normalizeRoot(settings.server.root),
			timeoutMs: settings.timeoutSeconds * 1000,
		},
		backupFolder: resolve(overrides.folder ?? settings.backupFolder!),
		mode: overrides.mode ?? settings.mode,
		latestOnly: overrides.latestOnly ?? settings.latestOnly,
		connections: overrides.connections ?? settings.connections,
		keepSnapshots: settings.keepSnapshots,
		linkUnchanged: settings.linkUnchanged,
		versionPattern: settings.versionPattern,
		maxDepth: settings.maxDepth,
		retries: settings.retries,
		guard: {changedPercent: settings.guard?.changedPercent ?? 50, vanishedPercent: settings.guard?.vanishedPercent ?? 50},
	};
}
