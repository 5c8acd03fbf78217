/**
 * The window tells the outcomes apart and watches the age of the backup: a run Done with errors
 * has its own symbol and words, the count and the key that lists the files, and counts as the last
 * successful backup ("1 file could not be fetched"); that line shows its age always, and turns
 * red with the word stale beyond two cycles of the schedule (on a fake clock).
 */
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import React from 'react';
import {describe, expect, it, vi} from 'vitest';
import {App} from '../../source/app.js';
import type {Summary} from '../../source/backup/events.js';
import {makeTheme} from '../../source/components/theme.js';
import {whenLines} from '../../source/components/when-lines.js';
import {bindingFor} from '../../source/keymap.js';
import {makeSession, summaryOf, windowTests, type Made} from './fixture.js';
import {during, frameHeights, renderAt, waitFor, type Terminal} from './terminal.js';

let made: Made;
let t: Terminal;

windowTests(() => ({t, made}));

async function open(values: Record<string, unknown> = {host: '127.0.0.1'}, size = {columns: 80, rows: 24}, ascii = false, history: Summary[] = []) {
	made = await makeSession(values, {load: false});
	if (history.length > 0) {
		await mkdir(join(made.folder, '.packrat'), {recursive: true});
		await writeFile(join(made.folder, '.packrat', 'history.jsonl'), history.map(run => `${JSON.stringify(run)}\n`).join(''));
	}

	await made.session.load();
	t = await renderAt(<App session={made.session} onQuit={() => undefined} />, {...size, theme: makeTheme({ascii, color: false})});
}

const logKey = bindingFor('backup', 'log').keys[0]!;
const partial = {outcome: 'partial' as const, counts: {downloaded: 41, unchanged: 2, failed: 1, skipped: 0}, errors: 1, reason: '1 file could not be fetched; see /backup/packrat-errors.log'};

describe('outcomes in the window', () => {
	for (const [size, ascii] of [[{columns: 80, rows: 24}, false], [{columns: 100, rows: 30}, false], [{columns: 80, rows: 24}, true]] as const) {
		it(`shows a run Done with errors with its symbol, its words, the count and the key that lists the files (${size.columns}×${size.rows}${ascii ? ', ASCII' : ''})`, async () => {
			await open(undefined, size, ascii);
			await t.pressAction('backup', 'now');
			await waitFor(() => made.engine.calls.length === 1, 'the run to start');
			await during(() => made.engine.emit({type: 'phase', phase: 'connecting', at: Date.now()}));
			await during(() => made.engine.emit({type: 'error', time: new Date().toISOString(), path: '/alice/lost.bin', message: '550 Cannot open that file.'}));
			await during(() => made.engine.finish({...partial, ended: new Date().toISOString()}));
			const mark = ascii ? '!' : '⚠';
			const dot = ascii ? '|' : '·';
			const frame = await t.see(`${mark} Done with errors`);
			expect(frame).toContain(`1 file could not be fetched ${dot} press ${logKey} to see them`);
			expect(frame).toContain(`41 downloaded ${dot} 2 unchanged ${dot} 1 failed`);
			expect(frame).toContain(`${mark} The last run was Done with errors`);
			expect(frame).toContain('/alice/lost.bin');
			// The whole phrase where it fits, else its short form.
			expect(frame).toContain(`Last successful backup  2026-11-20 10:00 (just now) ${dot} ${size.columns > 80 ? '1 file could not be fetched' : '1 file missing'}`);
			expect(frame).not.toContain('Failed');
			for (const drawn of t.stdout.frames) for (const line of drawn.split('\n')) expect([...line].length).toBeLessThanOrEqual(size.columns);
			expect(Math.max(...frameHeights(t.stdout))).toBeLessThanOrEqual(size.rows);
		});
	}

	it('keeps "last successful backup" at a run Done with errors after a restart, from the history', async () => {
		await open(undefined, {columns: 100, rows: 30}, false, [summaryOf({...partial, counts: {...partial.counts, failed: 2}, ended: '2026-11-20T03:00:12.000Z'})]);
		const frame = await t.see('Last successful backup');
		expect(frame).toMatch(/Last successful backup {2}2026-11-20 03:00 \(6 h ago\) · 2 files could not be fetched/);
		expect(frame).toContain('Last run: ⚠ Done with errors');
	});

	it('shows the age always, and turns it red with the word stale after two cycles of the schedule, as the clock moves on', async () => {
		await open({host: '127.0.0.1', repeat: 'every 6h'}, undefined, false, [summaryOf({ended: '2026-11-20T03:00:12.000Z'})]);
		let frame = await t.see('Last successful backup');
		expect(frame).toMatch(/Last successful backup {2}2026-11-20 03:00 \(6 h ago\) · 40 downloaded, 3\.4 MB/);
		expect(frame).not.toContain('stale');
		// Nothing counts down (the schedule is stopped): the age follows the clock all the same.
		await during(() => vi.setSystemTime(new Date('2026-11-20T15:30:00')), 61_000);
		frame = await t.see('stale');
		expect(frame).toMatch(/Last successful backup {2}2026-11-20 03:00 \(12 h ago\) ✖ stale · 40 downloaded/);
	});

	it('draws the stale age in red (the tone bad), the word beside it, and a fresh one in no colour', () => {
		const schedule = {armed: false, startAt: '03:00', repeat: 'daily'};
		const lastSuccess = summaryOf({ended: '2026-11-20T03:00:12.000Z'});
		const [stale] = whenLines({lastSuccess, schedule}, makeTheme({ascii: false, color: true}), Date.parse('2026-11-22T04:00:00Z'));
		expect(stale!.filter(piece => typeof piece === 'object' && piece?.tone === 'bad').map(piece => typeof piece === 'object' && piece?.text)).toEqual(['2026-11-20 03:00', ' (2 days ago)', ' ✖ stale']);
		const [fresh] = whenLines({lastSuccess, schedule}, makeTheme({ascii: false, color: true}), Date.parse('2026-11-21T04:00:00Z'));
		expect(fresh!.some(piece => typeof piece === 'object' && piece?.tone === 'bad')).toBe(false);
	});

	it('says stale in ASCII too, and keeps a run Done with errors on the line at 80 columns', async () => {
		await open({host: '127.0.0.1', repeat: 'daily'}, undefined, true, [summaryOf({...partial, counts: {...partial.counts, failed: 12}, ended: '2026-11-17T03:00:12.000Z'})]);
		const frame = await t.see('stale');
		expect(frame).toMatch(/Last successful backup {2}2026-11-17 03:00 \(3 days ago\) x stale \| 12 files missing/);
	});
});
