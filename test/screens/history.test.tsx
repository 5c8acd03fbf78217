/**
 * The History screen in the window: the runs of the backup folder newest first, with their
 * outcome as a word and a symbol, under the charts of bytes and duration per run, in Unicode
 * and in ASCII; made by real runs against the in-process server (a success, a failed and a
 * cancelled run among them), and a history of 2,000 runs opened by reading its tail only.
 */
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {App} from '../../source/app.js';
import type {Summary} from '../../source/backup/events.js';
import {appendHistory, historyPath} from '../../source/backup/history.js';
import {runBackup} from '../../source/backup/run.js';
import {makeTheme} from '../../source/components/theme.js';
import {bytes, when} from '../../source/format.js';
import {makeJob, tempDir} from '../helpers/fixture.js';
import {makeSession, summaryOf, windowTests, type Made} from '../window/fixture.js';
import {during, frameHeights, renderAt, waitFor, type Terminal} from '../window/terminal.js';

const day = (index: number) => new Date(Date.UTC(2026, 10, 10 + index, 3, 0, 0));

let server: FtpTestServer;
let backup: string;
const summaries: Summary[] = [];

beforeAll(async () => {
	const source = await tempDir();
	server = await startFtpServer({root: source, mlsd: true});
	backup = await tempDir();
	const job = makeJob(server, backup);
	for (let index = 0; index < 6; index++) {
		await writeTree(source, {[`alice/file ${index}.txt`]: {content: 'x'.repeat(1000 * (index + 1) ** 2), mtime: day(index)}});
		// The clock of the run: each lasts some seconds more than the one before.
		let reads = 0;
		const now = () => new Date(day(index).getTime() + (reads++ === 0 ? 0 : (index + 1) * 7000));
		const signal = index === 4 ? AbortSignal.abort() : undefined;
		const port = index === 3 ? 1 : server.port;
		summaries.push(await runBackup({job: {...job, server: {...job.server, port}}, now, signal}));
	}

	expect(summaries.map(summary => summary.outcome)).toEqual(['success', 'success', 'success', 'failed', 'cancelled', 'success']);
});

afterAll(async () => {
	await server.close();
});

let made: Made;
let term: Terminal;

windowTests(() => ({t: term, made}));

async function open(folder: string, size = {columns: 80, rows: 24}, ascii = false) {
	made = await makeSession({host: '127.0.0.1', backupFolder: folder});
	term = await renderAt(<App session={made.session} onQuit={() => undefined} />, {...size, theme: makeTheme({ascii, color: false})});
	await term.see('Backup window');
	await term.pressAction('backup', 'history');
}

/** The rows of runs on screen, top to bottom. */
const rows = () => term.frame().split('\n').filter(line => /^\d{4}-\d\d-\d\d \d\d:\d\d /.test(line));

describe('the History screen', () => {
	it('lists the runs newest first with their outcome in words, and charts bytes and duration per run', async () => {
		await open(backup);
		const frame = await term.see('runs 1-6 of 6, newest first');
		const shown = rows();
		expect(shown).toHaveLength(6);
		const newestFirst = [...summaries].reverse();
		for (const [index, run] of newestFirst.entries()) {
			expect(shown[index]).toContain(when(new Date(run.started)));
			expect(shown[index]).toContain({success: '✔ Done', partial: '⚠ Done with errors', failed: '✖ Failed', cancelled: '■ Cancelled'}[run.outcome]);
			expect(shown[index]).toContain(bytes(run.bytes));
		}

		// The failed and the cancelled run left their files to the last run.
		expect(shown[0]).toMatch(/✔ Done +3 +3 +77 kB +0:42 +0$/);
		// Why it failed follows, as far as the width allows: at 80 columns, after the widest outcome word, none of it.
		expect(shown[2]).toMatch(/✖ Failed +0 +0 +0 B +0:28 +1$/);
		expect(frame).toMatch(/When +Outcome +Downloaded +Unchanged +Bytes +Time +Errors/);
		expect(frame).toContain('Bytes per run, last 4 weeks');
		expect(frame).toContain('Duration per run');
		// The chart's lines: labels from zero to the largest run, drawn with its box-drawing lines.
		expect(frame).toMatch(/77 kB [┼┤]/);
		expect(frame).toMatch(/0 B [┼┤][─╯╰╭╮]/);
		expect(frame).toMatch(/[┼┤].*[╭╮╯╰│─]/);
		expect(frame).toMatch(/0:42 [┼┤]/);
		await term.pressAction('history', 'close');
		await term.see('Backup window');
	});

	it('draws no character that is not ASCII in ASCII mode, the charts included', async () => {
		await open(backup, {columns: 80, rows: 24}, true);
		const frame = await term.see('runs 1-6 of 6');
		expect(frame).toContain('+ Done');
		expect(frame).toContain('x Failed');
		expect(frame).toContain('# Cancelled');
		expect(frame).toMatch(/77 kB [+|]/);
		expect(frame).toMatch(/0 B [+|][-'.]/);
		expect(frame).toMatch(/0:42 [+|]/);
		for (const frame of term.stdout.frames) expect(frame).toMatch(/^[\u0000-\u007F]*$/);
	});

	it('opens a history of 2,000 runs with a huge damaged head by reading only its newest 500 runs', async () => {
		const folder = await tempDir();
		await mkdir(join(folder, '.packrat'));
		await writeFile(historyPath(folder), `${'{"outcome":"success","started":'.repeat(200_000)}\n`);
		for (let index = 0; index < 2000; index++) {
			await appendHistory(folder, summaryOf({started: new Date(Date.UTC(2026, 0, 1) + index * 3_600_000).toISOString(), bytes: 1000 + index}));
		}

		await open(folder);
		const frame = await term.see('runs 1-11 of 500, newest first');
		expect(frame).toMatch(/older runs not read \((\d+(\.\d)?) kB of (\d+(\.\d)?) MB read\)/);
		const [, read, size] = /\((\d+(?:\.\d)?) kB of (\d+(?:\.\d)?) MB read\)/.exec(frame)!;
		expect(Number(read) / 1000).toBeLessThan(Number(size) / 20);
		expect(rows()[0]).toContain(when(new Date(Date.UTC(2026, 0, 1) + 1999 * 3_600_000)));
		expect(rows()[0]).toContain(bytes(2999));
		await term.pressAction('history', 'bottom');
		await term.see('runs 490-500 of 500');
		expect(rows().at(-1)).toContain(when(new Date(Date.UTC(2026, 0, 1) + 1500 * 3_600_000)));
		await term.pressAction('history', 'page-up');
		await term.see('runs 479-489 of 500');
		await term.pressAction('history', 'top');
		await term.see('runs 1-11 of 500');
	});

	it('reads the history again when a run ends', async () => {
		const folder = await tempDir();
		await mkdir(join(folder, '.packrat'));
		await appendHistory(folder, summaryOf({started: '2026-11-19T03:00:00.000Z'}));
		await open(folder);
		await term.see('runs 1-1 of 1');
		await term.pressAction('history', 'close');
		await term.pressAction('backup', 'now');
		await waitFor(() => made.engine.calls.length === 1, 'the run to start');
		await term.pressAction('backup', 'history');
		await term.see('runs 1-1 of 1');
		await appendHistory(folder, summaryOf({started: '2026-11-20T09:59:00.000Z', ended: '2026-11-20T10:00:00.000Z', outcome: 'failed', reason: 'the disk is full'}));
		await during(() => made.engine.finish({started: '2026-11-20T09:59:00.000Z', ended: '2026-11-20T10:00:00.000Z'}));
		await term.see('runs 1-2 of 2');
		expect(rows()[0]).toContain('✖ Failed');
	});

	it('fits 80×24 and 100×30, and lays itself out again after a resize', async () => {
		await open(backup, {columns: 100, rows: 30});
		await term.see('runs 1-6 of 6');
		const tall = term.frame().split('\n').filter(line => / [┤┼]/.test(line)).length;
		await during(() => term.stdout.resize(80, 24));
		await waitFor(() => term.frame().split('\n')[0]!.length === 80, 'the frame to be 80 wide');
		const short = term.frame().split('\n').filter(line => / [┤┼]/.test(line)).length;
		expect(short).toBeLessThan(tall);
		expect(rows()).toHaveLength(6);
		expect(term.frame().split('\n').length).toBeLessThanOrEqual(24);
		for (const frame of term.stdout.frames) for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
		expect(Math.max(...frameHeights(term.stdout))).toBeLessThanOrEqual(30);
		await during(() => term.stdout.resize(60, 16));
		await waitFor(() => term.frame().split('\n')[0]!.length === 60, 'the frame to be 60 wide');
		expect(term.frame().split('\n').length).toBeLessThanOrEqual(16);
	});
});
