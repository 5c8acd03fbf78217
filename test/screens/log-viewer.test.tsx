/**
 * The log viewer: only the tail of a large log is read, and it scrolls by line and page, to the
 * top and the end, and filters errors.
 */
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import React from 'react';
import {beforeAll, describe, expect, it} from 'vitest';
import {LogViewer} from '../../source/screens/log-viewer.js';
import {maxLines, readLogTail, tailBytes} from '../../source/files/log-tail.js';
import {tempDir} from '../helpers/fixture.js';
import {frameHeights, renderAt} from '../window/terminal.js';

let folder: string;
const total = 60_000;
const file = (index: number) => `/file-${String(index).padStart(6, '0')}.txt`;

beforeAll(async () => {
	folder = await tempDir('packrat-log-');
	const lines: string[] = [];
	for (let index = 1; index <= total; index++) {
		const level = index % 1000 === 0 ? 'ERROR' : 'INFO';
		lines.push(`2026-11-20T03:${String(Math.floor(index / 1000) % 60).padStart(2, '0')}:00.000Z\t${level}\tdownload\t/file-${String(index).padStart(6, '0')}.txt\t${index}\t5\t${level === 'ERROR' ? '550 denied' : ''}`);
	}

	await writeFile(join(folder, 'packrat-transfer.log'), `${lines.join('\n')}\n`);
});

describe('the log viewer', () => {
	it('reads only the tail of a large file, into a bounded list', async () => {
		const tail = await readLogTail(join(folder, 'packrat-transfer.log'));
		expect(tail.size).toBeGreaterThan(3 * 1024 * 1024);
		expect(tail.truncated).toBe(true);
		expect(tail.lines.length).toBeLessThanOrEqual(maxLines);
		expect(tail.lines.at(-1)!.path).toBe(file(total));
		expect(tail.lines.reduce((sum, line) => sum + line.path.length + 60, 0)).toBeLessThan(tailBytes * 2);
	});

	it('opens at the newest line and scrolls by page, to the top and to the end', async () => {
		const t = await renderAt(<LogViewer folder={folder} width={100} height={29} onClose={() => undefined} />, {columns: 100, rows: 30});
		let frame = await t.see(file(total));
		expect(frame).toMatch(/the last 262\.1 kB of [\d.]+ MB/);
		const page = 25;
		await t.pressAction('log', 'page-up');
		frame = await t.see(file(total - page));
		expect(frame).not.toContain(file(total));
		await t.pressAction('log', 'page-down');
		await t.see(file(total));
		await t.pressAction('log', 'top');
		frame = await t.see('lines 1-25 of');
		expect(frame).not.toContain('/file-000001.txt');
		await t.pressAction('log', 'down');
		await t.see('lines 2-26 of');
		await t.pressAction('log', 'up');
		await t.see('lines 1-25 of');
		await t.pressAction('log', 'bottom');
		await t.see(file(total));
		await t.pressAction('log', 'scroll-right');
		frame = await t.see('from column 21');
		expect(frame).not.toContain('11-20 0');
		await t.pressAction('log', 'scroll-left');
		await t.see('11-20 0');
		expect(Math.max(...frameHeights(t.stdout))).toBeLessThanOrEqual(30);
		t.unmount();
	});

	it('filters to errors only, and back', async () => {
		const t = await renderAt(<LogViewer folder={folder} width={80} height={23} onClose={() => undefined} />, {columns: 80, rows: 24});
		await t.see(file(total));
		await t.pressAction('log', 'filter');
		const frame = await t.see('errors only');
		const shown = frame.split('\n').filter(line => line.includes('/file-'));
		expect(shown.length).toBeGreaterThan(0);
		for (const line of shown) expect(line).toContain('ERROR');
		await t.pressAction('log', 'filter');
		await t.see('INFO');
		t.unmount();
	});

	it('says when there is no log yet, and closes with Esc', async () => {
		let closed = 0;
		const t = await renderAt(<LogViewer folder={await tempDir()} width={80} height={23} onClose={() => closed++} />, {columns: 80, rows: 24});
		await t.see('No transfer log yet');
		await t.pressAction('log', 'close');
		expect(closed).toBe(1);
		t.unmount();
	});
});
