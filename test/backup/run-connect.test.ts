import {stat, writeFile} from 'node:fs/promises';
import {createServer, type AddressInfo, type Socket} from 'node:net';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {freePort} from '../../devtools/vsftpd.js';
import {getCertificate, newCertificate} from '../../devtools/ftp-server/certificate.js';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {runBackup} from '../../source/backup/run.js';
import type {CertificateQuestion} from '../../source/backup/events.js';
import {configure, runCli} from '../helpers/cli.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

describe('connecting', () => {
	for (const tls of ['explicit', 'implicit'] as const) {
		it(`${tls} TLS: refuses an untrusted certificate with its fingerprint, trusts it by fingerprint`, async () => {
			const source = await tempDir();
			await writeTree(source, {'u/a.txt': {content: 'secret data'}});
			const server = await startFtpServer({root: source, tls, mlsd: true, user: 'alice', password: 'pw'});
			try {
				const untrusted = await runBackup({job: makeJob(server, await tempDir(), {server: {host: '127.0.0.1', port: server.port, user: 'alice', password: 'pw', tls, root: '/', timeoutMs: 5000}})});
				expect(untrusted.outcome).toBe('failed');
				expect(untrusted.failure).toBe('trust');
				expect(untrusted.reason).toContain(server.fingerprint);
				expect(untrusted.reason).toContain('packrat config set server.fingerprint');

				const backup = await tempDir();
				const pinned = await runBackup({job: makeJob(server, backup, {server: {host: '127.0.0.1', port: server.port, user: 'alice', password: 'pw', tls, fingerprint: server.fingerprint, root: '/', timeoutMs: 5000}})});
				expect(pinned.outcome).toBe('success');
				expect(await tree(backup)).toMatchObject({'u/a.txt': {text: 'secret data'}});
			} finally {
				await server.close();
			}
		});
	}

	it('asks about an untrusted certificate when a view can answer, and goes on when trusted', async () => {
		const source = await tempDir();
		await writeTree(source, {'a.txt': {content: 'a'}});
		const server = await startFtpServer({root: source, tls: 'explicit'});
		try {
			const questions: CertificateQuestion[] = [];
			const summary = await runBackup({
				job: makeJob(server, await tempDir(), {server: {host: '127.0.0.1', port: server.port, user: 'u', password: 'p', tls: 'explicit', root: '/', timeoutMs: 5000}}),
				decideTrust: async question => {
					questions.push(question);
					return true;
				},
			});
			expect(summary.outcome).toBe('success');
			expect(questions).toHaveLength(1);
			expect(questions[0]!.fingerprint).toBe(server.fingerprint);
		} finally {
			await server.close();
		}
	});

	it('explains a wrong password, a refused port, an unknown host, a plain server asked for TLS, and a missing root', async () => {
		const source = await tempDir();
		await writeTree(source, {'a.txt': {content: 'a'}});
		const server = await startFtpServer({root: source, user: 'alice', password: 'right'});
		try {
			const base = {host: '127.0.0.1', port: server.port, user: 'alice', password: 'wrong', tls: 'none' as const, root: '/', timeoutMs: 5000};
			const wrong = await runBackup({job: makeJob(server, await tempDir(), {server: base})});
			expect(wrong.reason).toMatch(/refused the login of user alice .*check server.user and the password/);
			expect(wrong.reason).not.toContain('wrong');

			const refused = await runBackup({job: makeJob(server, await tempDir(), {server: {...base, port: await freePort()}})});
			expect(refused.reason).toMatch(/refused the connection: is the FTP server running there, and is server.port right\?/);

			const unknown = await runBackup({job: makeJob(server, await tempDir(), {server: {...base, host: 'no-such-host.invalid'}})});
			expect(unknown.reason).toMatch(/unknown host no-such-host.invalid: check server.host/);

			const noTls = await runBackup({job: makeJob(server, await tempDir(), {server: {...base, password: 'right', tls: 'explicit'}})});
			expect(noTls.reason).toMatch(/does not offer TLS .*server.tls none/);

			const missing = await runBackup({job: makeJob(server, await tempDir(), {server: {...base, password: 'right', root: '/nope'}})});
			expect(missing).toMatchObject({outcome: 'failed', failure: 'config', setting: 'server.root'});
			expect(missing.reason).toMatch(/the root path \/nope cannot be listed on the server .*check server.root/);
		} finally {
			await server.close();
		}
	});

	it('knows a plain server asked for implicit TLS, and a server that never answers, by the error\'s code', async () => {
		const sockets: Socket[] = [];
		const silent = createServer(socket => sockets.push(socket.on('error', () => undefined)));
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const source = await tempDir();
		const plain = await startFtpServer({root: source});
		try {
			const base = {host: '127.0.0.1', user: 'anonymous', password: '', root: '/', timeoutMs: 1000};
			const notTls = await runBackup({job: makeJob(plain, await tempDir(), {server: {...base, port: plain.port, tls: 'implicit'}})});
			expect(notTls.reason).toMatch(/^127\.0\.0\.1:\d+ did not start TLS \(wrong version number\): with server\.tls implicit, check server\.port or set server\.tls/);
			const mute = await runBackup({job: makeJob(plain, await tempDir(), {server: {...base, port: (silent.address() as AddressInfo).port, tls: 'none'}})});
			expect(mute.reason).toMatch(/^127\.0\.0\.1:\d+ did not answer in time: check server\.host, server\.port and any firewall$/);
		} finally {
			for (const socket of sockets) socket.destroy();
			silent.close();
			await plain.close();
		}
	});

	it('refuses a backup folder that cannot be written, naming it and the fix', async () => {
		const source = await tempDir();
		const server = await startFtpServer({root: source});
		try {
			const file = join(await tempDir(), 'a file');
			await writeFile(file, 'not a folder');
			const summary = await runBackup({job: makeJob(server, join(file, 'backup'))});
			expect(summary).toMatchObject({outcome: 'failed', failure: 'config'});
			expect(summary.reason).toBe(`the backup folder ${join(file, 'backup')} cannot be written (ENOTDIR): choose another with --folder or packrat config set backupFolder DIR`);
		} finally {
			await server.close();
		}
	});
});

describe('certificates and the password', () => {
	for (const tls of ['explicit', 'implicit'] as const) {
		it(`${tls} TLS: a pinned fingerprint that does not match fails the run in one line naming the fingerprint, exit 1, one attempt, no PASS`, async () => {
			const certificate = await getCertificate();
			const other = await newCertificate();
			const server = await startHostileServer({files: {'/u/a.txt': 'a'}, tls, certificate});
			try {
				const home = await tempDir();
				await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': tls, 'server.fingerprint': other.fingerprint, backupFolder: join(home, 'backup'), connections: '4'});
				const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'pw'}});
				expect(result.code).toBe(1);
				const lines = result.stderr.trimEnd().split('\n');
				expect(lines).toHaveLength(1);
				expect(lines[0]).toContain(`its SHA-256 fingerprint is ${certificate.fingerprint}`);
				expect(lines[0]).toContain(`not the trusted ${other.fingerprint}`);
				expect(server.accepted).toBe(1);
				expect(server.commands.filter(command => /^(USER|PASS)\b/.test(command))).toEqual([]);
			} finally {
				await server.close();
			}
		});
	}

	it('withholds PASS until the certificate is trusted: none while the question is open, none once refused', async () => {
		const certificate = await getCertificate();
		const server = await startHostileServer({files: {'/u/a.txt': 'a'}, tls: 'explicit', certificate});
		try {
			const job = (backup: string) => makeJob(server, backup, {connections: 2, server: {host: '127.0.0.1', port: server.port, user: 'alice', password: 'pw', tls: 'explicit', root: '/', timeoutMs: 5000}});
			const seenWhenAsked: string[][] = [];
			const ask = (answer: boolean) => async () => {
				seenWhenAsked.push([...server.commands]);
				return answer;
			};

			const refused = await runBackup({job: job(await tempDir()), decideTrust: ask(false)});
			expect(refused).toMatchObject({outcome: 'failed', failure: 'trust'});
			expect(server.accepted).toBe(1);
			expect(server.commands.some(command => command.startsWith('PASS'))).toBe(false);

			const trusted = await runBackup({job: job(await tempDir()), decideTrust: ask(true)});
			expect(trusted.outcome).toBe('success');
			expect(seenWhenAsked).toHaveLength(2);
			for (const seen of seenWhenAsked) expect(seen.filter(command => command.startsWith('PASS'))).toEqual([]);
			expect(server.commands.filter(command => command.startsWith('PASS')).length).toBeGreaterThanOrEqual(1);
		} finally {
			await server.close();
		}
	});
});

describe('a backup folder whose parent is missing', () => {
	it('is not made: a missing parent often means a disk that is not mounted', async () => {
		const source = await tempDir();
		const server = await startFtpServer({root: source});
		try {
			const parent = join(await tempDir(), 'not-mounted');
			const summary = await runBackup({job: makeJob(server, join(parent, 'backup'))});
			expect(summary).toMatchObject({outcome: 'failed', failure: 'config'});
			expect(summary.reason).toMatch(/does not exist, nor does the folder it would be made in \(is the disk mounted\?\)/);
			await expect(stat(parent)).rejects.toThrow(/ENOENT/);
		} finally {
			await server.close();
		}
	});
});
