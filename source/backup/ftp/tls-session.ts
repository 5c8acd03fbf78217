/**
 * The TLS session a data connection offers to resume: the control connection's, without the
 * server's certificate in it. Node parses the session anew for every connection, and with
 * OpenSSL 3 parsing the certificate's key was most of that cost (0.3 ms a data connection,
 * measured on vsftpd: 1.1 → 0.8 ms of packrat's CPU per file over FTPS). A resumed connection is
 * proven by the session's secret, never by the certificate (certificates.ts); one the server does
 * not resume shows its certificate in the handshake, checked as before.
 */

/** One DER element at `at`: its tag, where its body starts and where it ends; undefined when it does not fit. */
function element(der: Buffer, at: number): {tag: number; body: number; end: number} | undefined {
	if (at + 2 > der.length) return undefined;
	const tag = der[at]!;
	let length = der[at + 1]!;
	let body = at + 2;
	if (length & 0x80) {
		const count = length & 0x7f;
		if (count === 0 || count > 4 || body + count > der.length) return undefined;
		length = 0;
		for (let index = 0; index < count; index++) length = length * 256 + der[body + index]!;
		body += count;
	}

	const end = body + length;
	return end <= der.length ? {tag, body, end} : undefined;
}

function lengthOf(length: number): Buffer {
	if (length < 0x80) return Buffer.from([length]);
	const bytes: number[] = [];
	for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
	return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** OpenSSL's SSL_SESSION is a SEQUENCE; the peer's certificate is its element tagged [3]. */
const sequence = 0x30;
const peerCertificate = 0xa3;

/**
 * `session` (as `getSession()` gives it) without the peer's certificate; the session as it is
 * when it cannot be read as OpenSSL writes one.
 */
export function withoutCertificate(session: Buffer): Buffer {
	const outer = element(session, 0);
	if (!outer || outer.tag !== sequence || outer.end !== session.length) return session;
	const kept: Buffer[] = [];
	let dropped = false;
	for (let at = outer.body; at < outer.end; ) {
		const inner = element(session, at);
		if (!inner) return session;
		if (inner.tag === peerCertificate) dropped = true;
		else kept.push(session.subarray(at, inner.end));
		at = inner.end;
	}

	if (!dropped) return session;
	const body = Buffer.concat(kept);
	return Buffer.concat([Buffer.from([sequence]), lengthOf(body.length), body]);
}
