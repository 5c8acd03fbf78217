import {once} from 'node:events';
import {TLSSocket} from 'node:tls';
import {describe, expect, it} from 'vitest';
import {getCertificate} from '../../devtools/ftp-server/certificate.js';
import {startHostileServer, type Handler} from '../../devtools/hostile-server.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

/** Runs a pinned explicit-TLS backup against a server whose AUTH is `auth`; records whether each PASS came over TLS. */
async function runWith(auth: Handler) {
	const certificate = await getCertificate();
	const passOverTls: boolean[] = [];
	const server = await startHostileServer({
		tls: 'explicit',
		certificate,
		files: {'/a.txt': 'the real file'},
		handlers: {
			AUTH: auth,
			PASS(session) {
				passOverTls.push(session.socket instanceof TLSSocket);
				session.reply('230 Logged in.');
			},
		},
	});
	try {
		const backup = await tempDir();
		const summary = await runBackup({
			job: makeJob(server, backup, {connections: 1, retries: 0, server: {host: '127.0.0.1', port: server.port, user: 'u', password: 'p', tls: 'explicit', fingerprint: certificate.fingerprint, root: '/', timeoutMs: 3000}}),
		});
		const afterAuth = server.commands.slice(server.commands.indexOf('AUTH TLS') + 1);
		return {summary, afterAuth, passOverTls, held: await tree(backup)};
	} finally {
		await server.close();
	}
}

/** An AUTH that accepts with `234` and, in the same write, plain text for the parser; then the handshake. */
const injecting = (plain: string): Handler => async session => {
	session.raw(`234 Proceed with negotiation.\r\n${plain}`);
	await session.upgrade();
};

describe('plain text sent after the 234 to AUTH TLS is never read as a reply', () => {
	const cases = [
		['a whole fake reply', '230 fake login ok\r\n'],
		['an unfinished multi-line reply', '230-fake login ok\r\n'],
		['an unfinished fake FEAT offering MLSD', '211-Features:\r\n MLST type*;size*;modify*;\r\n'],
		['half a reply line', '23'],
	] as const;
	for (const [what, plain] of cases) {
		it(`${what} in the 234's packet: dropped; every reply comes over TLS, PASS answers a real 331`, async () => {
			const {summary, afterAuth, passOverTls, held} = await runWith(injecting(plain));
			expect(summary.reason).toBeUndefined();
			expect(summary.outcome).toBe('success');
			expect(afterAuth.slice(0, 7)).toEqual(['OPTS UTF8 ON', 'USER u', 'PASS ****', 'PBSZ 0', 'PROT P', 'TYPE I', 'FEAT']);
			expect(passOverTls).toEqual([true]);
			expect(afterAuth.some(command => command.startsWith('MLSD'))).toBe(false);
			expect(held).toMatchObject({'a.txt': {text: 'the real file'}});
		});
	}

	it('plain text that reaches the TLS layer (after the client began its handshake) ends the connection: no USER, no PASS', async () => {
		const {summary, afterAuth, passOverTls, held} = await runWith(async session => {
			// Hold the ClientHello, put plain text before the server's answer to it, then answer.
			session.socket.pause();
			session.raw('234 Proceed with negotiation.\r\n');
			await once(session.socket, 'readable');
			session.raw('230 fake login ok\r\n');
			await session.upgrade();
		});
		expect(summary).toMatchObject({outcome: 'failed', failure: 'connect'});
		expect(afterAuth).toEqual([]);
		expect(passOverTls).toEqual([]);
		expect(held).toEqual({});
	});
});
