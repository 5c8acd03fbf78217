/**
 * The error vocabulary of a run: which failures are worth a retry, and the one line a person
 * reads for each, naming the cause and the fix. No stack trace ever reaches a user.
 */
import type {CertificateQuestion} from './events.js';
import {ConnectionLost, FtpReplyError} from './ftp/control.js';

/** An error whose message is already the one line to show. */
export class PackratError extends Error {
	/** `setting`: for a `config` fault, the settings key to change. */
	constructor(message: string, readonly code: 'config' | 'connect' | 'server' | 'local' | 'lock' | 'trust' = 'server', readonly setting?: string) {
		super(message);
		this.name = 'PackratError';
	}
}

export class UntrustedCertificateError extends PackratError {
	constructor(readonly question: CertificateQuestion) {
		super(
			`the certificate of ${question.host}:${question.port} is not trusted (${question.reason}); its SHA-256 fingerprint is ${question.fingerprint}. If you trust it: packrat config set server.fingerprint ${question.fingerprint}`,
			'trust',
		);
	}
}

export class CancelledError extends Error {
	constructor() {
		super('cancelled');
		this.name = 'CancelledError';
	}
}

/** A fault that another attempt may cure, raised by packrat itself (a file that changed mid-transfer). */
export class TransientError extends Error {}

const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNABORTED', 'EAI_AGAIN']);
/** What TLS says when the other end answers in plain text: no TLS server at that port. */
const notTlsCodes = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

export function ftpCode(error: unknown): number | undefined {
	return error instanceof FtpReplyError ? error.code : undefined;
}

/**
 * True for failures that a reconnect and a later attempt may cure: 4xx replies, a connection
 * lost, and network faults, each known by its type or its code, never by its text.
 */
export function isTransient(error: unknown): boolean {
	if (error instanceof TransientError || error instanceof ConnectionLost) return true;
	if (error instanceof PackratError || error instanceof CancelledError) return false;
	const code = ftpCode(error);
	if (code !== undefined) return code >= 400 && code < 500;
	const nodeCode = (error as NodeJS.ErrnoException | undefined)?.code;
	return nodeCode !== undefined && transientCodes.has(nodeCode);
}

/** The server's reply text of an FTP error, or the error's message, on one line. */
export function replyText(error: unknown): string {
	if (error instanceof FtpReplyError) return error.message.replace(/\s+/g, ' ').trim();
	return String((error as Error | undefined)?.message ?? error).split('\n')[0]!.trim();
}

/** The one line for a failure to connect or log in, with the fix. */
export function describeConnectError(error: unknown, where: {host: string; port: number; user: string; tls: string}): string {
	if (error instanceof PackratError) return error.message;
	const code = (error as NodeJS.ErrnoException).code;
	const target = `${where.host}:${where.port}`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `unknown host ${where.host}: check server.host (packrat config set server.host NAME)`;
	if (code === 'ECONNREFUSED') return `${target} refused the connection: is the FTP server running there, and is server.port right?`;
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${target} cannot be reached from this machine: check the network and server.host`;
	if (code === 'ETIMEDOUT') return `${target} did not answer in time: check server.host, server.port and any firewall`;
	if (code !== undefined && notTlsCodes.has(code)) {
		return `${target} did not start TLS (${(error as {reason?: string}).reason ?? replyText(error)}): with server.tls ${where.tls}, check server.port or set server.tls to what the server offers`;
	}

	const reply = ftpCode(error);
	if (reply === 530) return `the server refused the login of user ${where.user} (${replyText(error)}): check server.user and the password (PACKRAT_PASSWORD, ~/.netrc or server.password)`;
	if (reply === 421) return `${target} has too many connections (${replyText(error)}): lower connections or try later`;
	return `${target}: ${replyText(error)}`;
}

/** The one line a person reads for any error: a PackratError's message, else the first line with its code. */
export function oneLine(error: unknown): string {
	if (error instanceof PackratError) return error.message;
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const message = String((error as Error | undefined)?.message ?? error).split('\n')[0]!;
	return code && !message.includes(code) ? `${message} (${code})` : message;
}
