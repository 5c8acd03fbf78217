import {describe, expect, it} from 'vitest';
import {getCertificate} from '../../devtools/ftp-server/certificate.js';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const files = {'/alice/plan v2.txt': 'the plan', '/alice/deep/notes.md': {data: 'notes', mtime: new Date('2026-11-01T10:20:30Z')}, '/bob/': ''};

describe('the hostile test server, left honest', () => {
	for (const mlsd of [false, true]) {
		it(`serves a whole backup over plain FTP (${mlsd ? 'MLSD' : 'LIST and MDTM'})`, async () => {
			const server = await startHostileServer({files, mlsd});
			try {
				const backup = await tempDir();
				const summary = await runBackup({job: makeJob(server, backup)});
				expect(summary.outcome).toBe('success');
				expect(await tree(backup)).toEqual({
					'alice/plan v2.txt': {text: 'the plan', mtime: Date.parse('2026-11-20T03:00:00Z') / 1000},
					'alice/deep/notes.md': {text: 'notes', mtime: Date.parse('2026-11-01T10:20:30Z') / 1000},
				});
			} finally {
				await server.close();
			}
		});
	}

	for (const tls of ['explicit', 'implicit'] as const) {
		it(`serves a whole backup over ${tls} TLS with a pinned certificate, data connections resuming the control session`, async () => {
			const certificate = await getCertificate();
			const server = await startHostileServer({files, tls, certificate});
			try {
				const backup = await tempDir();
				const summary = await runBackup({job: makeJob(server, backup, {connections: 1, server: {host: '127.0.0.1', port: server.port, user: 'u', password: 'p', tls, fingerprint: certificate.fingerprint, root: '/', timeoutMs: 5000}})});
				expect(summary.reason).toBeUndefined();
				expect(summary.outcome).toBe('success');
				expect(Object.keys(await tree(backup)).sort()).toEqual(['alice/deep/notes.md', 'alice/plan v2.txt']);
				expect(server.commands).toContain('PROT P');
				expect(server.dataTls).toEqual({resumed: expect.any(Number), full: 0});
				expect(server.dataTls.resumed).toBeGreaterThan(0);
			} finally {
				await server.close();
			}
		});
	}
});
