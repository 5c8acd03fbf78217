import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer, type FtpServerOptions, type FtpTestServer} from '../../devtools/ftp-server.js';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import type {RunEvent} from '../../source/backup/events.js';
import {runBackup, type Job} from '../../source/backup/run.js';
import {toJob} from '../../source/settings/job.js';
import {findKey, parseValue} from '../../source/settings/keys.js';
import {withDefaults} from '../../source/settings/read.js';
import {startFaultProxy, startProxiedServer, type FaultProxy} from '../helpers/fault-proxy.js';
import {makeJob, tempDir} from '../helpers/fixture.js';

const big = Buffer.alloc(3 * 1024 * 1024);
for (let index = 0; index < big.length; index++) big[index] = (index * 7919) % 251;
const fast = () => 20;
const modified = new Date('2026-11-20T03:00:00Z');

/** Plain FTP (the proxy reads the commands and rewrites the passive replies) or explicit TLS (passed through raw). */
type Mode = {label: string; mlsd: boolean; tls: boolean};
const plainMlsd: Mode = {label: 'MLSD', mlsd: true, tls: false};
const plainList: Mode = {label: 'LIST', mlsd: false, tls: false};
const explicitTls: Mode = {label: 'explicit TLS', mlsd: true, tls: true};

type Setup = {proxy: FaultProxy; server: FtpTestServer; backup: string; job: (overrides?: Partial<Job>) => Job; settings: Record<string, string>};

async function withProxy(mode: Mode, test: (setup: Setup) => Promise<void>) {
	const source = await tempDir();
	await writeTree(source, {'u/big.bin': {content: big, mtime: modified}, 'u/small.txt': {content: 'small'}});
	const options = {root: source, mlsd: mode.mlsd, ...(mode.tls ? {tls: 'explicit' as const} : {})};
	const {server, proxy} = mode.tls ? await startProxiedServer(options) : await plainProxied(options);
	const backup = await tempDir();
	const tls = mode.tls ? {tls: 'explicit' as const, fingerprint: server.fingerprint} : {};
	const job = (overrides: Partial<Job> = {}) => {
		const made = makeJob(proxy, backup, overrides);
		return {...made, server: {...made.server, ...tls}};
	};

	const settings = {'server.host': '127.0.0.1', 'server.port': String(proxy.port), 'server.password': 'x', 'server.tls': mode.tls ? 'explicit' : 'none', ...(mode.tls ? {'server.fingerprint': server.fingerprint!} : {}), backupFolder: backup};
	try {
		await test({proxy, server, backup, job, settings});
	} finally {
		await proxy.close();
		await server.close();
	}
}

async function plainProxied(options: FtpServerOptions) {
	const server = await startFtpServer(options);
	return {server, proxy: await startFaultProxy(server)};
}

/** The job a user's settings make: each value parsed as `packrat config set KEY VALUE` does, then toJob. */
function settingsJob(values: Record<string, string>): Job {
	const stored: Record<string, Record<string, unknown> | unknown> = {};
	for (const [key, raw] of Object.entries(values)) {
		const [head, tail] = key.split('.') as [string, string | undefined];
		const value = parseValue(findKey(key)!, raw);
		if (tail === undefined) stored[head] = value;
		else ((stored[head] ??= {}) as Record<string, unknown>)[tail] = value;
	}

	return toJob(withDefaults(stored));
}

const retriesOf = (events: RunEvent[], path: string) => events.filter(event => event.type === 'retry' && event.path === path);

describe('network faults', () => {
	for (const mode of [plainMlsd, plainList, explicitTls]) {
		it(`a connection cut mid-file is retried and resumed with REST, byte-identical (${mode.label})`, async () => {
			await withProxy(mode, async ({proxy, backup, job}) => {
				proxy.cutDataAfter(1024 * 1024);
				const events: RunEvent[] = [];
				const summary = await runBackup({job: job({connections: 1}), backoffMs: fast, onEvent: event => events.push(event)});
				expect(summary.outcome).toBe('success');
				expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
				expect(events.filter(event => event.type === 'retry')).toHaveLength(1);
				const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
				expect(log).toMatch(/\tdownload\t\/u\/big\.bin\t\d+\t\d+\tresumed at byte [1-9]\d*/);
				expect(summary.bytes).toBeLessThan(big.length + 5 + 64 * 1024);
			});
		});
	}

	for (const mode of [plainMlsd, explicitTls]) {
		it(`a server restart in the middle of a file is ridden out: reconnected, retried, byte-identical (${mode.label})`, async () => {
			await withProxy(mode, async ({proxy, backup, job}) => {
				proxy.throttle(2 * 1024 * 1024);
				const events: RunEvent[] = [];
				let acceptedAtRestart: number | undefined;
				const summary = await runBackup({
					job: job({connections: 2, retries: 5}),
					backoffMs: () => 200,
					onEvent(event) {
						events.push(event);
						// Some bytes of the large file are in: the server goes down under the transfer.
						if (acceptedAtRestart === undefined && event.type === 'file-progress' && event.path === '/u/big.bin' && event.bytes > 0 && event.bytes < big.length) {
							acceptedAtRestart = proxy.accepted;
							proxy.restart(300);
						}
					},
				});
				expect(acceptedAtRestart).toBeDefined();
				expect(summary.outcome).toBe('success');
				expect(retriesOf(events, '/u/big.bin').length).toBeGreaterThanOrEqual(1);
				expect(proxy.accepted).toBeGreaterThan(acceptedAtRestart!);
				expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
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

	it('a file whose retry budget is spent fails alone: the run goes on, ends Done with errors naming the cause, and the next run resumes', async () => {
		await withProxy(plainMlsd, async ({proxy, backup}) => {
			proxy.cutDataAfter(512 * 1024, 3);
			const partial = await runBackup({job: makeJob(proxy, backup, {connections: 1, retries: 2}), backoffMs: fast});
			expect(partial).toMatchObject({outcome: 'partial', counts: {downloaded: 1, failed: 1}});
			expect(partial.reason).toMatch(/^1 file could not be fetched; see /);
			expect(await readFile(join(backup, 'packrat-errors.log'), 'utf8')).toMatch(/\t\/u\/big\.bin\tgave up on \/u\/big\.bin after 3 attempts: /);
			expect(await readFile(join(backup, 'packrat-export.tsv'), 'utf8')).toMatch(/\t\/u\/big\.bin\t\d+\t[^\t]+\tfailed\t\n/);
			expect(await readFile(join(backup, 'u/big.bin')).catch(() => 'absent')).toBe('absent');
			expect(await readFile(join(backup, 'u/small.txt'), 'utf8')).toBe('small');
			const next = await runBackup({job: makeJob(proxy, backup, {connections: 1, retries: 2}), backoffMs: fast});
			expect(next.outcome).toBe('success');
			expect(next.bytes).toBeLessThan(big.length);
			expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
		});
	});

	for (const connections of [1, 2]) {
		it(`a server that cannot be reached on any connection for the retry budget fails the run, naming the cause (${connections} connection(s))`, async () => {
			await withProxy(plainMlsd, async ({proxy, backup}) => {
				proxy.throttle(2 * 1024 * 1024);
				let down = false;
				const failed = await runBackup({
					job: makeJob(proxy, backup, {connections, retries: 2}),
					backoffMs: fast,
					onEvent(event) {
						// Some bytes of the large file are in: the server goes away for longer than the budget.
						if (!down && event.type === 'file-progress' && event.path === '/u/big.bin' && event.bytes > 0) {
							down = true;
							proxy.restart(60_000);
						}
					},
				});
				expect(down).toBe(true);
				expect(failed).toMatchObject({outcome: 'failed', failure: 'server'});
				expect(failed.reason).toMatch(/^gave up on \/u\/big\.bin after 3 attempts: the server cannot be reached \(/);
				expect(await readFile(join(backup, 'u/big.bin')).catch(() => 'absent')).toBe('absent');
			});
		});
	}

	for (const mode of [plainMlsd, explicitTls]) {
		it(`a data connection that stalls mid-file is dropped after timeoutSeconds and retried; the run never hangs (${mode.label})`, async () => {
			await withProxy(mode, async ({proxy, backup, settings}) => {
				proxy.stallNextData(256 * 1024);
				const job = settingsJob({...settings, connections: '1', retries: '2', timeoutSeconds: '1'});
				expect(job.server.timeoutMs).toBe(1000);
				const events: RunEvent[] = [];
				const started = Date.now();
				const summary = await runBackup({job, backoffMs: fast, onEvent: event => events.push(event)});
				expect(summary.outcome).toBe('success');
				expect(Date.now() - started).toBeLessThan(15_000);
				const retries = retriesOf(events, '/u/big.bin');
				expect(retries).toHaveLength(1);
				expect(retries[0]!.type === 'retry' && retries[0]!.reason).toMatch(/stalled|time/i);
				expect((await readFile(join(backup, 'u/big.bin'))).equals(big)).toBe(true);
				expect(await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).toMatch(/\tdownload\t\/u\/big\.bin\t\d+\t\d+\tresumed at byte [1-9]\d*/);
			});
		});
	}

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
