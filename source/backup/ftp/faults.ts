/**
 * How an FTP request fails: the server's refusal (FtpReplyError), the connection's own fault
 * (ConnectionLost, worth another attempt), or a limit the server's answer passed (LimitError).
 */

/** A final reply of 400 or more. `message` is the whole reply as the server sent it. */
export class FtpReplyError extends Error {
	constructor(readonly code: number, message: string) {
		super(message);
		this.name = 'FtpReplyError';
	}
}

/** A fault of the connection itself (closed, timed out); always worth another attempt. */
export class ConnectionLost extends Error {
	readonly code: string;
	constructor(message: string, code = 'ECONNRESET') {
		super(message);
		this.code = code;
	}
}

/**
 * A limit passed (a reply line, a reply, a listing, a download's size): a permanent failure of
 * that request, not retried, as the server would only do it again. Code 0: no server sent it;
 * being an FtpReplyError, it stands in place of the one request, as a refusal does.
 */
export class LimitError extends FtpReplyError {
	constructor(message: string) {
		super(0, message);
		this.name = 'LimitError';
	}
}

/** The run was cancelled while this connection was in use: not a fault, never retried. */
export const cancelled = () => new ConnectionLost('cancelled', 'ABORT_ERR');
