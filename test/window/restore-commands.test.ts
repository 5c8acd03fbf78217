/**
 * The commands of getting a file back: versions and history refused without a backup folder,
 * restore also while a backup runs (a run renames files as it goes) or a verify (it holds the run
 * lock); allowed, restore copies out of the job's backup folder and reports what it did.
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {RestoreResult} from '../../source/restore/restore.js';
import type {VerifySummary} from '../../source/verify/report.js';
import type {VerifyOptions} from '../../source/verify/verify.js';
import {tempDir} from '../helpers/fixture.js';
import {makeSession, type Made} from './fixture.js';
import {waitFor} from './terminal.js';

let made: Made;

afterEach(async () => {
	await made.session.shutdown();
});

describe('the rules of versions, history and restore', () => {
	it('refuses all three without a backup folder, with the key that fixes it', async () => {
		made = await makeSession({host: '127.0.0.1', backupFolder: undefined});
		for (const id of ['versions', 'history', 'restore'] as const) expect(made.session.disabledReason(id)).toBe('no backup folder is set (press f to choose one)');
		expect(await made.session.run('versions')).toMatchObject({ok: false, message: 'no backup folder is set (press f to choose one)'});
	});

	it('restores from the job\'s backup folder, and refuses while a backup runs', async () => {
		made = await makeSession();
		await mkdir(join(made.folder, 'alice'));
		await writeFile(join(made.folder, 'alice', 'a.txt'), 'hello');
		const to = await tempDir();
		const reports: RestoreResult[] = [];
		const request = {request: {parts: ['alice', 'a.txt'], to}, report: (result: RestoreResult) => reports.push(result)};
		expect(made.session.disabledReason('versions')).toBeUndefined();

		void made.session.start();
		await waitFor(() => made.engine.calls.length === 1, 'the run to start');
		expect(made.session.disabledReason('restore')).toBe('a backup is running: restore once it has ended');
		expect(made.session.disabledReason('versions')).toBeUndefined();
		expect(await made.session.run('restore', request)).toMatchObject({ok: false, message: 'a backup is running: restore once it has ended'});
		expect(reports).toEqual([]);
		made.engine.finish();
		await waitFor(() => !made.session.running, 'the run to end');

		expect(await made.session.run('restore', request)).toMatchObject({ok: true, message: 'restored 1 file'});
		expect(reports[0]).toMatchObject({kind: 'file', restored: [{path: 'alice/a.txt', to: join(to, 'a.txt')}]});
		expect(await readFile(join(to, 'a.txt'), 'utf8')).toBe('hello');
		const refused = await made.session.run('restore', {...request, request: {parts: ['alice', 'a.txt'], to: join(made.folder, 'inside'), toNamed: 'the folder chosen'}});
		expect(refused).toMatchObject({ok: false, message: `the folder chosen is inside the backup folder ${made.folder}: a restore never writes there; choose a folder outside it`});
	});

	it('refuses restore while a verify runs, and allows it once the verify has ended', async () => {
		let end!: () => void;
		const verify = async (options: VerifyOptions) => new Promise<VerifySummary>(resolve => {
			end = () => {
				const summary: VerifySummary = {outcome: 'good', target: made.folder, counts: {checked: 1, ok: 1, missing: 0, different: 0, extra: 0, skipped: 0, failed: 0}, samplePercent: 0, sampled: 0, sampledBytes: 0, started: '', ended: '', durationMs: 1};
				options.onEvent?.({type: 'done', summary});
				resolve(summary);
			};
			options.signal?.addEventListener('abort', end);
		});
		made = await makeSession({host: '127.0.0.1'}, {verify});
		await mkdir(join(made.folder, 'alice'));
		await writeFile(join(made.folder, 'alice', 'a.txt'), 'hello');
		void made.session.start();
		await waitFor(() => made.engine.calls.length === 1, 'the run to start');
		made.engine.finish();
		await waitFor(() => !made.session.running && made.session.disabledReason('verify') === undefined, 'the run to end');

		expect(await made.session.run('verify')).toMatchObject({ok: true});
		await waitFor(() => made.session.disabledReason('verify-cancel') === undefined, 'the verify to start');
		expect(made.session.disabledReason('restore')).toBe('a verify is running: restore once it has ended');
		const reports: RestoreResult[] = [];
		const request = {request: {parts: ['alice', 'a.txt'], to: await tempDir()}, report: (result: RestoreResult) => reports.push(result)};
		expect(await made.session.run('restore', request)).toMatchObject({ok: false, message: 'a verify is running: restore once it has ended'});
		expect(reports).toEqual([]);

		end();
		await waitFor(() => made.session.disabledReason('restore') === undefined, 'the verify to end');
		expect(await made.session.run('restore', request)).toMatchObject({ok: true, message: 'restored 1 file'});
	});
});
