/**
 * Outcomes: a run whose server will not give one file ends Done with errors (`partial`), with that
 * file named in the error log, the export and the error event, and every other file in place; a
 * Full run Done with errors keeps its snapshot under its final name, and pruning never removes
 * the newest snapshot that was Done.
 */
import {readFile, readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHostileServer, type Handler} from '../../devtools/hostile-server.js';
import {refusingRetr, resettingRetr} from '../../devtools/hostile-server/handlers.js';
import type {RunEvent} from '../../source/backup/events.js';
import {lastSuccess, readHistory} from '../../source/backup/history.js';
import {localStamp} from '../../source/backup/local.js';
import {runBackup} from '../../source/backup/run.js';
import {completeSnapshots} from '../../source/backup/snapshots.js';
import {exportRows, makeJob, tempDir, tree} from '../helpers/fixture.js';

const modified = new Date('2026-11-20T03:00:00Z');
const files = {
	'/alice/plan.txt': {data: 'the plan', mtime: modified},
	'/alice/lost.bin': {data: 'x'.repeat(5000), mtime: modified},
	'/bob/notes.md': {data: 'notes', mtime: new Date('2026-11-01T10:20:30Z')},
	'/top.txt': {data: 'top', mtime: modified},
};
const whole = {
	'alice/plan.txt': {text: 'the plan', mtime: modified.getTime() / 1000},
	'bob/notes.md': {text: 'notes', mtime: Date.parse('2026-11-01T10:20:30Z') / 1000},
	'top.txt': {text: 'top', mtime: modified.getTime() / 1000},
};
const fast = () => 10;

const variants: Array<{label: string; retr: Handler; cause: RegExp}> = [
	{label: 'refused with 550', retr: refusingRetr(path => path === '/alice/lost.bin'), cause: /550 Cannot open that file/},
	{label: 'its data connection reset every time', retr: resettingRetr(path => path === '/alice/lost.bin'), cause: /^gave up on \/alice\/lost\.bin after 3 attempts: /},
];

describe('outcomes', () => {
	for (const {label, retr, cause} of variants) {
		it(`one file the server will not give (${label}): Done with errors, the file named everywhere, the rest in place`, async () => {
			const server = await startHostileServer({files, mlsd: true, handlers: {RETR: retr}});
			try {
				const backup = await tempDir();
				const events: RunEvent[] = [];
				const summary = await runBackup({job: makeJob(server, backup, {retries: 2}), backoffMs: fast, onEvent: event => events.push(event)});
				expect(summary).toMatchObject({outcome: 'partial', counts: {downloaded: 3, failed: 1, unchanged: 0, skipped: 0}, errors: 1});
				expect(summary.failure).toBeUndefined();
				expect(summary.reason).toBe(`1 file could not be fetched; see ${join(backup, 'packrat-errors.log')}`);
				expect(await tree(backup)).toEqual(whole);
				const errors = events.filter(event => event.type === 'error');
				expect(errors).toEqual([expect.objectContaining({path: '/alice/lost.bin', message: expect.stringMatching(cause)})]);
				expect(await readFile(join(backup, 'packrat-errors.log'), 'utf8')).toMatch(/\t\/alice\/lost\.bin\t/);
				const rows = await exportRows(join(backup, 'packrat-export.tsv'));
				expect(rows.find(row => row[3] === '/alice/lost.bin')?.[6]).toBe('failed');
				expect(rows.filter(row => row[6] === 'downloaded').map(row => row[3]).sort()).toEqual(['/alice/plan.txt', '/bob/notes.md', '/top.txt']);
				const history = await readHistory(backup);
				expect(history.map(run => run.outcome)).toEqual(['partial']);
				expect(lastSuccess(history)).toMatchObject({outcome: 'partial', counts: {failed: 1}});
				expect(await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).toMatch(/\tWARN\trun-end\t\/\t\d+\t\d+\tpartial: 1 file could not be fetched/);
			} finally {
				await server.close();
			}
		});
	}

	it('a Full run Done with errors keeps its snapshot under its final name, counted as complete (linkUnchanged links from it)', async () => {
		let refusing = true;
		const server = await startHostileServer({files, mlsd: true, handlers: {RETR: refusingRetr(path => refusing && path === '/alice/lost.bin')}});
		try {
			const backup = await tempDir();
			const job = makeJob(server, backup, {mode: 'full', linkUnchanged: true});
			const first = await runBackup({job, now: () => new Date('2026-11-21T03:00:00Z')});
			const stamp = localStamp(new Date('2026-11-21T03:00:00Z'));
			expect(first).toMatchObject({outcome: 'partial', snapshot: stamp, target: join(backup, stamp)});
			expect((await readdir(backup)).filter(name => name.startsWith('2026-'))).toEqual([stamp]);
			const rows = await exportRows(join(backup, stamp, 'packrat-export.tsv'));
			expect(rows.find(row => row[3] === '/alice/lost.bin')?.[6]).toBe('failed');
			expect(await completeSnapshots(backup, await readHistory(backup))).toEqual([stamp]);

			refusing = false;
			const second = await runBackup({job, now: () => new Date('2026-11-22T03:00:00Z')});
			expect(second).toMatchObject({outcome: 'success', counts: {downloaded: 1, unchanged: 3, failed: 0}});
		} finally {
			await server.close();
		}
	});

	it('keepSnapshots never removes the newest snapshot that was Done, however many runs Done with errors follow', async () => {
		let refusing = false;
		const server = await startHostileServer({files, mlsd: true, handlers: {RETR: refusingRetr(path => refusing && path === '/alice/lost.bin')}});
		try {
			const backup = await tempDir();
			const job = makeJob(server, backup, {mode: 'full', keepSnapshots: 1});
			const at = (day: number) => () => new Date(`2026-11-${day}T03:00:00Z`);
			const snapshots = async () => (await readdir(backup)).filter(name => name.startsWith('2026-')).sort();
			const done = await runBackup({job, now: at(20)});
			expect(done.outcome).toBe('success');
			refusing = true;
			const errors = [await runBackup({job, now: at(21)}), await runBackup({job, now: at(22)})];
			expect(errors.map(run => run.outcome)).toEqual(['partial', 'partial']);
			// One kept beyond keepSnapshots: the last whole one, beside the newest.
			expect(await snapshots()).toEqual([done.snapshot, errors[1]!.snapshot]);
			refusing = false;
			const again = await runBackup({job, now: at(23)});
			expect(again.outcome).toBe('success');
			expect(await snapshots()).toEqual([again.snapshot]);
		} finally {
			await server.close();
		}
	});
});
