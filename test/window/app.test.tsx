/**
 * The window as a whole: first start, misconfigured jobs, the trust question of a paused run,
 * every phase at 80×24 and 100×30 without a frame taller than the terminal, resizes, escaped
 * names and ASCII mode.
 */
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/app.js';
import type {RunEvent} from '../../source/backup/events.js';
import {makeTheme} from '../../source/components/theme.js';
import {makeSession, windowTests, type Made} from './fixture.js';
import {during, frameHeights, renderAt, waitFor, type Terminal} from './terminal.js';

let made: Made;
let t: Terminal;

async function open(values?: Record<string, unknown>, size = {columns: 80, rows: 24}, ascii = false) {
	made = await makeSession(values);
	t = await renderAt(<App session={made.session} onQuit={() => undefined} />, {...size, theme: makeTheme({ascii, color: false})});
}

async function runThrough(events: RunEvent[]) {
	await t.pressAction('backup', 'now');
	await waitFor(() => made.engine.calls.length === 1, 'the run to start');
	for (const event of events) await during(() => made.engine.emit(event));
}

const at = Date.now();
const phases: RunEvent[] = [
	{type: 'phase', phase: 'connecting', at},
	{type: 'connected', connections: 4, tls: true, listing: 'MLSD'},
	{type: 'phase', phase: 'initializing', at},
	{type: 'scan', folders: 12, files: 340, bytes: 12_000_000},
	{type: 'estimate-failed', reason: '1 folder(s) could not be listed (first: /x: 550 denied); the estimate is incomplete'},
	{type: 'phase', phase: 'backing-up', at},
	{type: 'plan', files: 340, bytes: 12_000_000, toDownload: 100, bytesToDownload: 10_000_000, unchanged: 240, skipped: 0},
	...[0, 1, 2, 3].map((slot): RunEvent => ({type: 'file-start', slot, path: `/alice/Project ${slot}/a very long folder name indeed/Report v${slot}.pdf`, size: 1_000_000, offset: 0})),
	{type: 'file-progress', slot: 0, path: '/alice/Project 0/a very long folder name indeed/Report v0.pdf', bytes: 450_000, size: 1_000_000},
	{type: 'error', time: new Date(at).toISOString(), path: '/bob/locked.doc', message: '550 Permission denied'},
	{type: 'retry', path: '/bob/big.zip', attempt: 2, delayMs: 2000, reason: 'ECONNRESET'},
];

windowTests(() => ({t, made}));

describe('the Backup window', () => {
	it('opens the connection settings on a first start with no settings', async () => {
		await open({});
		expect(await t.see('Connection settings')).toContain('nothing is set yet');
		await t.pressAction('settings', 'close');
		expect(await t.see('MISCONFIGURED')).toContain('no server is set');
		expect(t.frame()).toContain('press o to fix');
	});

	it('does not run a job without a server, and says which key fixes it', async () => {
		await open({});
		await t.pressAction('settings', 'close');
		await t.pressAction('backup', 'now');
		await t.see('not run');
		expect(t.frame()).toContain('press o to fix');
		expect(made.engine.calls).toHaveLength(0);
	});

	it('does not run a job whose backup folder cannot be written, and names f', async () => {
		const file = join(await import('../helpers/fixture.js').then(async module => module.tempDir()), 'a-file');
		await writeFile(file, 'not a folder');
		await open({host: '127.0.0.1', backupFolder: file});
		expect(await t.see('MISCONFIGURED')).toContain('cannot be written (it is not a folder)');
		expect(t.frame()).toContain('press f to fix');
		await t.pressAction('backup', 'now');
		await t.see('not run');
		expect(made.engine.calls).toHaveLength(0);
	});

	it('marks the job misconfigured when the root path is missing on the server, until the connection settings change', async () => {
		await open();
		await runThrough([{type: 'phase', phase: 'connecting', at}]);
		await during(() => made.engine.finish({outcome: 'failed', failure: 'config', setting: 'server.root', reason: 'the root path /nope cannot be listed on the server (550 No such directory): check server.root'}));
		const frame = await t.see('MISCONFIGURED');
		expect(frame).toContain('the root path /nope cannot be listed on the server');
		expect(frame).toContain('press o to fix');
		await t.pressAction('backup', 'now');
		await t.see('not run');
		expect(made.engine.calls).toHaveLength(1);
	});

	it('pauses a run on an untrusted certificate until the question is answered, and saves a trusted fingerprint', async () => {
		await open();
		await runThrough([{type: 'phase', phase: 'connecting', at}]);
		const fingerprint = Array.from({length: 32}, (_, index) => index.toString(16).padStart(2, '0').toUpperCase()).join(':');
		let answer: boolean | undefined;
		await during(() => void made.engine.calls[0]!.decideTrust!({host: '127.0.0.1', port: 990, fingerprint, subject: 'localhost', issuer: 'localhost', reason: 'self-signed certificate'}).then(value => (answer = value)));
		const frame = await t.see('Trust this certificate?');
		expect(frame).toContain('self-signed certificate');
		expect(frame).toContain(fingerprint.slice(0, 47));
		expect(answer).toBeUndefined();
		await t.settle(60_000);
		expect(t.frame()).toContain('Trust this certificate?');
		await t.pressAction('trust', 'yes');
		await waitFor(() => answer !== undefined, 'the answer');
		expect(answer).toBe(true);
		expect(made.store.get('server.fingerprint')).toBe(fingerprint);
		await t.see('Connecting');
	});

	it('refuses the certificate with n: the run is told no', async () => {
		await open();
		await runThrough([{type: 'phase', phase: 'connecting', at}]);
		let answer: boolean | undefined;
		await during(() => void made.engine.calls[0]!.decideTrust!({host: 'h', port: 21, fingerprint: 'AA:BB', subject: '', issuer: '', reason: 'unknown issuer'}).then(value => (answer = value)));
		await t.see('Trust this certificate?');
		await t.pressAction('trust', 'no');
		await waitFor(() => answer !== undefined, 'the answer');
		expect(answer).toBe(false);
		expect(made.store.get('server.fingerprint')).toBeUndefined();
	});

	for (const size of [{columns: 80, rows: 24}, {columns: 100, rows: 30}]) {
		it(`shows every phase at ${size.columns}×${size.rows} without a frame taller or wider than the terminal`, async () => {
			await open(undefined, size);
			await runThrough(phases.slice(0, 4));
			expect(await t.see('Initializing')).toContain('12 folders scanned');
			await runThroughMore(phases.slice(4));
			let frame = await t.see('Backing up');
			expect(frame).toContain('The estimate is incomplete');
			expect(frame).toMatch(/Files 0 of 100 · 450 kB of 10 MB/);
			expect(frame).toMatch(/\[█+░+\] 4%/);
			expect(frame).toContain('#1 › ');
			expect(frame).toContain('Report v0.pdf  45% of 1 MB');
			expect(frame).toContain('550 Permission denied');
			expect(frame).toContain('Errors (1)');
			await during(() => made.engine.emit({type: 'phase', phase: 'finishing', at}));
			await t.see('Finishing');
			await during(() => made.engine.finish({counts: {downloaded: 99, unchanged: 240, failed: 1, skipped: 0}, outcome: 'failed', reason: '1 file(s) failed; see packrat-errors.log', errors: 1}));
			frame = await t.see('Failed');
			expect(frame).toContain('99 downloaded · 240 unchanged · 1 failed · 0 skipped');
			for (const frame of t.stdout.frames) for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(size.columns);
			expect(Math.max(...frameHeights(t.stdout))).toBeLessThanOrEqual(size.rows);
		});
	}

	it('turns the spinner of a quiet run by itself, and stops it when the run ends', async () => {
		await open(undefined, {columns: 100, rows: 30});
		await runThrough([phases[0]!]);
		const spinner = () => t.frame().split('\n').find(line => line.includes('Connecting'))?.[0];
		const seen = new Set<string | undefined>();
		for (let step = 0; step < 8; step++) {
			seen.add(spinner());
			await during(() => undefined, 200);
		}

		expect(seen.size).toBeGreaterThan(1);
		await during(() => made.engine.finish());
		await waitFor(() => !made.session.running, 'the run to end');
		await during(() => undefined, 500);
		const frames = t.stdout.frames.length;
		await during(() => undefined, 2000);
		expect(t.stdout.frames.length).toBe(frames);
	});

	it('never draws a frame taller or wider than a small terminal', async () => {
		await open(undefined, {columns: 40, rows: 10});
		await runThrough(phases);
		await during(() => made.engine.finish());
		await t.pressAction('backup', 'help');
		for (const frame of t.stdout.frames) {
			expect(frame.split('\n').length).toBeLessThanOrEqual(10);
			for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(40);
		}
	});

	it('lays itself out again when the terminal is resized', async () => {
		await open(undefined, {columns: 100, rows: 30});
		await t.see('Ready');
		expect(t.frame().split('\n')[0]!.length).toBe(100);
		await during(() => t.stdout.resize(80, 24));
		await waitFor(() => t.frame().split('\n')[0]!.length === 80, 'the frame to be 80 wide');
		expect(t.frame().split('\n').length).toBeLessThanOrEqual(24);
		await during(() => t.stdout.resize(120, 40));
		await waitFor(() => t.frame().split('\n')[0]!.length === 120, 'the frame to be 120 wide');
	});

	it('escapes control characters in remote names', async () => {
		await open();
		await runThrough([...phases.slice(0, 7), {type: 'file-start', slot: 0, path: '/evil\u001B[2J\u0007name.txt', size: 10, offset: 0}]);
		const frame = await t.see('evil');
		expect(frame).toContain('/evil\\x1b[2J\\x07name.txt');
		expect(frame).not.toContain('\u001B');
	});

	it('draws ASCII only in ASCII mode, names included', async () => {
		await open(undefined, {columns: 80, rows: 24}, true);
		await runThrough([...phases.slice(0, 7), {type: 'file-start', slot: 0, path: '/chloé/日本語/メモ v2.txt', size: 10, offset: 0}]);
		const frame = await t.see('Backing up');
		expect(frame).toContain('chlo\\u00e9');
		for (const frame of t.stdout.frames) expect(frame).toMatch(/^[\u0000-\u007F]*$/);
	});
});

async function runThroughMore(events: RunEvent[]) {
	for (const event of events) await during(() => made.engine.emit(event));
}
