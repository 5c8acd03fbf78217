import {createServer, type Socket} from 'node:net';
import {describe, expect, it} from 'vitest';
import {newCertificate} from '../../devtools/ftp-server/certificate.js';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {defaultHandlers} from '../../devtools/hostile-server/handlers.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir} from '../helpers/fixture.js';

describe('a TLS data connection that never finishes its handshake', () => {
	it('is given up at once on a cancel, even after the server has given its final reply', async () => {
		// A data port that takes the connection and never answers the ClientHello.
		const held: Socket[] = [];
		const silent = createServer(socket => held.push(socket.on('error', () => {})));
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const silentPort = (silent.address() as {port: number}).port;
		const cancel = new AbortController();
		let passives = 0;
		const server = await startHostileServer({
			files: {'/a.txt': 'data'},
			tls: 'explicit',
			certificate: await newCertificate(),
			handlers: {
				// The root's listing as usual; the file's data connection to the silent port.
				async EPSV(session, argument) {
					if (++passives === 1) await defaultHandlers.EPSV!(session, argument);
					else session.reply(`229 Entering Extended Passive Mode (|||${silentPort}|)`);
				},
				// The whole answer at once: only the data connection is left to wait for.
				RETR(session) {
					session.reply('150 Opening BINARY mode data connection.');
					session.reply('226 Transfer complete.');
				},
			},
		});
		silent.on('connection', () => setTimeout(() => cancel.abort(), 50));
		try {
			const backup = await tempDir();
			const started = Date.now();
			const summary = await runBackup({
				job: makeJob(server, backup, {connections: 1, retries: 0, server: {host: '127.0.0.1', port: server.port, user: 'u', password: 'p', tls: 'explicit', root: '/', timeoutMs: 20_000}}),
				signal: cancel.signal,
				decideTrust: async () => true,
			});
			expect(summary.outcome).toBe('cancelled');
			expect(held.length).toBeGreaterThan(0);
			expect(Date.now() - started).toBeLessThan(5000);
		} finally {
			for (const socket of held) socket.destroy();
			silent.close();
			await server.close();
		}
	}, 30_000);
});
