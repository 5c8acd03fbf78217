/**
 * Passive data connections: EPSV where the server has it, else PASV (whose address is ignored
 * for the control connection's host, so a server cannot send packrat's bytes elsewhere), with
 * TLS resumed from the control session when the data channel is protected.
 */
import {connect as connectTcp, type Socket} from 'node:net';
import {connect as connectTls, type ConnectionOptions, type TLSSocket} from 'node:tls';
import {ConnectionLost, FtpReplyError, ready, type Reply} from './control.js';
import {limits, sizeText} from './limits.js';
import {seconds, type Stop} from './ready.js';

/** The port of a 229 (`(|||port|)`) or 227 (`(h1,h2,h3,h4,p1,p2)`) reply. */
export function passivePort(reply: Reply): number {
	const extended = /\(([^\d])\1\1(\d+)\1\)/.exec(reply.message);
	if (extended) return Number(extended[2]);
	const classic = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(reply.message);
	if (classic) return Number(classic[5]) * 256 + Number(classic[6]);
	throw new FtpReplyError(500, `cannot read a data port in the server's reply: ${reply.message}`);
}

/**
 * Where a plain data connection reads when no download offers a place of its own (a listing, a
 * verify's sample; see Inflow.place): one buffer for good, instead of a new one per read (not a
 * page-faulted allocation for every read). What reads it must copy what it keeps before
 * returning. 256 KiB, a file batch: when downloads were read here and copied, a 1 GB pull (4
 * connections, 5-6 rounds, median) took 1.20 s with 64 KiB reads, 0.87 s with 128 KiB, 0.78 s
 * with 256 KiB and 1.04 s with 1 MiB (four of those no longer fit a CPU's cache).
 */
const inflowBytes = 256 * 1024;

export class Inflow {
	readonly buffer = Buffer.allocUnsafe(inflowBytes);
	/** Returns false to pause the socket. */
	handler?: (chunk: Buffer) => boolean;
	/** Copies of anything read before a handler was there to take it. */
	early: Buffer[] = [];
	/**
	 * Where the download being read wants its next bytes (the free end of its file's batch, see
	 * FileSink.room), when it offers a place: they are then read there, not into this buffer and
	 * copied (a 1 GB pull, 5 alternated: user CPU 0.28 -> 0.22 s, wall 0.87 -> 0.82 s, medians).
	 * Asked for as each socket opens and after each read; set for one download's connection only.
	 */
	place?: () => Buffer | undefined;
	readonly onread = {
		buffer: () => this.place?.() ?? this.buffer,
		callback: (size: number, buffer: Buffer) => {
			const chunk = buffer.subarray(0, size);
			if (this.handler) return this.handler(chunk);
			this.early.push(Buffer.from(chunk));
			return true;
		},
	};
}

/**
 * TLS for a data connection: the control connection's options, its session to resume, and the
 * check of who answered (it throws to refuse the connection).
 */
export type DataTls = ConnectionOptions & {session?: Buffer; verify: (socket: TLSSocket, port: number) => void};

/**
 * Connect to the data port; TLS (resuming `session`) when `tls` is given, else reading into
 * `inflow`'s buffer. A TLS connection is checked by `tls.verify` as soon as its handshake is
 * done, before anything reads it; one that fails is destroyed unread. `signal` gives up at once.
 *
 * `endAtOnce`: end packrat's side (TLS close_notify, then FIN) as soon as the connection is open
 * (and checked). A download's data connection carries nothing from packrat, and vsftpd waits for
 * packrat's end after sending a file before its 226: one round trip a file, saved when the end is
 * already there. Only for servers known not to read a data connection while they send on it
 * (remote.ts): one that takes the end for an abort would cut the file (then caught by its size).
 */
export async function openData(host: string, port: number, timeoutMs: number, tls?: DataTls, inflow?: Inflow, signal?: Stop, endAtOnce = false): Promise<Socket | TLSSocket> {
	if (inflow) {
		inflow.handler = undefined;
		inflow.early = [];
	}

	// Half-open allowed: the server's end of the data is the end of the download, and readData then
	// closes the socket at once (servers wait for that before their 226); ending it first, as a
	// half-closed socket does by itself, would cost a shutdown call per file for nothing.
	const {verify, ...options} = tls ?? {};
	const socket = tls ? connectTls({...options, host, port}) : connectTcp({host, port, allowHalfOpen: true, ...(inflow ? {onread: inflow.onread} : {})});
	await ready(socket, tls ? 'secureConnect' : 'connect', timeoutMs, `the data connection to port ${port} was not opened`, signal);
	if (verify) {
		// In the same turn as the handshake's end: no 'data' listener yet, so nothing was read.
		try {
			verify(socket as TLSSocket, port);
		} catch (error) {
			socket.destroy();
			throw error;
		}
	}

	socket.on('timeout', () => socket.destroy(new ConnectionLost(`the data connection stalled for ${Math.round(timeoutMs / 1000)} s (timeout)`, 'ETIMEDOUT')));
	if (endAtOnce) socket.end();
	return socket;
}

/**
 * How long a data connection may take (SPEC: bounded time): the low-speed rule, as curl's
 * `--speed-limit`/`--speed-time` (fewer than `limits.lowSpeedBytesPerSecond` over a window of
 * `windowMs`, the idle timeout, fails it; not judged while packrat itself holds the socket for
 * the disk), and for a listing an overall deadline.
 */
export type Pace = {windowMs: number; deadlineMs?: number};

/**
 * Read a data connection to its end, handing each chunk to `take`; a promise from `take` holds
 * the socket paused until it settles (the disk sets the pace). With `inflow`, chunks are views
 * of its one buffer, valid only during the call. A trickle or a stall fails it (ETIMEDOUT, a
 * fault worth another attempt).
 */
export async function readData(socket: Socket, take: (chunk: Buffer) => void | Promise<void>, inflow: Inflow | undefined, pace: Pace): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		let failed = false;
		let ended = false;
		/** Bytes in this window, and whether packrat held the socket in it (the disk was behind). */
		let window = 0;
		let held = false;
		let heldInWindow = false;
		const minimum = (limits.lowSpeedBytesPerSecond * pace.windowMs) / 1000;
		/** The socket's idle timeout (set when it opened), off while packrat holds the socket. */
		const idleMs = socket.timeout ?? 0;
		const judge = setInterval(() => {
			if (window < minimum && !held && !heldInWindow) {
				fail(new ConnectionLost(`the data connection brought ${window} bytes in ${seconds(pace.windowMs)}, slower than ${sizeText(limits.lowSpeedBytesPerSecond)}/s (low-speed limit)`, 'ETIMEDOUT'));
			}

			window = 0;
			heldInWindow = held;
		}, pace.windowMs).unref();
		const deadline = pace.deadlineMs === undefined ? undefined : setTimeout(() => {
			fail(new ConnectionLost(`the data connection was not done in ${seconds(pace.deadlineMs!)} (deadline: ${limits.listingDeadline} × the timeout)`, 'ETIMEDOUT'));
		}, pace.deadlineMs).unref();
		const stop = () => {
			clearInterval(judge);
			clearTimeout(deadline);
			// Only this reader's: a socket that closes late (after a refusal) must not take the next one's.
			if (inflow?.handler === onChunk) inflow.handler = undefined;
		};

		const fail = (error: Error) => {
			if (failed || ended) return;
			failed = true;
			stop();
			socket.destroy();
			reject(error);
		};

		/** False: paused until `take`'s promise settles. */
		const onChunk = (chunk: Buffer): boolean => {
			if (failed) return true;
			window += chunk.length;
			try {
				const pending = take(chunk);
				if (!pending) return true;
				held = true;
				heldInWindow = true;
				// Paused for the disk, the socket is quiet by packrat's doing: no idle timeout until it reads again.
				socket.setTimeout(0);
				pending.then(() => {
					held = false;
					socket.setTimeout(idleMs);
					socket.resume();
				}, fail);
				return false;
			} catch (error) {
				fail(error as Error);
				return true;
			}
		};

		if (inflow) {
			// Whatever came before this reader (the server is quick) goes first, in order.
			const early = inflow.early.splice(0);
			let paused = false;
			for (const chunk of early) paused = !onChunk(chunk) || paused;
			if (paused) socket.pause();
			inflow.handler = onChunk;
		} else {
			socket.on('data', (chunk: Buffer) => {
				if (!onChunk(chunk)) socket.pause();
			});
		}

		socket.once('error', fail);
		socket.once('end', () => {
			if (failed) return;
			ended = true;
			stop();
			socket.destroy();
			resolve();
		});
		socket.once('close', () => {
			if (!ended) fail(new ConnectionLost('the data connection closed before its end'));
		});
	});
}
