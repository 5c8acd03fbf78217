import {chmod, readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {newCertificate} from '../../devtools/ftp-server/certificate.js';
import {seedSample, writeTree} from '../../devtools/sample-data.js';
import {startVsftpd, vsftpdMissing} from '../../devtools/vsftpd.js';
import type {RunEvent} from '../../source/backup/events.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';
import {needTool, skipWithout} from '../helpers/tools.js';

const missing = vsftpdMissing();

async function openUp(folder: string): Promise<void> {
	await chmod(folder, 0o755);
	for (const entry of await readdir(folder, {withFileTypes: true})) {
		if (entry.isDirectory()) await openUp(join(folder, entry.name));
	}
}

describe.skipIf(skipWithout(missing, 'the vsftpd tests'))('against a real vsftpd (LIST only, MDTM times)', () => {
	it('backs up the sample exactly, old files included, and then finds nothing changed', async () => {
		needTool(missing);
		const source = await tempDir();
		await seedSample(source);
		await writeTree(source, {'u/ancient.txt': {content: 'from long ago', mtime: new Date('2019-06-15T13:14:15Z')}});
		await openUp(source);
		const server = await startVsftpd(source);
		try {
			const backup = await tempDir();
			const first = await runBackup({job: makeJob(server, backup, {connections: 4})});
			expect(first.outcome).toBe('success');
			expect(await tree(backup)).toEqual(await tree(source));
			// vsftpd answers STAT <folder> with its LIST lines: every folder but the root is listed so.
			expect(await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).toMatch(/\tlisting\t\/\t\t\tSTAT /);
			const again = await runBackup({job: makeJob(server, backup, {connections: 4})});
			expect(again.counts.downloaded).toBe(0);
			expect(again.counts.unchanged).toBe(first.counts.downloaded);
		} finally {
			await server.close();
		}
	});

	for (const mode of ['explicit', 'implicit'] as const) {
		it(`FTPS (${mode}) with a pinned certificate: every data connection resumes the control session, as vsftpd requires`, async () => {
			const source = await tempDir();
			await writeTree(source, {'u/a.txt': {content: 'secret data'}, 'u/deep/b.txt': {content: 'more'}});
			await openUp(source);
			const certificate = await newCertificate();
			const server = await startVsftpd(source, {tls: {mode, certificate}});
			try {
				const backup = await tempDir();
				const summary = await runBackup({job: makeJob(server, backup, {connections: 2, server: {host: '127.0.0.1', port: server.port, user: 'anonymous', password: 'x', tls: mode, fingerprint: certificate.fingerprint, root: '/', timeoutMs: 10_000}})});
				expect(summary.reason).toBeUndefined();
				expect(summary.outcome).toBe('success');
				expect(await tree(backup)).toEqual(await tree(source));
			} finally {
				await server.close();
			}
		});
	}

	it('FTPS: a file vsftpd refuses (550 before its data connection) fails at once with its reason; the run goes on, nothing retried', async () => {
		const source = await tempDir();
		await writeTree(source, {'u/a.txt': {content: 'secret data'}, 'u/locked.txt': {content: 'not for you'}, 'u/z.txt': {content: 'last'}});
		await openUp(source);
		await chmod(join(source, 'u/locked.txt'), 0o600);
		const certificate = await newCertificate();
		const server = await startVsftpd(source, {tls: {mode: 'explicit', certificate}});
		try {
			const backup = await tempDir();
			const events: RunEvent[] = [];
			// Over TLS the data connection's handshake never comes for a refused file: waiting for it cost a timeout and a retry per attempt.
			const job = makeJob(server, backup, {connections: 1, retries: 1, server: {host: '127.0.0.1', port: server.port, user: 'anonymous', password: 'x', tls: 'explicit', fingerprint: certificate.fingerprint, root: '/', timeoutMs: 3000}});
			const summary = await runBackup({job, backoffMs: () => 10, onEvent: event => events.push(event)});
			// The errors first: should another file fail, its reason is in the report.
			expect(events.flatMap(event => (event.type === 'error' || event.type === 'retry' ? [{type: event.type, path: event.path, message: event.type === 'error' ? event.message : event.reason}] : []))).toEqual([{type: 'error', path: '/u/locked.txt', message: expect.stringContaining('550')}]);
			expect(summary.counts).toMatchObject({downloaded: 2, failed: 1});
			const held = await tree(backup);
			expect(Object.keys(held).sort()).toEqual(['u/a.txt', 'u/z.txt']);
		} finally {
			await server.close();
		}
	});
});
