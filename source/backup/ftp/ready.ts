/** Waiting for a new socket (a TCP connect, a TLS handshake) with a timeout, a deadline and a cancel. */
import type {Socket} from 'node:net';
import {ConnectionLost, cancelled} from './faults.js';
import {limits} from './limits.js';

/** What can stop a wait: the run's AbortSignal, or a Stopper. */
export type Stop = {
	readonly aborted: boolean;
	addEventListener(type: 'abort', listener: () => void, options?: {once?: boolean}): void;
	removeEventListener(type: 'abort', listener: () => void): void;
};

/**
 * A Stop made for one wait (a data connection being opened): an AbortController's signal is an
 * EventTarget, whose set-up and listeners cost about 10 µs of CPU a file, 50 ms in a pull of
 * 5,000 files. A listener is called once, on the first `abort`.
 */
export class Stopper implements Stop {
	aborted = false;
	private readonly listeners = new Set<() => void>();

	addEventListener(_type: 'abort', listener: () => void): void {
		if (!this.aborted) this.listeners.add(listener);
	}

	removeEventListener(_type: 'abort', listener: () => void): void {
		this.listeners.delete(listener);
	}

	abort(): void {
		if (this.aborted) return;
		this.aborted = true;
		const listeners = [...this.listeners];
		this.listeners.clear();
		for (const listener of listeners) listener();
	}
}

/** `1500` → `1.5 s`. */
export const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Wait for a socket to be ready (`connect`, `secureConnect`), failing on an error, on a close
 * before it, when nothing happens for `timeoutMs`, when it is not done within the reply deadline
 * (a handshake trickled a byte at a time), or on `signal`; a socket that fails is destroyed.
 */
export async function ready(socket: Socket, event: 'connect' | 'secureConnect', timeoutMs: number, what: string, signal?: Stop): Promise<void> {
	socket.setTimeout(timeoutMs);
	const deadlineMs = limits.replyDeadline * timeoutMs;
	await new Promise<void>((resolve, reject) => {
		const settle = (error?: Error) => {
			clearTimeout(deadline);
			signal?.removeEventListener('abort', onAbort);
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
		const onAbort = () => settle(cancelled());
		const deadline = setTimeout(() => settle(new ConnectionLost(`${what}: not done in ${seconds(deadlineMs)} (deadline)`, 'ETIMEDOUT')), deadlineMs);
		socket.once(event, onReady);
		socket.once('error', settle);
		socket.once('close', onClose);
		socket.once('timeout', onTimeout);
		if (signal?.aborted) onAbort();
		else signal?.addEventListener('abort', onAbort, {once: true});
	});
}
