import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {Summary} from '../../source/backup/events.js';
import {cancelCommand, nowCommand, statusCommand} from '../../source/commands/control.js';
import {NoWindowError, sendControl, socketPath, startControlServer, type ControlHandlers, type ControlServer} from '../../source/control/socket.js';
import {buildStatus} from '../../source/control/status.js';
import {SettingsStore} from '../../source/settings/store.js';

const saved = {...process.env};
let home: string;
let servers: ControlServer[];

function capture() {
	const lines: string[] = [];
	const errors: string[] = [];
	return {lines, errors, out: {line: (text: string) => lines.push(text), error: (text: string) => errors.push(text)}};
}

function handlers(calls: string[] = []): ControlHandlers {
	return {
		now: async () => (calls.push('now'), {ok: true, message: 'a backup started in the window'}),
		cancel: async () => (calls.push('cancel'), {ok: true, message: 'the run was cancelled'}),
		status: async () => buildStatus({profile: 'config', source: 'window', armed: true, startAt: '03:00', repeat: 'daily', next: new Date('2026-06-02T01:00:00Z'), history: []}),
	};
}

async function serve(profile: string, given: ControlHandlers, options?: Parameters<typeof startControlServer>[2]): Promise<ControlServer> {
	const server = await startControlServer(profile, given, options);
	servers.push(server);
	return server;
}

describe('control socket', () => {
	beforeEach(() => {
		// A short folder: Unix socket paths are limited to about 100 bytes.
		home = mkdtempSync('/tmp/pr-');
		process.env['XDG_STATE_HOME'] = join(home, 'state');
		process.env['XDG_CONFIG_HOME'] = join(home, 'config');
		process.env['PACKRAT_POLICY'] = join(home, 'policy.json');
		servers = [];
	});

	afterEach(async () => {
		for (const server of servers) await server.close();
		for (const key of ['XDG_STATE_HOME', 'XDG_CONFIG_HOME', 'PACKRAT_POLICY', 'TZ']) {
			if (saved[key] === undefined) delete process.env[key];
			else process.env[key] = saved[key];
		}

		rmSync(home, {recursive: true, force: true});
	});

	it('answers now, cancel and status from another shell, through a socket only its owner can open', async () => {
		const calls: string[] = [];
		const server = await serve('config', handlers(calls));
		expect(server.path).toBe(join(home, 'state', 'packrat', 'config.sock'));
		expect(statSync(server.path).mode & 0o777).toBe(0o600);
		expect(statSync(join(home, 'state', 'packrat')).mode & 0o777).toBe(0o700);

		const now = capture();
		expect(await nowCommand({}, now.out)).toBe(0);
		expect(now.lines).toEqual(['a backup started in the window']);
		const cancel = capture();
		expect(await cancelCommand({}, cancel.out)).toBe(0);
		expect(calls).toEqual(['now', 'cancel']);

		// No backup has ever been made: the status says so, and exits 1 for a monitoring system.
		const status = capture();
		expect(await statusCommand({json: true}, status.out)).toBe(1);
		expect(JSON.parse(status.lines[0]!)).toMatchObject({source: 'window', armed: true, next: '2026-06-02T01:00:00.000Z', phase: 'idle', stale: true});
		const text = capture();
		expect(await statusCommand({json: false}, text.out)).toBe(1);
		expect(text.lines[0]).toBe('No backup is running');
		expect(text.lines).toContain('Last successful backup: none yet');
	});

	it('passes on a refusal of the window with exit 1', async () => {
		await serve('config', {...handlers(), now: async () => ({ok: false, message: 'a backup is already running'})});
		const now = capture();
		expect(await nowCommand({}, now.out)).toBe(1);
		expect(now.errors).toEqual(['packrat: a backup is already running']);
	});

	it('refuses cancelling where the policy forbids it, in the command and in the window', async () => {
		const calls: string[] = [];
		const policy = join(home, 'policy.json');
		await serve('config', handlers(calls));
		writeFileSync(policy, '{"allowCancel": false}');
		const cancel = capture();
		expect(await cancelCommand({}, cancel.out)).toBe(1);
		expect(cancel.errors).toEqual([`packrat: cancelling is disabled by the administrator (policy file ${policy})`]);
		// A client that does not check (an old one, a script) meets the same refusal in the window.
		expect(await sendControl('config', 'cancel')).toEqual({ok: false, message: `cancelling is disabled by the administrator (policy file ${policy})`});
		expect(calls).toEqual([]);
	});

	it('says clearly that no window runs, and exits 1', async () => {
		await expect(sendControl('config', 'now')).rejects.toBeInstanceOf(NoWindowError);
		const now = capture();
		expect(await nowCommand({profile: 'work'}, now.out)).toBe(1);
		expect(now.errors[0]).toMatch(/^packrat: no Backup window is running for profile work .*packrat --profile work.*packrat run/);
	});

	it('refuses a second window on the same profile, not on another', async () => {
		await serve('config', handlers());
		await expect(startControlServer('config', handlers())).rejects.toThrow(/a Backup window is already open for profile config/);
		await serve('other', handlers());
		expect((await sendControl('config', 'status')).ok).toBe(true);
	});

	it('replaces a stale socket left by a crashed window', async () => {
		const path = socketPath('config');
		mkdirSync(join(home, 'state', 'packrat'), {recursive: true, mode: 0o700});
		const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], {stdio: ['ignore', 'pipe', 'inherit']});
		await new Promise(resolve => child.stdout.once('data', resolve));
		child.kill('SIGKILL');
		await new Promise(resolve => child.once('exit', resolve));
		expect(existsSync(path)).toBe(true);
		await expect(sendControl('config', 'status')).rejects.toBeInstanceOf(NoWindowError);

		await serve('config', handlers());
		expect((await sendControl('config', 'status')).ok).toBe(true);
	});

	it('removes its socket on close and ignores garbage', async () => {
		const server = await serve('config', handlers());
		const {createConnection} = await import('node:net');
		const reply = await new Promise<string>(resolve => {
			let text = '';
			const socket = createConnection(server.path, () => socket.write('hello\n'));
			socket.on('data', chunk => (text += String(chunk)));
			socket.on('end', () => resolve(text));
		});
		expect(JSON.parse(reply)).toEqual({ok: false, message: 'the request is not JSON'});
		await server.close();
		servers = [];
		expect(existsSync(server.path)).toBe(false);
	});

	it('reads the history and the settings when no window runs', async () => {
		const folder = join(home, 'backup');
		mkdirSync(join(folder, '.packrat'), {recursive: true});
		const run = (outcome: Summary['outcome'], ended: string): Summary => ({
			outcome, mode: 'incremental', latestOnly: false, started: ended, ended, durationMs: 1000,
			counts: {downloaded: 4, unchanged: 0, failed: 0, skipped: 0}, bytes: 2048, errors: 0, target: folder,
			reason: outcome === 'success' ? undefined : 'cancelled by the user',
		});
		writeFileSync(join(folder, '.packrat', 'history.jsonl'), `${JSON.stringify(run('success', '2026-05-31T01:00:00.000Z'))}\n${JSON.stringify(run('cancelled', '2026-06-01T01:00:00.000Z'))}\n`);
		const store = new SettingsStore();
		store.set('backupFolder', folder);
		store.set('armed', true);
		store.set('startAt', '04:15');
		process.env['TZ'] = 'UTC';

		const json = capture();
		expect(await statusCommand({json: true}, json.out, new Date('2026-06-01T12:00:00Z'))).toBe(0);
		const status = JSON.parse(json.lines[0]!);
		expect(status).toMatchObject({source: 'history', running: false, armed: true, next: '2026-06-02T04:15:00.000Z', lastSuccess: {ended: '2026-05-31T01:00:00.000Z', downloaded: 4, outcome: 'success', failed: 0}, lastRun: {outcome: 'cancelled'}, stale: false, ageSeconds: 35 * 3600, cycleSeconds: 24 * 3600});

		const text = capture();
		expect(await statusCommand({json: false}, text.out, new Date('2026-06-01T12:00:00Z'))).toBe(0);
		expect(text.lines).toEqual([
			'No Backup window is running',
			'Last successful backup: 2026-05-31 01:00, 35 h ago (4 downloaded, 2 kB)',
			'Last run: Cancelled at 2026-06-01 01:00 — cancelled by the user',
			'Next scheduled backup: 2026-06-02 04:15 (Start at 04:15, daily)',
			'no Backup window is running: scheduled backups run only while one is open',
		]);
	});
});
