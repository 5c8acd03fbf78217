// A download at a chosen pace, for the demo: the bytes of one data connection are let through
// in small pieces, each when the connection's rate allows it, so a run lasts long enough to watch.
import {Transform, type Readable} from 'node:stream';

/** Pieces a second: small enough for the per-connection progress to move smoothly. */
const piecesPerSecond = 20;

/** `stream`, let through at `bytesPerSecond` at most (the source is destroyed with it). */
export function paced(stream: Readable, bytesPerSecond: number): Readable {
	const started = Date.now();
	const piece = Math.max(512, Math.floor(bytesPerSecond / piecesPerSecond));
	let sent = 0;
	let timer: NodeJS.Timeout | undefined;
	const wait = (ms: number) => new Promise<void>(resolve => {
		timer = setTimeout(resolve, ms);
		timer.unref();
	});
	const throttle = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			void (async () => {
				for (let offset = 0; offset < chunk.length && !this.destroyed; offset += piece) {
					const part = chunk.subarray(offset, offset + piece);
					sent += part.length;
					const due = started + (sent / bytesPerSecond) * 1000 - Date.now();
					if (due > 0) await wait(due);
					if (!this.destroyed) this.push(part);
				}
			})().then(() => callback(), callback);
		},
		destroy(error, callback) {
			clearTimeout(timer);
			stream.destroy();
			callback(error);
		},
	});
	stream.on('error', error => throttle.destroy(error));
	return stream.pipe(throttle);
}
