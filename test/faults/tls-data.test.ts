import {readdir, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {createSecureContext} from 'node:tls';
import {describe, expect, it} from 'vitest';
import {newAuthority, newCertificate, type Certificate} from '../../devtools/ftp-server/certificate.js';
import {defaultHandlers} from '../../devtools/hostile-server/handlers.js';
import {startHostileServer, type Handler, type HostileOptions, type HostileServer} from '../../devtools/hostile-server.js';
import type {RunEvent} from '../../source/backup/events.js';
import {runBackup} from '../../source/backup/run.js';
import {configure, runCli} from '../helpers/cli.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const files = {'/a.txt': 'secret data', '/alice/b.txt': 'more secret data'};

/** Every byte packrat holds under the backup folder: the files, and any partial download. */
async function heldBytes(backup: string): Promise<number> {
	let total = 0;
	for (const entry of await readdir(backup, {withFileTypes: true, recursive: true})) {
		if (!entry.isFile() || /^packrat-(transfer|errors)\.log$|^packrat-export\.tsv$|history/.test(entry.name)) continue;
		total += (await stat(join(entry.parentPath, entry.name))).size;
	}

	return total;
}

async function pinnedRun(server: HostileServer, tls: 'explicit' | 'implicit', fingerprint?: string, decideTrust?: () => Promise<boolean>) {
	const backup = await tempDir();
	const events: RunEvent[] = [];
	const summary = await runBackup({
		job: makeJob(server, backup, {connections: 2, retries: 2, server: {host: '127.0.0.1', port: server.port, user: 'u', password: 'p', tls, fingerprint, root: '/', timeoutMs: 5000}}),
		onEvent: event => events.push(event),
		decideTrust,
		backoffMs: () => 10,
	});
	return {backup, summary, retries: events.filter(event => event.type === 'retry')};
}

async function withServer<T>(options: HostileOptions, test: (server: HostileServer) => Promise<T>): Promise<T> {
	const server = await startHostileServer({files, ...options});
	try {
		return await test(server);
	} finally {
		await server.close();
	}
}

describe('TLS data connections are authenticated as the control connection is', () => {
	for (const tls of ['explicit', 'implicit'] as const) {
		it(`${tls}: a pinned control certificate and another one on the data connection stop the run; nothing is written`, async () => {
			const [control, data] = await Promise.all([newCertificate(), newCertificate()]);
			await withServer({tls, certificate: control, dataCertificate: data}, async server => {
				const {backup, summary, retries} = await pinnedRun(server, tls, control.fingerprint);
				expect(summary).toMatchObject({outcome: 'failed', failure: 'trust'});
				expect(summary.reason).toContain(`data connection from 127.0.0.1:`);
				expect(summary.reason).toContain(`its SHA-256 fingerprint is ${data.fingerprint}`);
				expect(summary.reason).toContain(`not the trusted ${control.fingerprint}`);
				expect(summary.reason).not.toContain('\n');
				expect(retries).toEqual([]);
				expect(await tree(backup)).toEqual({});
				expect(await heldBytes(backup)).toBe(0);
			});
		});

		it(`${tls}: a data connection that turns untrusted at the download stops the run before a byte of it is kept`, async () => {
			const [control, data] = await Promise.all([newCertificate(), newCertificate()]);
			const swapped = createSecureContext(data);
			// The listing comes over the right certificate; every data connection after it over another.
			const handlers: Record<string, Handler> = {
				async LIST(session, argument) {
					await defaultHandlers['LIST']!(session, argument);
					session.server.dataContext = swapped;
				},
			};
			await withServer({tls, certificate: control, files: {'/a.txt': 'secret data'}, handlers}, async server => {
				const {backup, summary, retries} = await pinnedRun(server, tls, control.fingerprint);
				expect(server.commands.some(command => command.startsWith('RETR'))).toBe(true);
				expect(summary).toMatchObject({outcome: 'failed', failure: 'trust'});
				expect(summary.reason).toContain(`its SHA-256 fingerprint is ${data.fingerprint}`);
				expect(retries).toEqual([]);
				expect(server.commands.filter(command => command.startsWith('RETR'))).toHaveLength(1);
				expect(await tree(backup)).toEqual({});
				expect(await heldBytes(backup)).toBe(0);
			});
		});

		it(`${tls}: the honest server's data connections resume the control session and pass`, async () => {
			const certificate = await newCertificate();
			await withServer({tls, certificate}, async server => {
				const {backup, summary} = await pinnedRun(server, tls, certificate.fingerprint);
				expect(summary.reason).toBeUndefined();
				expect(Object.keys(await tree(backup)).sort()).toEqual(['a.txt', 'alice/b.txt']);
				expect(server.dataTls.full).toBe(0);
				expect(server.dataTls.resumed).toBeGreaterThan(0);
			});
		});

		it(`${tls}: a server that never resumes passes by showing the trusted certificate on each data connection`, async () => {
			const certificate = await newCertificate();
			await withServer({tls, certificate, dataSessions: 'fresh'}, async server => {
				const pinned = await pinnedRun(server, tls, certificate.fingerprint);
				expect(pinned.summary.reason).toBeUndefined();
				expect(Object.keys(await tree(pinned.backup)).sort()).toEqual(['a.txt', 'alice/b.txt']);
				expect(server.dataTls.resumed).toBe(0);
				expect(server.dataTls.full).toBeGreaterThan(0);

				// Trusted by the person answering for this run (no pin): the data connections are held to that answer.
				let asked = 0;
				const answered = await pinnedRun(server, tls, undefined, async () => ++asked > 0);
				expect(answered.summary.reason).toBeUndefined();
				expect(asked).toBe(1);
				expect(Object.keys(await tree(answered.backup)).sort()).toEqual(['a.txt', 'alice/b.txt']);
			});
		});
	}
});

describe('a control connection trusted by the system (a test authority in NODE_EXTRA_CA_CERTS), packrat run', () => {
	async function cliRun(server: HostileServer, authority: Certificate) {
		const home = await tempDir();
		const authorityFile = join(home, 'authority.pem');
		await writeFile(authorityFile, authority.cert);
		const backup = join(home, 'backup');
		await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'u', 'server.tls': 'explicit', backupFolder: backup, connections: '2'});
		const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'p', NODE_EXTRA_CA_CERTS: authorityFile}});
		return {...result, backup};
	}

	it('an untrusted self-signed certificate on the data connection: exit 1, named, nothing written', async () => {
		const authority = await newAuthority();
		const [control, data] = await Promise.all([newCertificate(authority), newCertificate()]);
		await withServer({tls: 'explicit', certificate: control, dataCertificate: data}, async server => {
			const result = await cliRun(server, authority);
			expect(server.commands).toContain('PASS ****'); // The control connection was trusted by the system.
			expect(result.code).toBe(1);
			expect(result.stdout + result.stderr).toContain(`its SHA-256 fingerprint is ${data.fingerprint}`);
			expect(result.stdout + result.stderr).toMatch(/data connection from 127\.0\.0\.1:\d+ is not trusted \(/);
			expect(await tree(result.backup)).toEqual({});
			expect(await heldBytes(result.backup)).toBe(0);
		});
	});

	it('the same authority on every connection: exit 0, sessions resumed; and without resumption, each data certificate checked and passed', async () => {
		const authority = await newAuthority();
		const certificate = await newCertificate(authority);
		for (const dataSessions of ['resumed', 'fresh'] as const) {
			await withServer({tls: 'explicit', certificate, dataSessions}, async server => {
				const result = await cliRun(server, authority);
				expect(result.stderr).toBe('');
				expect(result.code).toBe(0);
				expect(Object.keys(await tree(result.backup)).sort()).toEqual(['a.txt', 'alice/b.txt']);
				if (dataSessions === 'resumed') expect(server.dataTls).toEqual({resumed: expect.any(Number), full: 0});
				else expect(server.dataTls).toEqual({resumed: 0, full: expect.any(Number)});
				expect(server.dataTls.resumed + server.dataTls.full).toBeGreaterThan(1);
			});
		}
	});
});
