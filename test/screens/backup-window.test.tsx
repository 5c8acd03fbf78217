/**
 * The Backup window screen drawn from a state: the job, the schedule state, misconfigured with
 * its key, the last run and the next scheduled one, at 80×24 and 100×30.
 */
import React from 'react';
import {describe, expect, it} from 'vitest';
import {idleProgress} from '../../source/backup/progress.js';
import {BackupWindow, shareLines} from '../../source/screens/backup-window.js';
import type {SessionState} from '../../source/model/session-state.js';
import type {Settings} from '../../source/settings/keys.js';
import {summaryOf} from '../window/fixture.js';
import {frameHeights, renderAt} from '../window/terminal.js';

const settings: Settings = {
	server: {host: 'ftp.example.com', user: 'ann', tls: 'none', root: '/projects'}, backupFolder: '/srv/backup', mode: 'full', latestOnly: true, startAt: '03:00', repeat: 'every 6h',
	armed: true, connections: 4, keepSnapshots: 0, linkUnchanged: false, retries: 5, timeoutSeconds: 30, maxDepth: 64, hooks: {},
};

function state(change: Partial<SessionState> = {}): SessionState {
	return {
		settings, progress: idleProgress, running: false, cancelling: false, errors: [], errorCount: 0, cancelAllowed: true,
		schedule: {armed: true, startAt: '03:00', repeat: 'every 6h', next: new Date(Date.now() + 3_723_000)}, lastSuccess: summaryOf({ended: new Date(Date.now() - 5 * 3_600_000).toISOString()}), lastRun: summaryOf(), ...change,
	};
}

describe('the Backup window screen', () => {
	for (const [columns, rows] of [[80, 24], [100, 30]] as const) {
		it(`shows the job, the schedule, the last and next backups and the footer at ${columns}×${rows}`, async () => {
			const t = await renderAt(<BackupWindow state={state()} width={columns} height={rows - 1} />, {columns, rows});
			const frame = t.frame();
			expect(frame).toContain('ann@ftp.example.com:21/projects  ⚠ no TLS (plain FTP)');
			expect(frame).toContain('Folder    /srv/backup');
			expect(frame).toMatch(/Start at {2}03:00 every 6 hours from Start at {2}● armed, next in 1:02:0\d/);
			expect(frame).toContain('Mode      Full  ·  Latest only: on');
			expect(frame).toContain('● ARMED');
			expect(frame).toContain('Last run: ✔ Done');
			expect(frame).toMatch(/Last successful backup {2}\d{4}-\d\d-\d\d \d\d:\d\d \(5 h ago\)/);
			expect(frame).toMatch(/Next scheduled backup {3}\d{4}-\d\d-\d\d \d\d:\d\d \(in 1:02:0\d\)/);
			expect(frame).toContain('n Now');
			expect(frame).toContain('q Quit');
			expect(Math.max(...frameHeights(t.stdout))).toBeLessThanOrEqual(rows);
			t.unmount();
		});
	}

	it('marks a misconfigured job with the reason and the key that fixes it', async () => {
		const t = await renderAt(<BackupWindow state={state({blocked: {reason: 'no backup folder is set', fix: 'folder'}})} width={80} height={23} />, {columns: 80, rows: 24});
		expect(t.frame()).toContain('✖ MISCONFIGURED, press f to fix: no backup folder is set');
		t.unmount();
	});

	it('shares the lines between progress and errors, never more than there are', () => {
		expect(shareLines(13, 8)).toEqual({progress: 8, errors: 5});
		expect(shareLines(13, 20)).toEqual({progress: 11, errors: 2});
		expect(shareLines(1, 20)).toEqual({progress: 0, errors: 1});
		expect(shareLines(0, 5)).toEqual({progress: 0, errors: 0});
	});
});
