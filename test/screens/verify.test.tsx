/**
 * The Verify screen (`y`) in the whole window, against the in-process server and a backup made by
 * a real run: its progress and its result (Good; Differs with the counts once a file changed on
 * the server), cancelled with `c`, refused while a backup runs (the footer and the help say why),
 * and a backup refused while it runs. Real timers: the verify talks to a real server.
 */
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import React, {act} from 'react';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {App} from '../../source/app.js';
import {runBackup} from '../../source/backup/run.js';
import type {VerifyOptions} from '../../source/verify/verify.js';
import type {VerifySummary} from '../../source/verify/report.js';
import {makeJob, tempDir} from '../helpers/fixture.js';
import {makeSession, type Made} from '../window/fixture.js';
import {during, frameHeights, renderAt, waitFor, type Terminal} from '../window/terminal.js';

const mtime = new Date('2026-11-01T10:00:00Z');
const files = {
	'alice/Site/Plan v2.dh': {content: 'plan two', mtime},
	'alice/notes.txt': {content: 'notes', mtime},
	'bob/photo.jpg': {content: Buffer.alloc(50_000, 3), mtime},
	'top.txt': {content: 'at the root', mtime},
};

let server: FtpTestServer;
let source: string;
let made: Made | undefined;
let t: Terminal | undefined;

beforeAll(async () => {
	source = await tempDir('packrat-verify-window-');
	await writeTree(source, files);
	server = await startFtpServer({root: source, mlsd: true, hash: 'HASH'});
});

afterAll(async () => {
	await server.close();
});

afterEach(async () => {
	t?.unmount();
	t = undefined;
	await made?.session.shutdown();
	made = undefined;
});

/** A backup of the server made by a real run, and the window over it. */
async function windowOverBackup(size = {columns: 80, rows: 24}) {
	const backup = await tempDir('packrat-verify-window-backup-');
	expect((await runBackup({job: makeJob(server, backup)})).outcome).toBe('success');
	made = await makeSession({host: '127.0.0.1', 'server.port': server.port, 'server.tls': 'none', 'server.password': 'x', backupFolder: backup, connections: 3});
	t = await renderAt(<App session={made.session} onQuit={() => undefined} />, size);
	return backup;
}

describe('the Verify screen', () => {
	for (const [columns, rows] of [[80, 24], [100, 30]] as const) {
		it(`y compares the backup with the server: its progress, then Good with the counts and the report, at ${columns}×${rows}`, async () => {
			const backup = await windowOverBackup({columns, rows});
			expect(t!.frame()).toContain('y Verify');
			await t!.pressAction('backup', 'verify');
			await t!.see('── Verify');
			const frame = await t!.see('✔ Good', 10_000);
			// On its way: the phase with the spinner, then the files compared of the total with a bar.
			const going = t!.stdout.frames.filter(shown => shown.includes('c Cancel'));
			expect(going.some(shown => /[◰◳◲◱] (Connecting|Scanning the server|Comparing with the backup)…/.test(shown))).toBe(true);
			expect(going.some(shown => /Files compared [1-4] of 4 · 4 on the server\n\[█+░*\] +\d+%/.test(shown))).toBe(true);
			expect(frame).toContain('Server  3 connections, MLSD · hash SHA-256 (HASH)');
			expect(frame).toContain('✔ Good · 4 checked · 4 ok · 0 missing · 0 different · 0 extra');
			expect(frame).toContain('hash SHA-256 (HASH)');
			expect(frame).toContain(`Report  ${join(backup, 'packrat-verify.tsv')}`.slice(0, columns - 1));
			expect(frame).toContain('y Again');
			expect(Math.max(...frameHeights(t!.stdout))).toBeLessThanOrEqual(rows);
			await t!.pressAction('verify', 'close');
			await t!.see('y Verify');
		});
	}

	it('says Differs with the counts when a file on the server changed size, and names it', async () => {
		await windowOverBackup();
		await writeFile(join(source, 'alice/notes.txt'), 'notes, longer now');
		try {
			await t!.pressAction('backup', 'verify');
			const frame = await t!.see('✖ Differs', 10_000);
			expect(frame).toContain('✖ Differs · 4 checked · 3 ok · 0 missing · 1 different · 0 extra');
			expect(frame).toMatch(/different {4}alice\/notes\.txt · size: 5 in the backup, 17 on the server/);
		} finally {
			await writeTree(source, {'alice/notes.txt': files['alice/notes.txt']});
		}
	});

	it('c cancels the verify going on; Esc closes the screen', async () => {
		await windowOverBackup();
		await t!.pressAction('backup', 'verify');
		await t!.see('c Cancel');
		await t!.pressAction('verify', 'verify-cancel');
		const frame = await t!.see(/■ Cancelled|✔ Good/, 10_000);
		// The verify of four files may end before the key arrives: either way it ends and says so.
		if (frame.includes('Cancelled')) expect(frame).toContain('no new report was written');
		await t!.pressAction('verify', 'close');
		await t!.see('y Verify');
	});
});

const summaryOf = (target: string): VerifySummary => ({
	outcome: 'good', target, counts: {checked: 4, ok: 4, missing: 0, different: 0, extra: 0, skipped: 0, failed: 0}, samplePercent: 0, sampled: 0, sampledBytes: 0, started: '', ended: '', durationMs: 10,
});

describe('a verify and a backup', () => {
	it('y is refused while a backup runs: the footer greys it and the help says why', async () => {
		await windowOverBackup();
		await t!.pressAction('backup', 'now');
		await waitFor(() => made!.engine.calls.length === 1, 'the run to start');
		expect(made!.session.disabledReason('verify')).toBe('a backup is running');
		await t!.pressAction('backup', 'verify');
		const refused = await t!.see('a backup is running');
		expect(refused).not.toContain('── Verify');
		await t!.pressAction('backup', 'help');
		expect(await t!.see('(not now: a backup is running)')).toMatch(/y +Compare the backup with the server \(not now: a backup is running\)/);
		await during(() => made!.engine.finish());
	});

	it('y is refused before any backup ran into the folder', async () => {
		made = await makeSession({host: '127.0.0.1', 'server.port': server.port, 'server.tls': 'none'});
		expect(made.session.disabledReason('verify')).toBe('no backup has run into this folder yet');
	});

	it('a backup cannot start while a verify runs: n and the control socket say why, a scheduled one waits for the end', async () => {
		let end!: (summary: VerifySummary) => void;
		const verify = async (options: VerifyOptions) => {
			options.onEvent?.({type: 'phase', phase: 'comparing'});
			options.onEvent?.({type: 'progress', done: 1, total: 4});
			return new Promise<VerifySummary>(resolve => {
				end = summary => {
					options.onEvent?.({type: 'done', summary});
					resolve(summary);
				};
				options.signal?.addEventListener('abort', () => end({...summaryOf(backup), outcome: 'cancelled'}));
			});
		};
		const backup = await tempDir('packrat-verify-window-backup-');
		expect((await runBackup({job: makeJob(server, backup)})).outcome).toBe('success');
		made = await makeSession({host: '127.0.0.1', 'server.port': server.port, 'server.tls': 'none', backupFolder: backup}, {verify});
		t = await renderAt(<App session={made.session} onQuit={() => undefined} />, {columns: 80, rows: 24});
		await t.pressAction('backup', 'verify');
		expect(await t.see('Files compared 1 of 4')).toContain('c Cancel');
		expect(made.session.disabledReason('now')).toBe('a verify is running');
		expect(await act(async () => made!.session.request('now'))).toMatchObject({ok: false, message: 'a verify is running'});
		let scheduled: Promise<unknown> | undefined;
		await during(() => {
			scheduled = made!.session.start('scheduled');
		}, 50);
		expect(made.engine.calls).toHaveLength(0);

		await during(() => end(summaryOf(backup)));
		await waitFor(() => made!.engine.calls.length === 1, 'the scheduled run to start once the verify ended');
		expect(made.session.disabledReason('now')).toBe('a backup is already running');
		await during(() => made!.engine.finish());
		await act(async () => scheduled);
	});
});
