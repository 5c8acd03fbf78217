/**
 * The command layer: each command's rule for when it is allowed, and one command reached the
 * same way from a key, from the control socket and from the command line.
 */
import {join} from 'node:path';
import {writeFileSync} from 'node:fs';
import React from 'react';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/app.js';
import {cancelCommand, nowCommand} from '../../source/commands/control.js';
import {startWindowControl} from '../../source/control/window.js';
import type {ControlServer} from '../../source/control/socket.js';
import {commands, type CommandId} from '../../source/model/commands.js';
import {makeSession, type Made} from './fixture.js';
import {renderAt, waitFor, type Terminal} from './terminal.js';

let made: Made;
let t: Terminal | undefined;
let control: ControlServer | undefined;
const saved = process.env['PACKRAT_POLICY'];

beforeEach(() => {
	delete process.env['PACKRAT_POLICY'];
});

afterEach(async () => {
	t?.unmount();
	t = undefined;
	await control?.close();
	control = undefined;
	await made.session.shutdown();
	vi.useRealTimers();
	if (saved === undefined) delete process.env['PACKRAT_POLICY'];
	else process.env['PACKRAT_POLICY'] = saved;
});

function capture() {
	const lines: string[] = [];
	const errors: string[] = [];
	return {lines, errors, out: {line: (text: string) => lines.push(text), error: (text: string) => errors.push(text)}};
}

const forbidden = (path: string) => `cancelling is disabled by the administrator (policy file ${path})`;

async function running(): Promise<void> {
	void made.session.start();
	await waitFor(() => made.engine.calls.length === 1, 'the run to start');
}

describe('the rule of each command', () => {
	it('now: refused while a backup runs', async () => {
		made = await makeSession();
		expect(made.session.disabledReason('now')).toBeUndefined();
		await running();
		expect(made.session.disabledReason('now')).toBe('a backup is already running');
		expect(await made.session.run('now')).toMatchObject({ok: false, message: 'a backup is already running'});
		expect(made.engine.calls).toHaveLength(1);
	});

	it('now: allowed again once the run has ended, for a view that reads the state', async () => {
		made = await makeSession();
		const seen: Array<string | undefined> = [];
		made.session.store.subscribe(() => seen.push(made.session.disabledReasons(made.session.state).now));
		const task = made.session.start();
		await waitFor(() => made.engine.calls.length === 1, 'the run to start');
		made.engine.finish();
		await task;
		await waitFor(() => seen.at(-1) === undefined, 'a state in which now is allowed');
		expect(seen).toContain('a backup is already running');
	});

	it('cancel: refused with no run, and always where the policy forbids it', async () => {
		made = await makeSession();
		expect(made.session.disabledReason('cancel')).toBe('no backup is running');
		await running();
		expect(made.session.disabledReason('cancel')).toBeUndefined();

		made.engine.finish();
		await made.session.shutdown();
		made = await makeSession(undefined, {allowCancel: false});
		const refusal = forbidden('/etc/packrat/policy.json');
		expect(made.session.disabledReason('cancel')).toBe(refusal);
		await running();
		expect(made.session.disabledReason('cancel')).toBe(refusal);
		expect(await made.session.run('cancel')).toMatchObject({ok: false, message: refusal});
		expect(made.engine.calls[0]!.signal?.aborted).toBe(false);
	});

	it('quit: refused during a run only where cancelling is forbidden', async () => {
		made = await makeSession(undefined, {allowCancel: false});
		expect(made.session.disabledReason('quit')).toBeUndefined();
		expect(commands.quit.askFirst?.(made.session.state)).toBeUndefined();
		await running();
		expect(made.session.disabledReason('quit')).toBe(`${forbidden('/etc/packrat/policy.json')}: the window stays open until the backup ends`);
	});

	it('trust: refused when no certificate question is waiting', async () => {
		made = await makeSession();
		expect(made.session.disabledReason('trust')).toBe('no certificate question is waiting');
		expect(await made.session.run('trust', true)).toMatchObject({ok: false});
	});

	it('the settings commands are never disabled, and say what they did', async () => {
		made = await makeSession();
		const always: CommandId[] = ['schedule', 'start-at', 'folder', 'mode', 'latest', 'settings', 'test-connection'];
		for (const id of always) expect(made.session.disabledReason(id), id).toBeUndefined();
		expect(await made.session.run('mode')).toMatchObject({ok: true, message: 'mode: Full'});
		expect(made.store.get('mode')).toBe('full');
		expect(await made.session.run('start-at', '25:00')).toMatchObject({ok: false, message: expect.stringContaining('startAt must be')});
		expect(made.store.get('startAt')).toBeUndefined();
		expect(made.session.disabledReasons()).toEqual({cancel: 'no backup is running', trust: 'no certificate question is waiting', 'accept-guard': 'no mass change is held: pruning is on', verify: 'no backup has run into this folder yet', 'verify-cancel': 'no verify is running'});
	});

	it('schedule: the settings own armed, and the scheduler follows them', async () => {
		made = await makeSession();
		await made.session.run('schedule');
		expect(made.store.get('armed')).toBe(true);
		expect(made.session.scheduler.armed).toBe(true);
		expect(made.session.state.schedule.armed).toBe(true);
		await made.session.run('schedule');
		expect(made.store.get('armed')).toBe(false);
		expect(made.session.scheduler.next()).toBeUndefined();
		expect(made.session.state.notice).toMatchObject({text: 'schedule stopped: no backup runs until the schedule is started', hint: {action: 'schedule'}});
	});
});

describe('one command, three ways in', () => {
	it('now from a key, from the socket and from the command line runs the same command', async () => {
		made = await makeSession();
		control = await startWindowControl(made.store.profile, made.session);
		t = await renderAt(React.createElement(App, {session: made.session, onQuit: () => undefined}), {columns: 80, rows: 24});

		await t.pressAction('backup', 'now');
		await waitFor(() => made.engine.calls.length === 1, 'the run from the key');
		const socket = capture();
		expect(await nowCommand({profile: made.store.profile}, socket.out)).toBe(1);
		expect(socket.errors).toEqual(['packrat: a backup is already running']);
		await t.pressAction('backup', 'now');
		await t.see('a backup is already running');
		made.engine.finish();
		await waitFor(() => !made.session.running, 'the run to end');

		const again = capture();
		expect(await nowCommand({profile: made.store.profile}, again.out)).toBe(0);
		expect(again.lines).toEqual(['a backup started in the Backup window']);
		await waitFor(() => made.engine.calls.length === 2, 'the run from the socket');
	});

	it('cancel meets the one policy rule from a key, from the socket and from the command line', async () => {
		const policy = join(await import('../helpers/fixture.js').then(async module => module.tempDir()), 'policy.json');
		writeFileSync(policy, '{"allowCancel": false}');
		process.env['PACKRAT_POLICY'] = policy;
		made = await makeSession();
		// The policy of this session is the real one, read from PACKRAT_POLICY.
		await made.session.shutdown();
		const {TestSession} = await import('./fixture.js');
		const session = new TestSession({settings: made.store, run: made.engine.run, batchMs: 50});
		made = {...made, session};
		await session.load();
		control = await startWindowControl(made.store.profile, session);
		t = await renderAt(React.createElement(App, {session, onQuit: () => undefined}), {columns: 80, rows: 24});
		await running();

		await t.pressAction('backup', 'cancel');
		await t.see('cancelling is disabled by the administrator (policy file');
		const cli = capture();
		expect(await cancelCommand({profile: made.store.profile}, cli.out)).toBe(1);
		expect(cli.errors).toEqual([`packrat: ${forbidden(policy)}`]);
		expect(await session.request('cancel')).toMatchObject({ok: false, message: forbidden(policy)});
		expect(made.engine.calls[0]!.signal?.aborted).toBe(false);
	});
});

describe('a disabled command in the footer and the help', () => {
	it('is drawn with its reason', async () => {
		made = await makeSession();
		const {HelpOverlay} = await import('../../source/components/help-overlay.js');
		const {hintsOf} = await import('../../source/components/footer.js');
		const disabled = made.session.disabledReasons();
		expect(hintsOf('backup', {armed: false, running: true}, false, disabled).find(hint => hint.label === 'Cancel')?.disabled).toBe('no backup is running');
		t = await renderAt(React.createElement(HelpOverlay, {screen: 'backup', width: 120, height: 20, disabled}), {columns: 120, rows: 30});
		expect(t.frame()).toMatch(/c +Cancel the running backup.*\(not now: no backup is running\)/);
	});
});
