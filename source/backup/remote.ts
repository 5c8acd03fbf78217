/**
 * One connection to the source: plain, explicit or implicit TLS, with the certificate checked
 * before the password is sent. An untrusted certificate is trusted only by its SHA-256
 * fingerprint, from the settings or from the person answering the question.
 */
import {isIP} from 'node:net';
import type {TLSSocket, ConnectionOptions} from 'node:tls';
import {Client, FTPError} from 'basic-ftp';
import type {TlsMode} from '../settings/keys.js';
import type {CertificateQuestion} from './events.js';
import {PackratError, UntrustedCertificateError, describeConnectError, replyText} from './errors.js';

export type ServerConfig = {
	host: string;
	port: number;
	user: string;
	password: string;
	tls: TlsMode;
	fingerprint?: string;
	root: string;
	timeoutMs: number;
};

/** Decides about a certificate the system does not trust; resolves true to trust it. */
export type TrustDecider = (question: CertificateQuestion) => Promise<boolean>;

export type Connected = {client: Client; mlsd: boolean; tls: boolean};

function tlsOptions(config: ServerConfig): ConnectionOptions {
	// The verdict is taken below, from socket.authorized, so that a pinned fingerprint can
	// stand in for a chain the system does not know; the password waits for that verdict.
	const options: ConnectionOptions = {rejectUnauthorized: false, host: config.host};
	if (!isIP(config.host)) options.servername = config.host;
	return options;
}

async function checkCertificate(client: Client, config: ServerConfig, decide?: TrustDecider): Promise<string | undefined> {
	const socket = client.ftp.socket as TLSSocket;
	if (socket.authorized) return undefined;
	const certificate = socket.getPeerCertificate();
	const fingerprint = certificate.fingerprint256;
	if (fingerprint && config.fingerprint && fingerprint.toUpperCase() === config.fingerprint.toUpperCase()) return undefined;
	const authorizationError = socket.authorizationError as unknown;
	const reason = String((authorizationError as Error | undefined)?.message ?? authorizationError ?? 'unknown issuer');
	const question: CertificateQuestion = {
		host: config.host,
		port: config.port,
		fingerprint,
		subject: String(certificate.subject?.CN ?? ''),
		issuer: String(certificate.issuer?.CN ?? ''),
		reason: config.fingerprint ? `its fingerprint is not the trusted ${config.fingerprint}` : reason,
	};
	if (decide && (await decide(question))) return fingerprint;
	throw new UntrustedCertificateError(question);
}

export type ConnectResult = Connected & {trusted?: string};

/**
 * Open and log in one client. Throws a PackratError with one line for a failure that no retry
 * would cure (unknown host, wrong password, untrusted certificate, no TLS offered), and the
 * raw error for faults worth another attempt.
 */
export async function connect(config: ServerConfig, decide?: TrustDecider): Promise<ConnectResult> {
	const client = new Client(config.timeoutMs);
	let trusted: string | undefined;
	try {
		if (config.tls === 'implicit') {
			await client.connectImplicitTLS(config.host, config.port, tlsOptions(config));
			trusted = await checkCertificate(client, config, decide);
		} else {
			await client.connect(config.host, config.port);
			if (config.tls === 'explicit') {
				try {
					await client.useTLS(tlsOptions(config));
				} catch (error) {
					if (error instanceof FTPError) {
						throw new PackratError(
							`${config.host}:${config.port} does not offer TLS (AUTH TLS: ${replyText(error)}): set server.tls none only if an unencrypted connection is acceptable`,
							'connect',
						);
					}

					throw error;
				}

				trusted = await checkCertificate(client, config, decide);
			}
		}

		await client.sendIgnoringError('OPTS UTF8 ON');
		await client.login(config.user, config.password);
		await client.useDefaultSettings();
		const mlsd = (await client.features()).has('MLST');
		return {client, mlsd, tls: config.tls !== 'none', trusted};
	} catch (error) {
		client.close();
		throw error;
	}
}

/** The one line for a connect failure that ends the run. */
export function connectFailure(error: unknown, config: ServerConfig): PackratError {
	if (error instanceof PackratError) return error;
	return new PackratError(describeConnectError(error, config), 'connect');
}
