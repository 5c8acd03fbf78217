import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import type {RunEvent} from '../../source/backup/events.js';
import {runBackup} from '../../source/backup/run.js';
import {startFaultProxy, type FaultProxy} from '../helpers/fault-proxy.js';
import {makeJob, tempDir} from '../helpers/fixture.js';

const big = Buffer.alloc(3 * 1024 * 1024);
for (let index = 0; index < big.length; index++) big[index] = (index * 7919) % 251;
const fast = () => 20;

async function withProxy(mlsd: boolean, test: (proxy: FaultProxy, server: FtpTestServer) => Promise<void>) {
	const source = await tempDir();
	await writeTree(source, {'u/big.bin': {content: big, mtime: new Date('2026-11-20T03:00:00Z')}, 'u/small.txt': {content: 'small'}});
	const server = await startFtpServer({root: source, mlsd});
	const proxy = await startFaultProxy(server);
	try {
		await test(proxy, server);
	} finally {
		await proxy.close();
		await server.close();
	}
}

describe('network faults', () => {
	for (const mlsd of [true, false]) {
		it(`a connection cut mid-file is retried and resumed with REST, byte-identical (${mlsd ? 'MLSD' : 'LIST'})`, async () => {
			await withProxy(mlsd, async proxy => {
				const backup = await tempDir();
				proxy.cutDataAfter(1024 * 1024);
				const events: RunEvent[] = [];
				const summary = await runBackup({job: makeJob(proxy, backup, {connections: 1}), backoffMs: fast, onEvent: event => events.push(event)});
				expect(summary.outcome).toBe('success');
				expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
				expect(events.filter(event => event.type === 'retry')).toHaveLength(1);
				const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
				expect(log).toMatch(/\tdownload\t\/u\/big\.bin\t\d+\t\d+\tresumed at byte [1-9]\d*/);
				expect(summary.bytes).toBeLessThan(big.length + 5 + 64 * 1024);
			});
		});
	}

	it('a download the server breaks off with a failure reply after part of the file is retried and resumed, whichever side tells first', async () => {
		const source = await tempDir();
		await writeTree(source, {'u/big.bin': {content: big, mtime: new Date('2026-11-20T03:00:00Z')}});
		// ftp-srv sends the first 1 MiB, then answers "551 read error…" and closes the data connection: twice.
		const server = await startFtpServer({root: source, breakReads: {afterBytes: 1024 * 1024, times: 2}});
		try {
			const backup = await tempDir();
			const events: RunEvent[] = [];
			const summary = await runBackup({job: makeJob(server, backup, {connections: 1, retries: 3}), backoffMs: fast, onEvent: event => events.push(event)});
			expect(summary.outcome).toBe('success');
			expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
			const retries = events.filter(event => event.type === 'retry');
			expect(retries).toHaveLength(2);
			for (const retry of retries) expect(retry.type === 'retry' && retry.reason).toMatch(/^the transfer broke after \d+ bytes: 551 /);
			const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
			expect(log).toMatch(/\tdownload\t\/u\/big\.bin\t\d+\t\d+\tresumed at byte [1-9]\d*/);
		} finally {
			await server.close();
		}
	});

	it('a server restart in the middle of the run is ridden out', async () => {
		await withProxy(true, async proxy => {
			const backup = await tempDir();
			proxy.throttle(4 * 1024 * 1024);
			setTimeout(() => proxy.restart(300), 250);
			const summary = await runBackup({job: makeJob(proxy, backup, {connections: 2}), backoffMs: () => 200});
			expect(summary.outcome).toBe('success');
			expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
		});
	});

	it('gives up once the retry budget is spent, names the cause, and the next run resumes', async () => {
		await withProxy(true, async proxy => {
			const backup = await tempDir();
			proxy.cutDataAfter(512 * 1024, 3);
			const failed = await runBackup({job: makeJob(proxy, backup, {connections: 1, retries: 2}), backoffMs: fast});
			expect(failed.outcome).toBe('failed');
			expect(failed.reason).toMatch(/^gave up on \/u\/big\.bin after 3 attempts: /);
			expect(await readFile(join(backup, 'u/big.bin')).catch(() => 'absent')).toBe('absent');
			const next = await runBackup({job: makeJob(proxy, backup, {connections: 1, retries: 2}), backoffMs: fast});
			expect(next.outcome).toBe('success');
			expect(next.bytes).toBeLessThan(big.length);
			expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
		});
	});

	it('a stalled data connection times out and is retried; the run never hangs', async () => {
		await withProxy(true, async proxy => {
			const backup = await tempDir();
			proxy.stallNextData();
			const started = Date.now();
			const job = makeJob(proxy, backup, {connections: 1});
			job.server.timeoutMs = 1000;
			const summary = await runBackup({job, backoffMs: fast});
			expect(summary.outcome).toBe('success');
			expect(Date.now() - started).toBeLessThan(10_000);
			expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
		});
	});

	it('a missing root path is one login and one clear line, before the other connections are opened', async () => {
		const server = await startHostileServer({files: {'/u/a.txt': 'a'}, mlsd: true});
		try {
			const summary = await runBackup({job: makeJob(server, await tempDir(), {connections: 4, retries: 5, server: {host: '127.0.0.1', port: server.port, user: 'u', password: 'p', tls: 'none', root: '/nope', timeoutMs: 5000}}), backoffMs: fast});
			expect(summary).toMatchObject({outcome: 'failed', failure: 'config', setting: 'server.root'});
			expect(summary.reason).toMatch(/^the root path \/nope cannot be listed on the server \(550 .*\): check server\.root$/);
			expect(server.accepted).toBe(1);
			expect(server.commands.filter(command => command.startsWith('USER '))).toHaveLength(1);
		} finally {
			await server.close();
		}
	});

	it('a wrong password is one attempt and one clear line, with no retry storm', async () => {
		const source = await tempDir();
		const server = await startFtpServer({root: source, user: 'alice', password: 'right'});
		const proxy = await startFaultProxy(server);
		try {
			const job = makeJob(proxy, await tempDir(), {connections: 8, retries: 5});
			job.server.user = 'alice';
			job.server.password = 'wrong';
			const summary = await runBackup({job, backoffMs: fast});
			expect(summary.reason).toMatch(/^the server refused the login of user alice/);
			expect(proxy.accepted).toBe(1);
		} finally {
			await proxy.close();
			await server.close();
		}
	});
});
