/**
 * The end of the run history: the newest runs only, read backwards from the end of the file, so
 * a history of thousands of runs (or one with a huge damaged head) costs the bytes of those runs
 * alone; never through a symlink.
 */
import {appendFile, mkdir, stat, symlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {appendHistory, historyPath} from '../../source/backup/history.js';
import {asSummary, readHistoryTail} from '../../source/files/history-tail.js';
import {readTailLines} from '../../source/files/log-tail.js';
import {tempDir} from '../helpers/fixture.js';
import {summaryOf} from '../window/fixture.js';

const runAt = (index: number) => summaryOf({started: new Date(Date.UTC(2026, 0, 1) + index * 3_600_000).toISOString(), bytes: index, reason: `run ${index} é`});

async function longHistory(runs: number, head = ''): Promise<string> {
	const folder = await tempDir();
	await mkdir(join(folder, '.packrat'));
	if (head) await writeFile(historyPath(folder), head);
	for (let index = 0; index < runs; index++) await appendHistory(folder, runAt(index));
	return folder;
}

describe('the end of the run history', () => {
	it('reads the newest 500 of 2,000 runs, newest first, and not the whole file', async () => {
		const folder = await longHistory(2000);
		const tail = await readHistoryTail(folder);
		const {size} = await stat(historyPath(folder));
		expect(tail.runs).toHaveLength(500);
		expect(tail.runs[0]).toEqual(runAt(1999));
		expect(tail.runs.at(-1)).toEqual(runAt(1500));
		expect(tail.more).toBe(true);
		expect(tail.size).toBe(size);
		// The bytes of those 500 runs and at most one chunk (64 KiB) more: about a third of the file.
		const line = Buffer.byteLength(`${JSON.stringify(runAt(1999))}\n`);
		expect(tail.bytesRead).toBeLessThanOrEqual(501 * line + 64 * 1024);
		expect(tail.bytesRead).toBeLessThan(size / 2);
	});

	it('opens a history whose head is a huge damaged part without reading it', async () => {
		const head = `${'{"outcome":"success","started":'.repeat(300_000)}\n`;
		const folder = await longHistory(600, head);
		const tail = await readHistoryTail(folder);
		expect(tail.runs[0]).toEqual(runAt(599));
		expect(tail.runs).toHaveLength(500);
		expect(tail.bytesRead).toBeLessThan(head.length / 20);
	});

	it('reads whole lines across chunks of any size, multi-byte characters included', async () => {
		const folder = await longHistory(7);
		for (const chunk of [1, 5, 64, 1_000_000]) {
			const tail = await readHistoryTail(folder, 3, chunk);
			expect(tail.runs, `chunk ${chunk}`).toEqual([runAt(6), runAt(5), runAt(4)]);
		}

		expect((await readHistoryTail(folder, 50)).runs).toHaveLength(7);
		expect((await readHistoryTail(folder, 50)).more).toBe(false);
	});

	it('reads a run of every outcome, Done with errors included', () => {
		for (const outcome of ['success', 'partial', 'failed', 'cancelled']) {
			expect(asSummary(`{"outcome":"${outcome}","started":"2026-01-01T00:00:00Z","counts":{"failed":2}}`)).toMatchObject({outcome, counts: {failed: 2}});
		}
	});

	it('passes over a damaged line and a line that is not a run, keeps a line cut short at the end out', async () => {
		const folder = await longHistory(2);
		await appendFile(historyPath(folder), '42\n{"outcome":"won","started":"2026-01-01T00:00:00Z"}\nnot json\n{"outcome":"success","sta');
		expect((await readHistoryTail(folder)).runs).toEqual([runAt(1), runAt(0)]);
		expect(asSummary('{"outcome":"failed","started":"2026-01-01T00:00:00Z","counts":{"downloaded":"x"}}')).toMatchObject({counts: {downloaded: 0, unchanged: 0}, bytes: 0, durationMs: 0});
	});

	it('has no history without a .packrat folder, and never follows a symlink to one', async () => {
		const folder = await tempDir();
		expect(await readHistoryTail(folder)).toMatchObject({runs: [], missing: true});
		const elsewhere = await longHistory(3);
		await symlink(join(elsewhere, '.packrat'), join(folder, '.packrat'));
		expect(await readHistoryTail(folder)).toMatchObject({runs: [], missing: true});
		const linked = await tempDir();
		await mkdir(join(linked, '.packrat'));
		await symlink(historyPath(elsewhere), historyPath(linked));
		await expect(readHistoryTail(linked)).rejects.toMatchObject({code: 'ELOOP'});
	});

	it('gives the last lines of any file, empty lines left out', async () => {
		const file = join(await tempDir(), 'lines.txt');
		await writeFile(file, 'one\n\ntwo\nthree\n');
		expect(await readTailLines(file, 2, {chunk: 3})).toMatchObject({lines: ['two', 'three'], truncated: true});
		expect(await readTailLines(file, 9)).toMatchObject({lines: ['one', 'two', 'three'], truncated: false, bytesRead: 15});
	});
});
