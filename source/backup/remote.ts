/**
 * One connection to the source: plain, explicit or implicit TLS, with the certificate checked
 * before the password is sent. An untrusted certificate is trusted only by its SHA-256
 * fingerprint, from the settings or from the person answering the question.
 */
import {isIP} from 'node:net';
import type {TLSSocket, ConnectionOptions} from 'node:tls';
import type {TlsMode} from '../settings/keys.js';
import type {CertificateQuestion} from './events.js';
import {PackratError, UntrustedCertificateError, describeConnectError, replyText} from './errors.js';
import {FtpClient} from './ftp/client.js';
import {Control, FtpReplyError, LimitError} from './ftp/control.js';

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

export type Connected = {client: FtpClient; mlsd: boolean; tls: boolean};

function tlsOptions(config: ServerConfig): ConnectionOptions {
	// The verdict is taken below, from socket.authorized, so that a pinned fingerprint can
	// stand in for a chain the system does not know; the password waits for that verdict.
	const options: ConnectionOptions = {rejectUnauthorized: false, host: config.host};
	if (!isIP(config.host)) options.servername = config.host;
	return options;
}

async function checkCertificate(socket: TLSSocket, config: ServerConfig, decide?: TrustDecider): Promise<string | undefined> {
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
 * raw error for faults worth another attempt. `signal` (the run's cancel) ends the connection at
 * once, in whatever step it is.
 */
export async function connect(config: ServerConfig, decide?: TrustDecider, signal?: AbortSignal): Promise<ConnectResult> {
	const tls = config.tls === 'none' ? undefined : tlsOptions(config);
	const {control, greeting} = await Control.open(config.host, config.port, config.timeoutMs, config.tls === 'implicit' ? tls : undefined, signal);
	const client = new FtpClient(control, {host: config.host, timeoutMs: config.timeoutMs, tls});
	let trusted: string | undefined;
	try {
		if (greeting.code !== 220) throw new FtpReplyError(greeting.code, greeting.message);
		if (config.tls === 'explicit') {
			try {
				await control.send('AUTH TLS');
			} catch (error) {
				if (error instanceof FtpReplyError) {
					throw new PackratError(
						`${config.host}:${config.port} does not offer TLS (AUTH TLS: ${replyText(error)}): set server.tls none only if an unencrypted connection is acceptable`,
						'connect',
					);
				}

				throw error;
			}

			await control.upgrade(tls!);
		}

		if (tls) trusted = await checkCertificate(client.socket as TLSSocket, config, decide);

		await control.send('OPTS UTF8 ON').catch(ignoreReply);
		const user = await control.send(`USER ${config.user}`);
		if (user.code === 331 || user.code === 332) await control.send(`PASS ${config.password}`);
		if (tls) await client.protect();
		await control.send('TYPE I');
		const features = await control.send('FEAT').catch(ignoreReply);
		const mlsd = features !== undefined && /^\s*MLST\b/im.test(features.message.split('\n').slice(1).join('\n'));
		if (mlsd) await control.send('OPTS MLST type;size;modify;').catch(ignoreReply);
		return {client, mlsd, tls: config.tls !== 'none', trusted};
	} catch (error) {
		client.close();
		throw error;
	}
}

/** A refusal of an optional command is no fault; a lost connection, or a reply past a limit, still is. */
function ignoreReply(error: unknown): undefined {
	if (error instanceof FtpReplyError && !(error instanceof LimitError)) return undefined;
	throw error;
}

/** The one line for a connect failure that ends the run. */
export function connectFailure(error: unknown, config: ServerConfig): PackratError {
	if (error instanceof PackratError) return error;
	return new PackratError(describeConnectError(error, config), 'connect');
}
