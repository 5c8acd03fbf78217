/**
 * An FTP control connection that can pipeline: commands written together are answered in
 * order, so the MDTMs of a folder, or the STATs of many folders, cost one round trip, not one
 * each. Replies are parsed as RFC 959 says (a multi-line reply ends at `ddd ` with its opening
 * code); 1xx replies are preliminary and skipped; 4xx and 5xx become FtpReplyError. Nothing a
 * server sends can grow without bound or hold a command forever: a line, a reply and the time to
 * answer each have a limit (limits.ts), and passing one closes the connection.
 */
import {connect as connectTcp, type Socket} from 'node:net';
import {connect as connectTls, type ConnectionOptions, type TLSSocket} from 'node:tls';
import {ConnectionLost, FtpReplyError, LimitError, cancelled} from './faults.js';
import {clip, limits, replyLimit, sizeText, type ReplyLimit} from './limits.js';
import {ready, seconds} from './ready.js';

export {ConnectionLost, FtpReplyError, LimitError} from './faults.js';
export {ready} from './ready.js';

export type Reply = {code: number; message: string};

type Waiter = {resolve: (reply: Reply) => void; reject: (error: Error) => void; what: string; limit: ReplyLimit};

/** How a command is named in an error: the password never. */
const described = (command: string) => (/^PASS\b/i.test(command) ? 'the reply to PASS' : `the reply to ${command}`);

export class Control {
	socket: Socket | TLSSocket;
	closed = false;
	/** The end of a line not yet whole, in pieces (joined once, when its end comes), and its length. */
	private partial: string[] = [];
	private partialLength = 0;
	private lines: string[] = [];
	private replyLength = 0;
	private opening = '';
	private readonly waiting: Waiter[] = [];
	private failure?: Error;
	private dataSocket?: Socket;
	/** The deadline of the reply now awaited (the first waiter's), and its length in ms. */
	private timer?: NodeJS.Timeout;
	private timerMs = 0;

	private readonly onData = (chunk: string) => this.read(chunk);
	private readonly onError = (error: Error) => this.fail(error);
	private readonly onClose = () => this.fail(new ConnectionLost('the server closed the connection'));
	private readonly onTimeout = () => {
		if (this.waiting.length > 0 && !this.dataSocket) this.breakOff(new ConnectionLost(`no answer from the server in ${Math.round(this.timeoutMs / 1000)} s (timeout)`, 'ETIMEDOUT'));
	};

	private readonly onDeadline = () => {
		const head = this.waiting[0];
		if (head && !this.dataSocket) this.breakOff(new ConnectionLost(`${head.what} was not whole in ${seconds(this.timerMs)} (deadline: ${head.limit.deadline} × the timeout)`, 'ETIMEDOUT'));
	};

	private readonly onAbort = () => this.breakOff(cancelled());

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

	/** Turn this connection into TLS (after `AUTH TLS` was accepted). */
	async upgrade(options: ConnectionOptions): Promise<void> {
		const plain = this.socket;
		this.detach(plain);
		const secure = connectTls({...options, socket: plain});
		try {
			await ready(secure, 'secureConnect', this.timeoutMs, 'the TLS handshake got no answer');
		} catch (error) {
			this.fail(error as Error);
			throw error;
		}

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
		const replies = commands.map(command => this.wait(described(command), limit));
		if (this.failure === undefined) this.socket.write(commands.map(command => `${command}\r\n`).join(''));
		return replies;
	}

	/** The next reply, whatever asked for it (the greeting has no command). */
	expect(what = 'the reply'): Promise<Reply> {
		return this.wait(what, replyLimit);
	}

	close(): void {
		this.dataSocket?.destroy();
		if (this.closed) return;
		this.fail(new ConnectionLost('the connection was closed'));
		if (!this.socket.destroyed) this.socket.end('QUIT\r\n');
		this.socket.destroy();
	}

	private wait(what: string, limit: ReplyLimit): Promise<Reply> {
		if (this.failure) return Promise.reject(this.failure);
		return new Promise((resolve, reject) => {
			this.waiting.push({resolve, reject, what, limit});
			if (this.waiting.length === 1) this.arm();
		});
	}

	/** Start the deadline of the reply now awaited afresh; none while nothing is, or while data flows. */
	private arm(): void {
		clearTimeout(this.timer);
		const head = this.waiting[0];
		this.timerMs = head ? head.limit.deadline * this.timeoutMs : 0;
		this.timer = head && !this.dataSocket && !this.closed ? setTimeout(this.onDeadline, this.timerMs).unref() : undefined;
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

	/**
	 * Lines out of a chunk. Only the new chunk is searched for line ends; the start of a line not
	 * yet ended is held in pieces, joined once when its end comes, and never past the line limit.
	 */
	private read(chunk: string): void {
		let start = 0;
		for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
			let line = chunk.slice(start, end);
			start = end + 1;
			if (this.partialLength > 0) {
				line = this.partial.join('') + line;
				this.partial = [];
				this.partialLength = 0;
			}

			if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
			if (line.length > limits.replyLine) {
				this.tooLong();
				return;
			}

			this.line(line);
			if (this.closed) return;
		}

		if (start === chunk.length) return;
		this.partialLength += chunk.length - start;
		if (this.partialLength > limits.replyLine + 1) this.tooLong(); // +1: the CR before the end.
		else this.partial.push(start === 0 ? chunk : chunk.slice(start));
	}

	private tooLong(): void {
		this.breakOff(new LimitError(`${this.waiting[0]?.what ?? 'an unasked reply'} has a line longer than the limit of ${sizeText(limits.replyLine)}; the connection was closed`));
	}

	private line(line: string): void {
		if (this.opening === '') {
			if (!/^\d{3}[ -]/.test(line)) return; // Not a reply: a stray line before one.
			if (line[3] === '-') {
				this.opening = line.slice(0, 3);
				this.lines.push(line);
				this.replyLength = line.length;
				return;
			}

			this.settle(line);
			return;
		}

		this.lines.push(line);
		this.replyLength += line.length + 1;
		if (line.startsWith(this.opening) && line[3] === ' ') {
			const text = this.lines.join('\n');
			this.lines = [];
			this.opening = '';
			this.settle(text);
			return;
		}

		const {what, limit} = this.waiting[0] ?? {what: 'an unasked reply', limit: replyLimit};
		if (this.lines.length >= limit.lines || this.replyLength > limit.bytes) {
			const size = `${sizeText(limit.bytes)} or ${limit.listing ? `${(limit.lines - 2).toLocaleString('en')} entries` : `${limit.lines.toLocaleString('en')} lines`}`;
			this.breakOff(new LimitError(`${what} passed the limit of ${size}; the connection was closed`));
		}
	}

	private settle(text: string): void {
		const code = Number(text.slice(0, 3));
		if (code < 200) return; // Preliminary (150, 125): the final reply follows.
		const waiter = this.waiting.shift();
		if (!waiter) return; // Unasked (a 421 before closing): the close that follows tells.
		this.arm();
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
