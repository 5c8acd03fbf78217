/**
 * Whether a server's certificate is trusted, one rule for every connection of a run: the system
 * trusts its chain for the host, or its SHA-256 fingerprint is the trusted one (from the
 * settings, or from the person answering the question for the control connection). A data
 * connection that resumed the control connection's TLS session is that server, proven by the
 * session's secret; one that did not must show a certificate that passes the same rule.
 */
import type {TLSSocket} from 'node:tls';
import type {CertificateQuestion} from './events.js';
import {PackratError, UntrustedCertificateError} from './errors.js';

/** Decides about a certificate the system does not trust; resolves true to trust it. */
export type TrustDecider = (question: CertificateQuestion) => Promise<boolean>;

/** Where a socket leads, and the fingerprint trusted there beyond the system's trust. */
export type Peer = {host: string; port: number; fingerprint?: string};

const sameFingerprint = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toUpperCase() === b.toUpperCase();

/** Why the system does not trust the socket's certificate, in OpenSSL's words. */
function systemVerdict(socket: TLSSocket): string {
	const error = socket.authorizationError as unknown;
	return String((error as Error | undefined)?.message ?? error ?? 'unknown issuer');
}

/** True when the system trusts the chain for the host (Node's `authorized`), or the fingerprint is the trusted one. */
function trusted(socket: TLSSocket, fingerprint: string | undefined): boolean {
	return socket.authorized || sameFingerprint(socket.getPeerCertificate().fingerprint256, fingerprint);
}

/**
 * Check the control connection's certificate before the password is sent. An untrusted one is
 * put to `decide` (the window's question); resolves with its fingerprint when trusted so, with
 * undefined when trusted by the rule; throws UntrustedCertificateError otherwise.
 */
export async function checkControlCertificate(socket: TLSSocket, peer: Peer, decide?: TrustDecider): Promise<string | undefined> {
	if (trusted(socket, peer.fingerprint)) return undefined;
	const certificate = socket.getPeerCertificate();
	const question: CertificateQuestion = {
		host: peer.host,
		port: peer.port,
		fingerprint: certificate.fingerprint256,
		subject: String(certificate.subject?.CN ?? ''),
		issuer: String(certificate.issuer?.CN ?? ''),
		reason: peer.fingerprint ? `its fingerprint is not the trusted ${peer.fingerprint}` : systemVerdict(socket),
	};
	if (decide && (await decide(question))) return question.fingerprint;
	throw new UntrustedCertificateError(question);
}

/**
 * Check a data connection right after its handshake, before a byte of it is read: it resumed the
 * control connection's session (the only session offered), or its certificate passes the rule
 * the control connection's passed. Throws a one-line 'trust' PackratError, which ends the run.
 */
export function checkDataCertificate(socket: TLSSocket, peer: Peer, dataPort: number): void {
	// On a resumed session (TLS 1.3 above all) the certificate is not shown again: the session's
	// secret, known only to the server that passed the control connection's check, proves it.
	if (socket.isSessionReused()) return;
	if (trusted(socket, peer.fingerprint)) return;
	const seen = socket.getPeerCertificate().fingerprint256 ?? 'unknown (no certificate was shown)';
	const why = peer.fingerprint ? `it is not the trusted ${peer.fingerprint}` : systemVerdict(socket);
	throw new PackratError(
		`the certificate of a data connection from ${peer.host}:${dataPort} is not trusted (${why}); its SHA-256 fingerprint is ${seen}. The run was stopped and nothing from that connection was kept: someone may be intercepting the connection to ${peer.host}, or the server uses another certificate for data connections (ask its administrator)`,
		'trust',
	);
}
