/**
 * Alerts of the built `packrat run` (`notify.url`), to a real HTTP receiver on 127.0.0.1:
 * `/start` when the run starts, then `<url>` when it is Done, `/fail` when it fails or ends with
 * errors, the summary as the body, never a password; a receiver that never answers costs the
 * run the timeout and no more, and the log says why.
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startHostileServer, type HostileServer} from '../../devtools/hostile-server.js';
import {refusingRetr} from '../../devtools/hostile-server/handlers.js';
import {configure, runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/fixture.js';
import {startReceiver, type Receiver} from '../helpers/receiver.js';

const modified = new Date('2026-11-20T03:00:00Z');

describe('packrat run sends its alerts', () => {
	let server: HostileServer;
	const receivers: Receiver[] = [];

	beforeAll(async () => {
		server = await startHostileServer({
			files: {'/alice/plan.txt': {data: 'the plan', mtime: modified}, '/alice/lost.bin': {data: 'lost', mtime: modified}, '/bob/notes.md': {data: 'notes', mtime: modified}},
			mlsd: true,
			handlers: {
				RETR: refusingRetr(path => path === '/alice/lost.bin' && refusing),
				PASS: (session, password) => session.reply(password === 'hunter2' ? '230 Logged in.' : '530 Login incorrect.'),
			},
		});
	});

	let refusing = false;
	afterAll(async () => server.close());
	afterEach(async () => {
		refusing = false;
		for (const receiver of receivers.splice(0)) await receiver.close();
	});

	async function setUp(answer?: Parameters<typeof startReceiver>[0], path = '/ping/abc-123'): Promise<{home: string; receiver: Receiver; url: string; backup: string}> {
		const receiver = await startReceiver(answer);
		receivers.push(receiver);
		const home = await tempDir();
		const backup = join(home, 'backup');
		const url = `${receiver.base}${path}`;
		await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: backup, 'notify.url': url});
		return {home, receiver, url, backup};
	}

	it('pings /start, then the address itself when the run is Done, and logs both', async () => {
		const {home, receiver, backup} = await setUp(undefined, '/ping/abc-123');
		const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'hunter2'}});
		expect(result.code).toBe(0);
		expect(receiver.hits.map(hit => [hit.method, hit.url])).toEqual([['POST', '/ping/abc-123/start'], ['POST', '/ping/abc-123']]);
		expect(receiver.hits[0]!.body).toBe('packrat: backup started (incremental)\n');
		expect(receiver.hits[1]!.body).toMatch(/^packrat: Done \(incremental\)\nfiles: 3 downloaded, 0 unchanged, 0 failed, 0 skipped\nbytes: 17 B\nduration: 0:0\d\n$/);
		const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
		expect(log).toMatch(/\tINFO\talert\tnotify\.url\t\t\talert start sent to http:\/\/127\.0\.0\.1:\d+\/ping\/abc-123\/start: HTTP 200\n/);
		expect(log).toMatch(/\tINFO\talert\tnotify\.url\t\t\talert success sent to http:\/\/127\.0\.0\.1:\d+\/ping\/abc-123: HTTP 200\n/);
		for (const hit of receiver.hits) expect(hit.body).not.toMatch(/hunter2|\/tmp\//);
	});

	it('pings /start then /fail for a run Done with errors, the body naming the outcome, the counts and what is missing', async () => {
		refusing = true;
		const {home, receiver} = await setUp();
		const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'hunter2'}});
		expect(result.code).toBe(3);
		expect(receiver.hits.map(hit => hit.url)).toEqual(['/ping/abc-123/start', '/ping/abc-123/fail']);
		expect(receiver.hits[1]!.body).toMatch(/^packrat: Done with errors \(incremental\)\nfiles: 2 downloaded, 0 unchanged, 1 failed, 0 skipped\nbytes: 13 B\nduration: 0:0\d\nreason: 1 file could not be fetched\n$/);
	});

	it('pings /fail for a failed run, with its reason and without the password', async () => {
		const {home, receiver} = await setUp();
		const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'not-the-one'}});
		expect(result.code).toBe(1);
		expect(receiver.hits.map(hit => hit.url)).toEqual(['/ping/abc-123/start', '/ping/abc-123/fail']);
		expect(receiver.hits[1]!.body).toMatch(/^packrat: Failed \(incremental\)\n[^]*reason: the server refused the login of user alice \(530 Login incorrect\.\)/);
		expect(receiver.hits[1]!.body).not.toContain('not-the-one');
	});

	it('sends a user:password in the address as an Authorization header, never in a log line', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const home = await tempDir();
		const backup = join(home, 'backup');
		await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: backup, 'notify.url': receiver.base.replace('//', '//ping:s3cret@')});
		expect((await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'hunter2'}})).code).toBe(0);
		expect(receiver.hits.map(hit => hit.authorization)).toEqual([`Basic ${Buffer.from('ping:s3cret').toString('base64')}`, `Basic ${Buffer.from('ping:s3cret').toString('base64')}`]);
		expect(await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).not.toContain('s3cret');
	});

	it('does not hold the run beyond the timeout when the receiver never answers, and logs why', async () => {
		const {home, receiver, backup} = await setUp('never');
		const started = Date.now();
		const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'hunter2', PACKRAT_NOTIFY_TIMEOUT_MS: '1500'}});
		const took = Date.now() - started;
		expect(result.code).toBe(0);
		// Node's start, the run itself, then at most the one timeout for the alerts after it.
		expect(took).toBeLessThan(1500 + 2500);
		expect(receiver.hits.map(hit => hit.url)).toEqual(['/ping/abc-123/start', '/ping/abc-123']);
		const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
		expect(log).toMatch(/\tWARN\talert\tnotify\.url\t\t\talert start to http:\/\/127\.0\.0\.1:\d+\/ping\/abc-123\/start failed: no answer in 1\.5 s \(timeout\)\n/);
		expect(log).toMatch(/\tWARN\talert\tnotify\.url\t\t\talert success to http:\/\/127\.0\.0\.1:\d+\/ping\/abc-123 failed: no answer in [\d.]+ s \(timeout\)\n/);
	});
});
