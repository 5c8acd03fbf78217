import {X509Certificate} from 'node:crypto';
import type {AddressInfo} from 'node:net';
import {connect, createServer} from 'node:tls';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {getCertificate, type Certificate} from '../../devtools/ftp-server/certificate.js';
import {withoutCertificate} from '../../source/backup/ftp/tls-session.js';

let certificate: Certificate;
let server: ReturnType<typeof createServer>;
let port: number;

/** A TLS connection to the test server, read to its end: whether it resumed `session`, and the session it was given (TLS 1.3's ticket). */
async function open(session?: Buffer): Promise<{reused: boolean; ticket?: Buffer}> {
	const socket = connect({host: '127.0.0.1', port, rejectUnauthorized: false, session}).resume();
	let reused = false;
	let ticket: Buffer | undefined;
	socket.once('secureConnect', () => (reused = socket.isSessionReused()));
	socket.on('session', (given: Buffer) => (ticket ??= given));
	await new Promise((resolve, reject) => {
		socket.once('close', resolve);
		socket.once('error', reject);
	});
	return {reused, ticket};
}

beforeAll(async () => {
	certificate = await getCertificate();
	server = createServer({key: certificate.key, cert: certificate.cert}, socket => socket.end('hello'));
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
	await new Promise(resolve => server.close(resolve));
});

describe('the session a data connection offers', () => {
	it('holds no certificate, and the server still resumes it', async () => {
		const session = (await open()).ticket!;
		const der = new X509Certificate(certificate.cert).raw;
		expect(session.includes(der)).toBe(true);

		const stripped = withoutCertificate(session);
		expect(stripped.includes(der)).toBe(false);
		expect(stripped.length).toBeLessThan(session.length - der.length + 8);
		expect((await open(stripped)).reused).toBe(true);
	});

	it('is left as it is when it is not a session OpenSSL wrote', () => {
		const cases = [Buffer.alloc(0), Buffer.from([0x30]), Buffer.from([0x30, 0x05, 0x02, 0x01]), Buffer.from([0x04, 0x02, 0xa3, 0x00]), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])];
		for (const input of cases) expect(withoutCertificate(input)).toBe(input);
	});
});
