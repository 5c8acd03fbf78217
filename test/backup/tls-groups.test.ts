/**
 * A server that takes only P-256 (vsftpd 3.0) answers Node's first key share (X25519) with a
 * HelloRetryRequest: a round trip more on every handshake. The group the control connection's
 * handshake agreed on is offered first on the data connections (and later control connections).
 */
import {describe, expect, it} from 'vitest';
import {newCertificate} from '../../devtools/ftp-server/certificate.js';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const p256 = 0x17;
const x25519 = 0x1d;

describe('the key share a TLS data connection offers', () => {
	for (const [groups, first] of [['P-256', p256], [undefined, x25519]] as const) {
		it(`is the group the server chose: ${groups ?? 'OpenSSL defaults'}`, async () => {
			const certificate = await newCertificate();
			const server = await startHostileServer({files: {'/a.txt': 'alpha', '/b/b.txt': 'bravo'}, tls: 'explicit', certificate, groups});
			try {
				const backup = await tempDir();
				const job = makeJob(server, backup, {connections: 1, server: {host: '127.0.0.1', port: server.port, user: 'u', password: 'p', tls: 'explicit', fingerprint: certificate.fingerprint, root: '/', timeoutMs: 5000}});
				const summary = await runBackup({job, backoffMs: () => 0});
				expect(summary.counts).toMatchObject({downloaded: 2, failed: 0});
				expect(Object.keys(await tree(backup)).sort()).toEqual(['a.txt', 'b/b.txt']);
				// Two listings and two downloads, each offering one key share: the server's group.
				expect(server.dataKeyShares).toHaveLength(4);
				for (const shares of server.dataKeyShares) expect(shares).toEqual([first]);
				expect(server.dataTls.resumed).toBe(4);
			} finally {
				await server.close();
			}
		});
	}
});
