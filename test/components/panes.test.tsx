/** The progress pane through its phases (spinner only during a run), the error pane, and the trust dialog. */
import React from 'react';
import {describe, expect, it} from 'vitest';
import {ErrorPane} from '../../source/components/error-pane.js';
import {Line} from '../../source/components/line.js';
import {TextField} from '../../source/components/text-field.js';
import {ProgressPane, progressLines} from '../../source/components/progress-pane.js';
import {makeTheme} from '../../source/components/theme.js';
import {TrustDialog, explainReason, fingerprintLines} from '../../source/components/trust-dialog.js';
import {idleProgress, reduce} from '../../source/backup/progress.js';
import type {RunEvent} from '../../source/backup/events.js';
import {initialState, applyEvent, type SessionState} from '../../source/model/session-state.js';
import type {Settings} from '../../source/settings/keys.js';
import {summaryOf} from '../window/fixture.js';
import {renderAt} from '../window/terminal.js';

const settings = {server: {host: 'h', user: 'u', tls: 'none', root: '/'}, mode: 'incremental', latestOnly: false, startAt: '03:00', repeat: 'daily', armed: false, connections: 2, keepSnapshots: 0, linkUnchanged: false, retries: 1, timeoutSeconds: 5, hooks: {}} as Settings;
const theme = makeTheme({ascii: false, color: false});

function stateAfter(events: RunEvent[], running = true): SessionState {
	let state: SessionState = {...initialState(settings, {armed: false, startAt: '03:00', repeat: 'daily'}), running};
	for (const event of events) state = applyEvent(state, event, 1000);
	return state;
}

const text = (state: SessionState) => {
	const {head, body} = progressLines(state, theme, 80);
	return [head, ...body].map(line => line.map(piece => (typeof piece === 'string' ? piece : piece ? piece.text : '')).join('')).join('\n');
};

describe('the progress pane', () => {
	it('says what each phase is doing', () => {
		expect(text(stateAfter([{type: 'phase', phase: 'connecting', at: 0}]))).toContain('Connecting to h');
		expect(text(stateAfter([{type: 'phase', phase: 'connecting', at: 0}, {type: 'phase', phase: 'initializing', at: 0}, {type: 'scan', folders: 2, files: 9, bytes: 2048}]))).toContain('2 folders scanned · 9 files · 2 kB found so far');
		const backing = stateAfter([
			{type: 'phase', phase: 'connecting', at: 0}, {type: 'connected', connections: 2, tls: false, listing: 'LIST'}, {type: 'phase', phase: 'backing-up', at: 0},
			{type: 'plan', files: 10, bytes: 1000, toDownload: 4, bytesToDownload: 1000, unchanged: 6, skipped: 0},
			{type: 'file-start', slot: 1, path: '/a/b.txt', size: 500, offset: 0}, {type: 'file-progress', slot: 1, path: '/a/b.txt', bytes: 250, size: 500},
		]);
		expect(text(backing)).toMatch(/Backing up · 2 connections, LIST[\s\S]*Files 0 of 4 · 250 B of 1 kB[\s\S]*25%[\s\S]*#2 › \/a\/b\.txt {2}50% of 500 B/);
		expect(text(stateAfter([{type: 'phase', phase: 'connecting', at: 0}, {type: 'phase', phase: 'finishing', at: 0}]))).toContain('Finishing · writing the export and the logs');
		const done = stateAfter([{type: 'phase', phase: 'connecting', at: 0}, {type: 'done', summary: summaryOf({outcome: 'cancelled', reason: 'cancelled by the user'})}], false);
		expect(text(done)).toMatch(/■ Cancelled · started[\s\S]*40 downloaded · 2 unchanged · 0 failed · 1 skipped · 3\.4 MB in 0:12[\s\S]*cancelled by the user/);
	});

	it('shows the live count of connections, eight transfers and how many more, and the most connections in the summary', () => {
		const events: RunEvent[] = [
			{type: 'phase', phase: 'connecting', at: 0}, {type: 'connected', connections: 4, tls: false, listing: 'LIST'}, {type: 'phase', phase: 'backing-up', at: 0},
			{type: 'plan', files: 20, bytes: 2000, toDownload: 20, bytesToDownload: 2000, unchanged: 0, skipped: 0},
			{type: 'connections', connections: 14, reason: 'the transfers kept their pace: more connections'},
		];
		for (let slot = 0; slot < 14; slot++) events.push({type: 'file-start', slot, path: `/u/f${slot}.txt`, size: 100, offset: 0});
		const shown = text(stateAfter(events));
		expect(shown).toContain('Backing up · 14 connections, LIST');
		expect(shown).toContain('#8 › /u/f7.txt');
		expect(shown).not.toContain('#9 ›');
		expect(shown).toContain('and 6 more at work');
		const scanning = stateAfter([
			{type: 'phase', phase: 'connecting', at: 0}, {type: 'phase', phase: 'initializing', at: 0}, {type: 'scan', folders: 3, files: 9, bytes: 2048},
			{type: 'file-start', slot: 0, path: '/u/a.txt', size: 10, offset: 0}, {type: 'file-done', slot: 0, path: '/u/a.txt', status: 'downloaded', bytes: 10},
		]);
		expect(text(scanning)).toContain('3 folders scanned · 9 files · 2 kB found so far · 1 downloaded already');
		const done = stateAfter([{type: 'phase', phase: 'connecting', at: 0}, {type: 'done', summary: summaryOf({connections: 14})}], false);
		expect(text(done)).toMatch(/Done · started .* · Incremental · 14 connections/);
	});

	it('turns the spinner only while a run is going', async () => {
		const running = stateAfter([{type: 'phase', phase: 'connecting', at: 0}]);
		const t = await renderAt(<ProgressPane state={running} width={80} lines={4} />, {columns: 80, rows: 24});
		await t.settle(400);
		const spins = new Set(t.stdout.frames.map(frame => frame.split('\n')[0]![0]));
		expect(spins.size).toBeGreaterThan(1);
		t.unmount();

		const idle = await renderAt(<ProgressPane state={{...running, running: false, progress: idleProgress}} width={80} lines={4} />, {columns: 80, rows: 24});
		const before = idle.stdout.frames.length;
		await idle.settle(400);
		expect(idle.stdout.frames.length).toBe(before);
		idle.unmount();
	});

	it('uses the reducer of the headless run', () => {
		const events: RunEvent[] = [{type: 'phase', phase: 'connecting', at: 0}, {type: 'scan', folders: 1, files: 2, bytes: 3}];
		expect(stateAfter(events).progress).toEqual(events.reduce((progress, event) => reduce(progress, event, 1000), idleProgress));
	});
});

describe('the error pane', () => {
	it('shows the newest errors with their count, escaped, in the lines it has', async () => {
		let state = stateAfter([{type: 'phase', phase: 'connecting', at: 0}]);
		for (let index = 1; index <= 80; index++) state = applyEvent(state, {type: 'error', time: '2026-11-20T03:00:00.000Z', path: `/f${index}\u001B.txt`, message: '550 denied'});
		expect(state.errors).toHaveLength(50);
		const t = await renderAt(<ErrorPane state={state} width={80} lines={4} />, {columns: 80, rows: 24});
		const frame = t.frame();
		expect(frame).toContain('Errors (80)');
		expect(frame).toContain('/f80\\x1b.txt: 550 denied');
		expect(frame).not.toContain('/f77');
		expect(frame.split('\n').filter(Boolean)).toHaveLength(4);
		t.unmount();
	});
});

describe('the last guard at the window\'s edge', () => {
	it('draws a control character left in a line or a field escaped, never raw', async () => {
		const t = await renderAt(
			<>
				<Line width={60} segments={['a\u001b]0;owned\u0007b ', {text: 'c\u009b2Jd\\x', bold: true}]} />
				<TextField value={'r\u001b[2Jt'} cursor={1} width={30} />
			</>,
			{columns: 80, rows: 24},
		);
		const frame = t.frame();
		expect(frame).toContain('a\\x1b]0;owned\\x07b');
		expect(frame).toContain('c\\x9b2Jd\\x');
		expect(frame).toContain('r\\x1b[2Jt');
		expect(frame).not.toMatch(/\u001b\]0;|\u0007|\u009b|\u001b\[2J/);
		t.unmount();
	});
});

describe('the trust dialog', () => {
	it('cuts the fingerprint at whole pairs and asks with the keys of the map', async () => {
		const fingerprint = Array.from({length: 32}, () => 'AB').join(':');
		expect(fingerprintLines(fingerprint, 47)).toEqual([fingerprint.slice(0, 47), fingerprint.slice(48)]);
		expect(fingerprintLines(fingerprint, 90)).toEqual([fingerprint.slice(0, 47), fingerprint.slice(48)]);
		expect(fingerprintLines(fingerprint, 200)).toEqual([fingerprint]);
		expect(explainReason('DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('the certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)');
		expect(explainReason('something else')).toBe('something else');
		const answers: boolean[] = [];
		const t = await renderAt(<TrustDialog question={{host: 'h', port: 990, fingerprint, subject: 's', issuer: 'i', reason: 'self-signed certificate'}} width={80} height={12} onAnswer={trust => answers.push(trust)} />, {columns: 80, rows: 24});
		expect(t.frame()).toContain('the backup waits');
		await t.pressAction('trust', 'yes');
		await t.pressAction('trust', 'no');
		expect(answers).toEqual([true, false]);
		t.unmount();
	});
});
