/**
 * Endless answers for the hostile server, bounded for the test's own sake: a flood writes as fast
 * as the other end reads and stops at a cap (so code without a limit fails a test by its figures,
 * not by eating the machine), counting every byte it wrote.
 */
import type {Socket} from 'node:net';

/** Bytes written by floods, summed over every connection that shares it. */
export type Tally = {sent: number};

/**
 * Write `chunk` on `socket` again and again, waiting for the reader, until the socket closes or
 * `capBytes` are written; the socket is then left open and silent. Resolves with the bytes written.
 */
export async function flood(socket: Socket, chunk: string | Buffer, capBytes: number, tally?: Tally): Promise<number> {
	const data = Buffer.from(chunk);
	let sent = 0;
	while (sent < capBytes && !socket.destroyed && socket.writable) {
		const flowing = socket.write(data);
		sent += data.length;
		if (tally) tally.sent += data.length;
		if (!flowing) {
			await new Promise<void>(resolve => {
				const done = () => {
					socket.off('drain', done);
					socket.off('close', done);
					resolve();
				};

				socket.once('drain', done);
				socket.once('close', done);
			});
		}
	}

	return sent;
}

/** `text` repeated up to about `bytes` (whole copies only): a chunk for `flood`. */
export function repeated(text: string, bytes = 64 * 1024): string {
	return text.repeat(Math.max(1, Math.floor(bytes / text.length)));
}
