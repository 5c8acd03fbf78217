/**
 * The mass-change guard in the window: the red SUSPICIOUS banner at 80×24 (with a word and a
 * symbol, in ASCII too), the key that accepts, its question, and the marker it clears; a run that
 * flags the server brings the banner; the key is refused while a run goes on.
 */
import {access, mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/app.js';
import {guardPath, holdPruning} from '../../source/backup/guard.js';
import {guardLines} from '../../source/components/guard-banner.js';
import {makeTheme} from '../../source/components/theme.js';
import {makeSession, windowTests, type Made} from './fixture.js';
import {during, frameHeights, renderAt, waitFor, type Terminal} from './terminal.js';

let made: Made;
let t: Terminal;

const suspicious = {total: 120, changed: 84, vanished: 0, changedPercent: 70, vanishedPercent: 0, limits: {changedPercent: 50, vanishedPercent: 50}};
const hold = {since: '2026-11-20T03:00:00.000Z', suspicious};
const exists = async (path: string) => access(path).then(() => true, () => false);

async function open(held: boolean, size = {columns: 80, rows: 24}, ascii = false) {
	made = await makeSession(undefined, {load: false});
	await mkdir(join(made.folder, '.packrat'));
	if (held) await holdPruning(made.folder, hold);
	await made.session.load();
	t = await renderAt(<App session={made.session} onQuit={() => undefined} />, {...size, theme: makeTheme({ascii, color: false})});
}

windowTests(() => ({t, made}));

describe('the mass-change guard in the window', () => {
	it('shows the banner at 80×24 with the figures and the key; g asks first, no keeps it, yes clears the marker', async () => {
		await open(true);
		const frame = await t.see('SUSPICIOUS');
		const lines = frame.split('\n');
		const at = lines.findIndex(line => line.includes('SUSPICIOUS'));
		expect(lines[at]).toBe('⚠ SUSPICIOUS, press g to accept: 70% of the files changed since the last run (84');
		expect(lines[at + 1]).toMatch(/^of 120\)\. Pruning off since 2026-11-20 \d\d:00\. *$/);
		expect(frame).toContain('g Accept change');
		expect(Math.max(...frameHeights(t.stdout))).toBeLessThanOrEqual(24);

		await t.pressAction('backup', 'accept-guard');
		await t.see('Accept the mass change?');
		expect(t.frame()).toMatch(/Pruning is off since 2026-11-20 \d\d:00: a run found on the server\n {2}70% of the files changed since the last run \(84 of 120\)\nAccept only if/);
		await t.pressAction('confirm', 'no');
		expect(await exists(guardPath(made.folder))).toBe(true);
		expect(t.frame()).toContain('SUSPICIOUS');

		await t.pressAction('backup', 'accept-guard');
		await t.see('Accept the mass change?');
		await t.pressAction('confirm', 'yes');
		await t.see('mass change accepted: snapshots are pruned again from the next run');
		expect(await exists(guardPath(made.folder))).toBe(false);
		expect(t.frame()).not.toContain('SUSPICIOUS');
		expect(t.frame()).not.toContain('Accept change');

		await t.pressAction('backup', 'accept-guard');
		await t.see('no mass change is held: pruning is on');
	});

	it('draws the banner in ASCII, and red with colour; without colour the word and the symbol stay', async () => {
		await open(true, {columns: 100, rows: 30}, true);
		expect(await t.see('! SUSPICIOUS, press g to accept: 70% of the files changed since the last run (84 of 120). Pruning')).toBeTruthy();
		const red = guardLines(hold, makeTheme({ascii: false, color: true}), 80);
		expect(red.flat()).toEqual([expect.objectContaining({tone: 'bad', inverse: true}), expect.objectContaining({tone: 'bad', inverse: true})]);
		expect(makeTheme({ascii: false, color: true}).tone('bad')).toBe('red');
		expect(guardLines(undefined, makeTheme({ascii: false, color: true}), 80)).toEqual([]);
	});

	it('brings the banner with a run that flags the server, and refuses g while a run goes on', async () => {
		await open(false);
		expect(t.frame()).not.toContain('SUSPICIOUS');
		await t.pressAction('backup', 'now');
		await waitFor(() => made.engine.calls.length === 1, 'the run to start');
		await t.pressAction('backup', 'accept-guard');
		await t.see('a backup is running: confirm once it has ended');
		await holdPruning(made.folder, hold);
		await during(() => made.engine.finish({suspicious, guard: hold, exportPath: join(made.folder, 'packrat-export.tsv')}));
		await t.see('SUSPICIOUS, press g to accept');
	});
});
