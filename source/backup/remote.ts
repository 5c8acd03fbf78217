/**
 * One connection to the source: plain, explicit or implicit TLS, with the certificate checked
 * before the password is sent. An untrusted certificate is trusted only by its SHA-256
 * fingerprint, from the settings or from the person answering the question.
 */
import {isIP} from 'node:net';
import type {ConnectionOptions, SecureContext, TLSSocket} from 'node:tls';
import type {Peer, TrustDecider} from './certificates.js';
import {PackratError, describeConnectError, replyText} from './errors.js';
import {FtpClient} from './ftp/client.js';
import {Control, FtpReplyError, LimitError} from './ftp/control.js';

export type TlsMode = 'none' | 'explicit' | 'implicit';

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

export type {TrustDecider} from './certificates.js';

export type Connected = {client: FtpClient; mlsd: boolean; tls: boolean};

function tlsOptions(config: ServerConfig, context: SecureContext): ConnectionOptions {
	// The verdict is taken from socket.authorized, at once (certificates.ts), so that a pinned
	// fingerprint can stand in for a chain the system does not know; the password waits for that
	// verdict on the control connection, and a data connection is checked before it is read.
	// One context for the control connection and all its data connections: Node would make one for
	// each (OpenSSL's SSL_CTX_new: 0.25 ms of CPU a data connection over FTPS, measured on vsftpd).
	// It offers the key-exchange group the server chose before first (tls-groups.ts).
	const options: ConnectionOptions = {rejectUnauthorized: false, host: config.host, secureContext: context};
	if (!isIP(config.host)) options.servername = config.host;
	return options;
}

export type ConnectResult = Connected & {trusted?: string};

/**
 * Open and log in one client. Throws a PackratError with one line for a failure that no retry
 * would cure (unknown host, wrong password, untrusted certificate, no TLS offered), and the
 * raw error for faults worth another attempt. `signal` (the run's cancel) ends the connection at
 * once, in whatever step it is.
 */
export async function connect(config: ServerConfig, decide?: TrustDecider, signal?: AbortSignal): Promise<ConnectResult> {
	// The certificate checks and the key-exchange groups are loaded only for TLS: a plain run never needs them.
	const [certificates, groups] = config.tls === 'none' ? [] : await Promise.all([import('./certificates.js'), import('./ftp/tls-groups.js')]);
	// `host:port`: the server as it is named in errors and known to tls-groups.ts.
	const server = `${config.host}:${config.port}`;
	const tls = groups && tlsOptions(config, groups.contextFor(server));
	const {control, greeting} = await Control.open(config.host, config.port, config.timeoutMs, config.tls === 'implicit' ? tls : undefined, signal);
	// Data connections are held to the rule the control connection passed, with the fingerprint it passed by.
	const peer: Peer = {host: config.host, port: config.port, fingerprint: config.fingerprint};
	const verify = (socket: TLSSocket, port: number) => certificates!.checkDataCertificate(socket, peer, port);
	// vsftpd (its greeting names it, unless its administrator changed it) reads nothing from a data
	// connection while it sends a file: packrat's side of a download's may end at once (openData).
	const endEarly = /^220 \(vsFTPd \d/.test(greeting.message);
	const dataTls = tls && {...tls, verify};
	const client = new FtpClient(control, {host: config.host, timeoutMs: config.timeoutMs, tls: dataTls, endEarly});
	let trusted: string | undefined;
	try {
		if (greeting.code !== 220) throw new FtpReplyError(greeting.code, greeting.message);
		if (config.tls === 'explicit') {
			try {
				await control.startTls('AUTH TLS');
			} catch (error) {
				if (error instanceof FtpReplyError) {
					throw new PackratError(
						`${server} does not offer TLS (AUTH TLS: ${replyText(error)}): set server.tls none only if an unencrypted connection is acceptable`,
						'connect',
					);
				}

				throw error;
			}

			await control.upgrade(tls!);
		}

		if (tls) {
			trusted = await certificates!.checkControlCertificate(client.socket as TLSSocket, peer, decide);
			peer.fingerprint = trusted ?? config.fingerprint;
			// A server that took another group than the one offered first: its data connections offer that one first.
			if (groups!.learnGroup(server, client.socket as TLSSocket)) dataTls!.secureContext = groups!.contextFor(server);
		}

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
