/**
 * An FTP control connection that can pipeline: commands written together are answered in
 * order, so the MDTMs of a folder, or the STATs of many folders, cost one round trip, not one
 * each. Replies are read by ReplyReader; 1xx replies are preliminary and skipped; 4xx and 5xx
 * become FtpReplyError. Nothing a server sends can grow without bound or hold a command forever:
 * a line, a reply and the time to answer each have a limit (limits.ts), and passing one closes
 * the connection.
 */
import {connect as connectTcp, type Socket} from 'node:net';
import {connect as connectTls, type ConnectionOptions, type TLSSocket} from 'node:tls';
import {ConnectionLost, FtpReplyError, LimitError, cancelled} from './faults.js';
import {clip, replyLimit, type ReplyLimit} from './limits.js';
import {ready, seconds, type Stopper} from './ready.js';
import {ReplyReader} from './reply-reader.js';

export {ConnectionLost, FtpReplyError, LimitError} from './faults.js';
export {ready} from './ready.js';

export type Reply = {code: number; message: string};

/** A reply awaited: `asked` is its command, or with `named` what it is (the greeting). */
type Waiter = {resolve: (reply: Reply) => void; reject: (error: Error) => void; asked: string; named: boolean; limit: ReplyLimit};

/** How an awaited reply is named in an error (only then: a command is not described for nothing), the password never. */
const what = (waiter?: Waiter) => (!waiter ? 'an unasked reply' : waiter.named ? waiter.asked : /^PASS\b/i.test(waiter.asked) ? 'the reply to PASS' : `the reply to ${waiter.asked}`);

export class Control {
	socket: Socket | TLSSocket;
	closed = false;
	/**
	 * `next`: the next final reply is the last one read in plain text (`AUTH TLS`'s); `sealed`: it
	 * came and accepted, so nothing more is read until the TLS handshake (`upgrade`).
	 */
	private plainEnds?: 'next' | 'sealed';
	private readonly reader = new ReplyReader(
		text => this.settle(text),
		() => this.waiting[0]?.limit ?? replyLimit,
		passed => this.breakOff(new LimitError(`${what(this.waiting[0])} ${passed}; the connection was closed`)),
	);

	private readonly waiting: Waiter[] = [];
	/** A data connection being opened for this connection's transfer: stopped by a cancel (the run's signal). */
	opening?: Stopper;
	private failure?: Error;
	private dataSocket?: Socket;
	/**
	 * The deadline of the reply now awaited (the first waiter's): when it passes
	 * (`performance.now()`) and its length in ms. One timer checks it when it fires and is set
	 * again for what is left, so a reply costs no timer (`timerAt`: when it fires).
	 */
	private deadlineAt = 0;
	private deadlineMs = 0;
	private timer?: NodeJS.Timeout;
	private timerAt = 0;

	/** When the last chunk came (`performance.now()`): the replies in it were whole then, and the next one's deadline starts there. */
	private readAt = 0;
	private readonly onData = (chunk: string) => {
		this.readAt = performance.now();
		this.reader.read(chunk);
	};

	private readonly onError = (error: Error) => this.fail(error);
	private readonly onClose = () => this.fail(new ConnectionLost('the server closed the connection'));
	private readonly onTimeout = () => {
		if (this.waiting.length > 0 && !this.dataSocket) this.breakOff(new ConnectionLost(`no answer from the server in ${Math.round(this.timeoutMs / 1000)} s (timeout)`, 'ETIMEDOUT'));
	};

	private readonly onDeadline = () => {
		this.timer = undefined;
		const head = this.waiting[0];
		if (!head || this.dataSocket || this.closed) return; // Armed again by the next reply awaited, or the data connection's end.
		const left = this.deadlineAt - performance.now();
		if (left > 0) this.setTimer(left);
		else this.breakOff(new ConnectionLost(`${what(head)} was not whole in ${seconds(this.deadlineMs)} (deadline: ${head.limit.deadline} × the timeout)`, 'ETIMEDOUT'));
	};

	private readonly onAbort = () => {
		this.breakOff(cancelled());
		this.opening?.abort();
	};

	private constructor(socket: Socket | TLSSocket, readonly timeoutMs: number, readonly signal?: AbortSignal) {
		this.socket = socket;
		this.attach(socket);
		// Removed when the connection fails or closes: a listener left on a combined signal keeps it alive.
		if (signal?.aborted) this.onAbort();
		else signal?.addEventListener('abort', this.onAbort, {once: true});
	}

	/**
	 * Connect (TLS from the first byte when `tls` is given) and read the greeting. `signal` ends
	 * the connection at once, whatever it is doing, for as long as it lives.
	 */
	static async open(host: string, port: number, timeoutMs: number, tls?: ConnectionOptions, signal?: AbortSignal): Promise<{control: Control; greeting: Reply}> {
		if (signal?.aborted) throw cancelled();
		const socket = tls ? connectTls({...tls, host, port}) : connectTcp({host, port});
		await ready(socket, tls ? 'secureConnect' : 'connect', timeoutMs, `no answer from ${host}:${port}`, signal);
		socket.setNoDelay(true);
		const control = new Control(socket, timeoutMs, signal);
		try {
			const greeting = await control.expect('the greeting');
			return {control, greeting};
		} catch (error) {
			control.close();
			throw error;
		}
	}

	/** The data connection while one is open: the control connection is then quiet by design (no timeout, no deadline); closing ends both. */
	get data(): Socket | undefined {
		return this.dataSocket;
	}

	set data(socket: Socket | undefined) {
		this.dataSocket = socket;
		this.arm();
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

	/** Turn this connection into TLS (after `AUTH TLS` was accepted); the reply reader starts afresh. */
	async upgrade(options: ConnectionOptions): Promise<void> {
		const plain = this.socket;
		this.detach(plain);
		// Plain bytes after the 234: a line begun, a multi-line reply opened. None is a TLS reply.
		this.reader.reset();
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

	/**
	 * Write every command at once; one promise per command, settled in the server's order. With
	 * `limit`, the replies may be as large as it says (a listing by STAT).
	 */
	sendAll(commands: string[], limit = replyLimit): Array<Promise<Reply>> {
		const replies = commands.map(command => this.wait(command, false, limit));
		if (this.failure === undefined) this.socket.write(commands.map(command => `${command}\r\n`).join(''));
		return replies;
	}

	/** The next reply, whatever asked for it (the greeting has no command). */
	expect(name = 'the reply'): Promise<Reply> {
		return this.wait(name, true, replyLimit);
	}

	close(): void {
		this.dataSocket?.destroy();
		if (this.closed) return;
		this.fail(new ConnectionLost('the connection was closed'));
		if (!this.socket.destroyed) this.socket.end('QUIT\r\n');
		this.socket.destroy();
	}

	private wait(asked: string, named: boolean, limit: ReplyLimit): Promise<Reply> {
		if (this.failure) return Promise.reject(this.failure);
		return new Promise((resolve, reject) => {
			this.waiting.push({resolve, reject, asked, named, limit});
			if (this.waiting.length === 1) this.arm();
		});
	}

	/**
	 * Start the deadline of the reply now awaited afresh. The timer is set only when none would
	 * fire by then; one left running while nothing is awaited, or data flows, stops when it fires.
	 */
	private arm(now = performance.now()): void {
		const head = this.waiting[0];
		if (!head || this.dataSocket || this.closed) return;
		this.deadlineMs = head.limit.deadline * this.timeoutMs;
		this.deadlineAt = now + this.deadlineMs;
		if (!this.timer || this.timerAt > this.deadlineAt) this.setTimer(this.deadlineMs);
	}

	private setTimer(ms: number): void {
		clearTimeout(this.timer);
		this.timerAt = performance.now() + ms;
		this.timer = setTimeout(this.onDeadline, Math.ceil(ms)).unref();
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

	private settle(text: string): void {
		const code = Number(text.slice(0, 3));
		if (code < 200) return; // Preliminary (150, 125): the final reply follows.
		const waiter = this.waiting.shift();
		if (!waiter) return; // Unasked (a 421 before closing): the close that follows tells.
		if (this.plainEnds === 'next' && code < 400) {
			this.plainEnds = 'sealed';
			this.reader.seal();
		}

		this.arm(this.readAt);
		// A refusal is shown and logged: a long one is cut (a listing by STAT is a success, whole).
		if (code >= 400) waiter.reject(new FtpReplyError(code, clip(text)));
		else waiter.resolve({code, message: text});
	}

	/** End the connection at once for `error` (a limit, a deadline, a cancel): every waiter gets it. */
	private breakOff(error: Error): void {
		this.fail(error);
		this.dataSocket?.destroy();
		this.socket.destroy();
	}

	private fail(error: Error): void {
		this.failure ??= error;
		this.closed = true;
		clearTimeout(this.timer);
		this.timer = undefined;
		this.signal?.removeEventListener('abort', this.onAbort);
		for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
	}
}
