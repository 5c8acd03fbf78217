/**
 * The batches a download is gathered in (file-sink.ts): buffers of one size, handed from one
 * download to the next, and the writes that put their parts on disk whole.
 */
import {writevSync} from 'node:fs';

/** The size of a batch buffer; a sink starts a write once this much waits (file-sink.ts). */
export const batch = 256 * 1024;

/**
 * Batch buffers no sink holds, for the next: every download, small or large, fills the same few
 * (a new buffer per file left thousands of dead ones to the GC, 25 MiB at a time).
 */
const spare: Buffer[] = [];
const spareLimit = 16;

/** A batch to fill: one no sink holds, or a new one. */
export const newBatch = (): Buffer => spare.pop() ?? Buffer.allocUnsafe(batch);

/** The whole batch buffer behind a part, when the part is of one. */
export const batchOf = (part: Buffer) => (part.buffer.byteLength === batch ? Buffer.from(part.buffer, 0, batch) : undefined);

/** Give back the batch buffers behind these parts: no write reads them now, nor will. */
export function release(parts: readonly Buffer[]): void {
	for (const part of parts) {
		const whole = batchOf(part);
		if (whole && spare.length < spareLimit && !spare.some(held => held.buffer === whole.buffer)) spare.push(whole);
	}
}

/** Write all of `parts` now (a short write, rare on some file systems, is followed by the rest). */
export function writeAllSync(fd: number, parts: readonly Buffer[]): void {
	if (parts.length === 0) return;
	for (let rest = unwritten(parts, writevSync(fd, parts)); rest.length > 0;) rest = rest.subarray(writevSync(fd, [rest]));
}

/** What a short write (rare, on some file systems) left of `parts`, as one buffer; empty when all went. */
export function unwritten(parts: readonly Buffer[], written: number): Buffer {
	let total = 0;
	for (const part of parts) total += part.length;
	return written < total ? Buffer.concat(parts).subarray(written) : Buffer.alloc(0);
}
