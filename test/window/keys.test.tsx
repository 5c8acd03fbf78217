/**
 * Every key of the Backup window, pressed by its binding in the key map, at 80×24.
 */
import React from 'react';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/app.js';
import {bindingsOf, type Action} from '../../source/keymap.js';
import type {VerifySummary} from '../../source/verify/report.js';
import type {VerifyOptions} from '../../source/verify/verify.js';
import {makeSession, windowTests, type Made} from './fixture.js';
import {during, frameHeights, renderAt, waitFor, type Terminal} from './terminal.js';

const tested = new Set<Action>();
let made: Made;
let t: Terminal;
let codes: number[];

async function open(values?: Record<string, unknown>, options?: Parameters<typeof makeSession>[1]) {
	made = await makeSession(values, options);
	codes = [];
	t = await renderAt(<App session={made.session} onQuit={code => codes.push(code)} />, {columns: 80, rows: 24});
}

async function startRun() {
	await t.pressAction('backup', 'now');
	await t.see('Connecting');
	await during(() => made.engine.emit({type: 'phase', phase: 'connecting', at: Date.now()}));
}

windowTests(() => ({t, made}), () => {
	expect(Math.max(...frameHeights(t.stdout))).toBeLessThanOrEqual(24);
});

describe('the keys of the Backup window', () => {
	it('n runs a backup now', async () => {
		tested.add('now');
		await open();
		await startRun();
		expect(made.engine.calls).toHaveLength(1);
		expect(made.engine.calls[0]!.job.backupFolder).toBe(made.folder);
		await during(() => made.engine.finish());
		expect(await t.see('Done')).toContain('40 downloaded');
	});

	it('s starts and stops the schedule, saves armed, and the countdown ticks every second', async () => {
		tested.add('schedule');
		await open();
		await t.pressAction('backup', 'schedule');
		expect(made.store.get('armed')).toBe(true);
		let frame = await t.see('ARMED');
		expect(frame).toContain('next in 17:00:00');
		await t.settle(1000);
		expect(t.frame()).toContain('next in 16:59:59');
		await t.settle(2000);
		expect(t.frame()).toContain('next in 16:59:57');
		await t.pressAction('backup', 'schedule');
		expect(made.store.get('armed')).toBe(false);
		frame = await t.see('STOPPED');
		expect(frame).toContain('s starts the schedule');
	});

	it('c asks before it cancels, and the run ends Cancelled', async () => {
		tested.add('cancel');
		await open();
		await t.pressAction('backup', 'cancel');
		await t.see('no backup is running');
		await startRun();
		await t.pressAction('backup', 'cancel');
		await t.see('Cancel the backup?');
		await t.pressAction('confirm', 'no');
		expect(made.engine.calls[0]!.signal?.aborted).toBe(false);
		await t.pressAction('backup', 'cancel');
		await t.pressAction('confirm', 'yes');
		expect(made.engine.calls[0]!.signal?.aborted).toBe(true);
		expect(await t.see('Cancelled')).toContain('cancelled by the user');
	});

	it('c says that cancelling is disabled when the administrator forbids it', async () => {
		await open(undefined, {allowCancel: false});
		await startRun();
		await t.pressAction('backup', 'cancel');
		await t.see('cancelling is disabled by the administrator');
		expect(made.engine.calls[0]!.signal?.aborted).toBe(false);
	});

	it('f opens the folder chooser and Esc closes it', async () => {
		tested.add('folder');
		await open();
		await t.pressAction('backup', 'folder');
		await t.see('Choose the backup folder');
		await t.pressAction('folder', 'close');
		await t.see('Backup window');
	});

	it('t edits Start at, checked as typed, and saves it', async () => {
		tested.add('start-at');
		await open();
		await t.pressAction('backup', 'start-at');
		await t.see('HH:MM');
		await t.type('25');
		await t.see('hours run from 00 to 23');
		await t.press('backspace');
		await t.press('backspace');
		await t.type('0415');
		await t.see('a valid time');
		await t.pressAction('start-at', 'submit');
		await t.see('Start at  04:15');
		expect(made.store.get('startAt')).toBe('04:15');
	});

	it('m switches Incremental and Full, and saves it', async () => {
		tested.add('mode');
		await open();
		await t.pressAction('backup', 'mode');
		await t.see('Mode      Full');
		expect(made.store.get('mode')).toBe('full');
		await t.pressAction('backup', 'mode');
		await t.see('Mode      Incremental');
		expect(made.store.get('mode')).toBe('incremental');
	});

	it('l turns Latest only on and off, and saves it', async () => {
		tested.add('latest');
		await open();
		await t.pressAction('backup', 'latest');
		await t.see('Latest only: on');
		expect(made.store.get('latestOnly')).toBe(true);
		await t.pressAction('backup', 'latest');
		await t.see('Latest only: off');
		expect(made.store.get('latestOnly')).toBe(false);
	});

	it('o opens the connection settings', async () => {
		tested.add('settings');
		await open();
		await t.pressAction('backup', 'settings');
		expect(await t.see('Connection settings')).toContain('Test connection');
		await t.pressAction('settings', 'close');
		await t.see('Backup window');
	});

	it('e opens the transfer log', async () => {
		tested.add('log');
		await open();
		await t.pressAction('backup', 'log');
		await t.see('No transfer log yet');
		await t.pressAction('log', 'close');
		await t.see('Backup window');
	});

	it('v opens the Versions screen and h the History screen; Esc goes back', async () => {
		tested.add('versions');
		tested.add('history');
		await open();
		await t.pressAction('backup', 'versions');
		await t.see('Restore the whole backup as of a time');
		await t.pressAction('versions', 'close');
		await t.see('Backup window');
		await t.pressAction('backup', 'history');
		await t.see('No runs recorded yet in this backup folder');
		await t.pressAction('history', 'close');
		await t.see('Backup window');
	});

	it('y verifies the backup on a screen of its own (once a backup ran); Esc closes it and cancels a verify still going', async () => {
		tested.add('verify');
		const calls: VerifyOptions[] = [];
		await open(undefined, {verify: async options => {
			calls.push(options);
			options.onEvent?.({type: 'phase', phase: 'comparing'});
			return new Promise<VerifySummary>(resolve => options.signal?.addEventListener('abort', () => {
				const summary: VerifySummary = {outcome: 'cancelled', reason: 'cancelled by the user', target: made.folder, counts: {checked: 0, ok: 0, missing: 0, different: 0, extra: 0, skipped: 0, failed: 0}, samplePercent: 0, sampled: 0, sampledBytes: 0, started: '', ended: '', durationMs: 0};
				options.onEvent?.({type: 'done', summary});
				resolve(summary);
			}));
		}});
		await t.pressAction('backup', 'verify');
		await t.see('no backup has run into this folder yet');
		expect(calls).toHaveLength(0);
		await startRun();
		await during(() => made.engine.finish());
		await t.pressAction('backup', 'verify');
		expect(await t.see('Comparing with the backup')).toContain('c Cancel');
		expect(calls.map(call => call.job.backupFolder)).toEqual([made.folder]);
		await t.pressAction('verify', 'close');
		await t.see('Backup window');
		expect(calls[0]!.signal?.aborted).toBe(true);
		await waitFor(() => made.session.disabledReason('now') === undefined, 'the verify to end');
	});

	it('? shows every key of the map with its help, and ? or Esc closes it', async () => {
		tested.add('help');
		tested.add('close');
		await open();
		await t.pressAction('backup', 'help');
		const frame = await t.see('Keys of the Backup window');
		for (const binding of bindingsOf('backup')) expect(frame).toContain(binding.help.slice(0, 40));
		await t.pressAction('help', 'help');
		await t.see('Ready');
		await t.pressAction('backup', 'help');
		await t.pressAction('help', 'close');
		await t.see('Ready');
	});

	it('q quits at once when idle', async () => {
		tested.add('quit');
		await open();
		await t.pressAction('backup', 'quit');
		expect(codes).toEqual([0]);
	});

	it('q asks first while a backup runs', async () => {
		await open();
		await startRun();
		await t.pressAction('backup', 'quit');
		await t.see('Quit while a backup is running?');
		await t.pressAction('confirm', 'no');
		expect(codes).toEqual([]);
		await t.pressAction('backup', 'quit');
		await t.pressAction('confirm', 'yes');
		expect(codes).toEqual([0]);
	});

	it('Ctrl+C quits from any screen, asking while a run goes on; a second Ctrl+C confirms', async () => {
		tested.add('interrupt');
		await open();
		await t.pressAction('backup', 'log');
		await startRunFromLog();
		await t.pressAction('log', 'interrupt');
		await t.see('Quit while a backup is running?');
		await t.pressAction('confirm', 'interrupt');
		expect(codes).toEqual([130]);
	});

	it('g accepts a mass change the guard holds, after asking (test/window/guard.test.tsx has the rest); refused when none is held', async () => {
		tested.add('accept-guard');
		await open();
		await t.pressAction('backup', 'accept-guard');
		await t.see('no mass change is held: pruning is on');
		expect(t.frame()).not.toContain('Accept the mass change?');
	});

	it('has a test for every action of the Backup window', () => {
		made = {session: {shutdown: async () => undefined}} as unknown as Made;
		t = {unmount: () => undefined, stdout: {frames: []}} as unknown as Terminal;
		expect([...new Set(bindingsOf('backup').map(binding => binding.action))].filter(action => !tested.has(action))).toEqual([]);
	});
});

async function startRunFromLog() {
	await during(() => void made.session.start());
	await waitFor(() => made.engine.calls.length === 1, 'the run to start');
	await t.see('Transfer log');
	await during(() => made.engine.emit({type: 'phase', phase: 'connecting', at: Date.now()}));
	expect(made.session.running).toBe(true);
}
