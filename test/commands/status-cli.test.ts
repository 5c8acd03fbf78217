/**
 * `packrat status` for a monitoring system (the built command line, no window): exit 0 when the
 * last successful backup is fresh, 1 when it is older than two cycles of the schedule, when there
 * is none, or when the last run failed; `--json` carries `stale` and the age.
 */
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Summary} from '../../source/backup/events.js';
import {appendHistory} from '../../source/backup/history.js';
import {configure, runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/fixture.js';

const hour = 3_600_000;

type Status = {stale: boolean; ageSeconds?: number; cycleSeconds?: number; lastSuccess?: {outcome: string; failed: number}; lastRun?: {outcome: string}};

/** A backup folder whose history holds runs that ended `hoursAgo` before now, and settings with `repeat`. */
async function withHistory(repeat: string, runs: Array<{outcome: Summary['outcome']; hoursAgo: number; failed?: number}>): Promise<string> {
	const home = await tempDir();
	const folder = join(home, 'backup');
	await mkdir(join(folder, '.packrat'), {recursive: true});
	for (const {outcome, hoursAgo, failed = 0} of runs) {
		const ended = new Date(Date.now() - hoursAgo * hour).toISOString();
		await appendHistory(folder, {
			outcome, mode: 'incremental', latestOnly: false, started: ended, ended, durationMs: 1000,
			counts: {downloaded: 4, unchanged: 0, failed, skipped: 0}, bytes: 2048, errors: failed, target: folder,
			...(outcome === 'success' ? {} : {reason: outcome === 'partial' ? `${failed} files could not be fetched` : 'the server cannot be reached'}),
		});
	}

	await configure(home, {backupFolder: folder, repeat});
	return home;
}

async function status(home: string): Promise<{code: number | null; json: Status; text: string}> {
	const json = await runCli(['status', '--json'], {home});
	const text = await runCli(['status'], {home});
	expect(text.code).toBe(json.code);
	return {code: json.code, json: JSON.parse(json.stdout) as Status, text: text.stdout};
}

describe('packrat status for monitoring', () => {
	it('exits 0 while the last backup is fresh, with its age, and 1 once it is older than two days (daily)', async () => {
		const fresh = await status(await withHistory('daily', [{outcome: 'success', hoursAgo: 31}]));
		expect(fresh.code).toBe(0);
		expect(fresh.json).toMatchObject({stale: false, cycleSeconds: 24 * 3600});
		expect(fresh.json.ageSeconds).toBeGreaterThanOrEqual(31 * 3600);
		expect(fresh.text).toMatch(/^Last successful backup: \d{4}-\d\d-\d\d \d\d:\d\d, 31 h ago \(4 downloaded, 2 kB\)$/m);

		const stale = await status(await withHistory('daily', [{outcome: 'success', hoursAgo: 49}]));
		expect(stale.code).toBe(1);
		expect(stale.json).toMatchObject({stale: true});
		expect(stale.text).toMatch(/^Last successful backup: .*, 2 days ago \(4 downloaded, 2 kB\), STALE: older than 2 cycles of the schedule \(24 h each\)$/m);
	});

	it('judges by the schedule: every 6h is stale after 12 hours, a weekly cron after two weeks', async () => {
		expect((await status(await withHistory('every 6h', [{outcome: 'success', hoursAgo: 11}]))).code).toBe(0);
		const sixHourly = await status(await withHistory('every 6h', [{outcome: 'success', hoursAgo: 13}]));
		expect(sixHourly).toMatchObject({code: 1, json: {stale: true, cycleSeconds: 6 * 3600}});
		expect((await status(await withHistory('0 3 * * 1', [{outcome: 'success', hoursAgo: 8 * 24}]))).json).toMatchObject({stale: false, cycleSeconds: 7 * 24 * 3600});
		expect((await status(await withHistory('0 3 * * 1', [{outcome: 'success', hoursAgo: 15 * 24}]))).code).toBe(1);
	});

	it('counts a run Done with errors as a backup, saying how many files it misses', async () => {
		const partial = await status(await withHistory('daily', [{outcome: 'success', hoursAgo: 30}, {outcome: 'partial', hoursAgo: 2, failed: 2}]));
		expect(partial.code).toBe(0);
		expect(partial.json).toMatchObject({stale: false, lastSuccess: {outcome: 'partial', failed: 2}, lastRun: {outcome: 'partial'}});
		expect(partial.text).toMatch(/^Last successful backup: .*, 2 h ago \(2 files could not be fetched\)$/m);
		expect(partial.text).toMatch(/^Last run: Done with errors at .* — 2 files could not be fetched$/m);
	});

	it('exits 1 when the last run failed, even after a fresh backup, and when there has never been one', async () => {
		const failed = await status(await withHistory('daily', [{outcome: 'success', hoursAgo: 3}, {outcome: 'failed', hoursAgo: 1}]));
		expect(failed).toMatchObject({code: 1, json: {stale: false, lastRun: {outcome: 'failed'}}});
		expect(failed.text).toMatch(/^Last run: Failed at .* — the server cannot be reached$/m);
		const never = await status(await withHistory('daily', [{outcome: 'failed', hoursAgo: 1}]));
		expect(never).toMatchObject({code: 1, json: {stale: true}});
		expect(never.json.lastSuccess).toBeUndefined();
		expect(never.text).toMatch(/^Last successful backup: none yet$/m);
	});
});
