import {once} from 'node:events';
import {TLSSocket} from 'node:tls';
import {describe, expect, it} from 'vitest';
import {getCertificate} from '../../devtools/ftp-server/certificate.js';
import {startHostileServer, type Handler} from '../../devtools/hostile-server.js';
import {Control} from '../../source/backup/ftp/control.js';
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

	it('plain bytes held in the plain socket\'s read queue at the upgrade are dropped, not handed to TLS (where Node would fail the handshake, or abort on a decoded stream)', async () => {
		const certificate = await getCertificate();
		let sendJunk!: () => void;
		const junkSent = new Promise<void>(resolve => (sendJunk = resolve));
		const server = await startHostileServer({
			tls: 'explicit',
			certificate,
			handlers: {
				async AUTH(session) {
					session.socket.pause(); // The ClientHello waits in the queue for the TLS side.
					session.raw('234 Proceed with negotiation.\r\n');
					await junkSent;
					session.raw('230 fake login ok\r\n');
					if (session.socket.readableLength === 0) await once(session.socket, 'readable');
					await session.upgrade();
				},
			},
		});
		const {control} = await Control.open(server.host, server.port, 5000);
		try {
			expect((await control.startTls('AUTH TLS')).code).toBe(234);
			// Reading stops (as a reader applying back-pressure would), and the plain text arrives meanwhile.
			control.socket.pause();
			sendJunk();
			for (let waited = 0; control.socket.readableLength === 0 && waited < 100; waited++) await new Promise(resolve => setTimeout(resolve, 20));
			expect(control.socket.readableLength).toBeGreaterThan(0);
			await control.upgrade({rejectUnauthorized: false, host: server.host});
			expect(await control.send('USER u')).toEqual({code: 331, message: '331 Password, please.'});
		} finally {
			control.close();
			await server.close();
		}
	});
});
