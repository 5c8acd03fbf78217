/**
 * An FTP control connection that can pipeline: commands written together are answered in
 * order, so the MDTMs of a folder, or the STATs of many folders, cost one round trip, not one
 * each. Replies are parsed as RFC 959 says (a multi-line reply ends at `ddd ` with its opening
 * code); 1xx replies are preliminary and skipped; 4xx and 5xx become FtpReplyError.
 */
import {connect as connectTcp, type Socket} from 'node:net';
import {connect as connectTls, type ConnectionOptions, type TLSSocket} from 'node:tls';

export type Reply = {code: number; message: string};

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
 * Wait for a socket to be ready (`connect`, `secureConnect`), failing on an error, on a close
 * before it, or when nothing happens for `timeoutMs`; a socket that fails is destroyed.
 */
export async function ready(socket: Socket, event: 'connect' | 'secureConnect', timeoutMs: number, what: string): Promise<void> {
	socket.setTimeout(timeoutMs);
	await new Promise<void>((resolve, reject) => {
		const settle = (error?: Error) => {
			socket.off(event, onReady);
			socket.off('error', settle);
			socket.off('close', onClose);
			socket.off('timeout', onTimeout);
			if (!error) {
				resolve();
				return;
			}

			socket.destroy();
			reject(error);
		};

		const onReady = () => settle();
		const onClose = () => settle(new ConnectionLost(`${what}: the connection was closed`));
		const onTimeout = () => settle(new ConnectionLost(`${what} in ${Math.round(timeoutMs / 1000)} s (timeout)`, 'ETIMEDOUT'));
		socket.once(event, onReady);
		socket.once('error', settle);
		socket.once('close', onClose);
		socket.once('timeout', onTimeout);
	});
}

type Waiter = {resolve: (reply: Reply) => void; reject: (error: Error) => void};

export class Control {
	socket: Socket | TLSSocket;
	closed = false;
	/** The data connection while one is open: the control connection is then quiet by design, and closing ends both. */
	data?: Socket;
	private buffer = '';
	private lines: string[] = [];
	private opening = '';
	/**
	 * `next`: the next final reply is the last one read in plain text (`AUTH TLS`'s); `sealed`: it
	 * came and accepted, so nothing more is read until the TLS handshake (`upgrade`).
	 */
	private plainEnds?: 'next' | 'sealed';
	private readonly waiting: Waiter[] = [];
	private failure?: Error;

	private readonly onData = (chunk: string) => this.read(chunk);
	private readonly onError = (error: Error) => this.fail(error);
	private readonly onClose = () => this.fail(new ConnectionLost('the server closed the connection'));
	private readonly onTimeout = () => {
		if (this.waiting.length > 0 && !this.data) {
			this.fail(new ConnectionLost(`no answer from the server in ${Math.round(this.timeoutMs / 1000)} s (timeout)`, 'ETIMEDOUT'));
			this.socket.destroy();
		}
	};

	private constructor(socket: Socket | TLSSocket, readonly timeoutMs: number) {
		this.socket = socket;
		this.attach(socket);
	}

	/** Connect (TLS from the first byte when `tls` is given) and read the greeting. */
	static async open(host: string, port: number, timeoutMs: number, tls?: ConnectionOptions): Promise<{control: Control; greeting: Reply}> {
		const socket = tls ? connectTls({...tls, host, port}) : connectTcp({host, port});
		await ready(socket, tls ? 'secureConnect' : 'connect', timeoutMs, `no answer from ${host}:${port}`);
		socket.setNoDelay(true);
		const control = new Control(socket, timeoutMs);
		try {
			const greeting = await control.expect();
			return {control, greeting};
		} catch (error) {
			control.close();
			throw error;
		}
	}

	/**
	 * Send `AUTH TLS` (or `AUTH SSL`); its reply is the last read in plain text. Once it is a
	 * success, whatever else the server (or anyone in the path) sent unencrypted is dropped, never
	 * read as a reply: `upgrade` must follow.
	 */
	async startTls(command: string): Promise<Reply> {
		this.plainEnds = 'next';
		try {
			return await this.send(command);
		} finally {
			if (this.plainEnds === 'next') this.plainEnds = undefined; // Refused: plain text goes on.
		}
	}

	/** Turn this connection into TLS (after `AUTH TLS` was accepted); the reply parser starts afresh. */
	async upgrade(options: ConnectionOptions): Promise<void> {
		const plain = this.socket;
		this.detach(plain);
		// Plain bytes after the 234: a line begun, a multi-line reply opened. None is a TLS reply.
		this.buffer = '';
		this.lines = [];
		this.opening = '';
		// Node hands bytes still in the plain socket's read queue to the TLS layer (as records): none may
		// be there (they would fail the handshake at best), so they are dropped here too.
		while (plain.readableLength > 0 && plain.read() !== null);
		const secure = connectTls({...options, socket: plain});
		try {
			await ready(secure, 'secureConnect', this.timeoutMs, 'the TLS handshake got no answer');
		} catch (error) {
			this.fail(error as Error);
			throw error;
		}

		this.plainEnds = undefined;
		this.socket = secure;
		this.attach(secure);
	}

	/** Send one command; resolves with its final reply, rejects on 4xx/5xx or a lost connection. */
	async send(command: string): Promise<Reply> {
		return this.sendAll([command])[0]!;
	}

	/** Write every command at once; one promise per command, settled in the server's order. */
	sendAll(commands: string[]): Array<Promise<Reply>> {
		const replies = commands.map(() => this.expect());
		if (this.failure === undefined) this.socket.write(commands.map(command => `${command}\r\n`).join(''));
		return replies;
	}

	/** The next reply, whatever asked for it (the greeting has no command). */
	expect(): Promise<Reply> {
		if (this.failure) return Promise.reject(this.failure);
		return new Promise((resolve, reject) => this.waiting.push({resolve, reject}));
	}

	close(): void {
		this.data?.destroy();
		if (this.closed) return;
		this.fail(new ConnectionLost('the connection was closed'));
		if (!this.socket.destroyed) this.socket.end('QUIT\r\n');
		this.socket.destroy();
	}

	private attach(socket: Socket): void {
		socket.setEncoding('utf8');
		socket.setTimeout(this.timeoutMs);
		socket.on('data', this.onData);
		socket.on('error', this.onError);
		socket.on('close', this.onClose);
		socket.on('timeout', this.onTimeout);
	}

	private detach(socket: Socket): void {
		socket.off('data', this.onData);
		socket.off('error', this.onError);
		socket.off('close', this.onClose);
		socket.off('timeout', this.onTimeout);
	}

	private sealed(): boolean {
		return this.plainEnds === 'sealed';
	}

	private read(chunk: string): void {
		if (this.sealed()) return;
		this.buffer += chunk;
		let start = 0;
		for (let end = this.buffer.indexOf('\n', start); end >= 0; end = this.buffer.indexOf('\n', start)) {
			const line = this.buffer.charCodeAt(end - 1) === 13 ? this.buffer.slice(start, end - 1) : this.buffer.slice(start, end);
			start = end + 1;
			this.line(line);
			if (this.sealed()) {
				this.buffer = '';
				return;
			}
		}

		this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
	}

	private line(line: string): void {
		if (this.opening === '') {
			if (!/^\d{3}[ -]/.test(line)) return; // Not a reply: a stray line before one.
			if (line[3] === '-') {
				this.opening = line.slice(0, 3);
				this.lines.push(line);
				return;
			}

			this.settle(line);
			return;
		}

		this.lines.push(line);
		if (line.startsWith(this.opening) && line[3] === ' ') {
			const text = this.lines.join('\n');
			this.lines = [];
			this.opening = '';
			this.settle(text);
		}
	}

	private settle(text: string): void {
		const code = Number(text.slice(0, 3));
		if (code < 200) return; // Preliminary (150, 125): the final reply follows.
		const waiter = this.waiting.shift();
		if (!waiter) return; // Unasked (a 421 before closing): the close that follows tells.
		if (this.plainEnds === 'next' && code < 400) this.plainEnds = 'sealed';
		if (code >= 400) waiter.reject(new FtpReplyError(code, text));
		else waiter.resolve({code, message: text});
	}

	private fail(error: Error): void {
		this.failure ??= error;
		this.closed = true;
		for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
	}
}
