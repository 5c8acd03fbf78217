import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {DiskPace} from '../../source/backup/disk-pace.js';
import {FileSink} from '../../source/backup/file-sink.js';
import {tempDir} from '../helpers/fixture.js';

const pattern = (size: number, seed: number) => {
	const data = Buffer.alloc(size);
	for (let index = 0; index < size; index++) data[index] = (index * 7919 + seed) % 251;
	return data;
};

/** Feed `data` as a data connection does: every chunk in the same buffer, overwritten after each call. */
async function feed(sink: FileSink, data: Buffer, chunkSize: number): Promise<void> {
	const reused = Buffer.alloc(chunkSize);
	for (let offset = 0; offset < data.length; offset += chunkSize) {
		const length = data.copy(reused, 0, offset, Math.min(data.length, offset + chunkSize));
		const wait = sink.write(reused.subarray(0, length));
		reused.fill(0xee); // What a reuse of the read buffer does before the next chunk.
		if (wait) await wait;
	}
}

/**
 * Feed `data` as a plain data connection does once the sink offers a place (Inflow.place): each
 * read lands in `room()`, at most `readSize` and never past the room's end; every third one,
 * as when no place was offered, lands in a buffer of the connection's own and is copied.
 */
async function feedInPlace(sink: FileSink, data: Buffer, readSize: number): Promise<{inPlace: number}> {
	const own = Buffer.alloc(readSize);
	let inPlace = 0;
	const copies = vi.spyOn(Buffer.prototype, 'copy');
	for (let offset = 0, read = 0; offset < data.length; read++) {
		const room = read % 3 === 2 ? undefined : sink.room();
		const into = room ?? own;
		const length = data.copy(into, 0, offset, Math.min(data.length, offset + Math.min(readSize, into.length)));
		// The room's next byte, not the data: a copy of a chunk that lies in place would change nothing, a wrong offset would.
		const next = room && room.length > length ? room[length] : undefined;
		const copiesBefore = copies.mock.calls.length;
		const wait = sink.write(into.subarray(0, length));
		if (room) {
			inPlace++;
			expect(copies.mock.calls.length).toBe(copiesBefore);
			// Nothing was copied: the room left is what lay past this chunk (a full batch goes on; it may come back once written).
			if (next !== undefined) {
				const after = sink.room()!;
				expect(after.buffer === room.buffer ? after.byteOffset : -1).toBe(room.byteOffset + length);
				expect(after[0]).toBe(next);
			}
		}

		own.fill(0xee);
		offset += length;
		if (wait) await wait;
	}

	copies.mockRestore();
	return {inPlace};
}

describe('FileSink', () => {
	for (const pace of ['quick', 'slow'] as const) {
		it(`takes bytes read where it offered (room) without a copy, mixed with copied ones, batch after batch (${pace} disk)`, async () => {
			const folder = await tempDir();
			const disk = new DiskPace(() => 0);
			disk.slow = pace === 'slow';
			// Reads that end batches (256 KiB) exactly, short ones at a batch's end, and one larger than a batch.
			for (const [index, [size, read, gather]] of ([[3 * 1024 * 1024 + 5, 100_000, false], [262_144 * 2, 262_144, false], [900_000, 300_000, false], [50_000, 7000, true]] as const).entries()) {
				const data = pattern(size, 40 + index);
				const sink = new FileSink(join(folder, `p${index}`), false, gather, disk, () => undefined);
				const {inPlace} = await feedInPlace(sink, data, read);
				await sink.finish(1_700_000_100);
				await sink.close();
				expect(inPlace).toBeGreaterThan(0);
				expect(sink.received).toBe(size);
				expect((await readFile(join(folder, `p${index}`))).equals(data)).toBe(true);
			}
		});
	}

	for (const pace of ['quick', 'slow'] as const) {
		it(`writes the exact bytes from a reused read buffer, file after file, large and small (${pace} disk)`, async () => {
			const folder = await tempDir();
			// A clock that never moves: a quick disk stays quick however busy the machine is.
			const disk = new DiskPace(() => 0);
			disk.slow = pace === 'slow';
			// Sizes around the batch (256 KiB) and over the backlog, uneven chunk sizes, several files in turn.
			const files = [[3 * 1024 * 1024 + 17, 65_536, false], [10_000, 4096, true], [262_144, 65_536, true], [700_001, 40_000, false], [0, 1, true]] as const;
			for (const [index, [size, chunk, gather]] of files.entries()) {
				const data = pattern(size, index);
				const sink = new FileSink(join(folder, `f${index}`), false, gather, disk, () => undefined);
				await feed(sink, data, chunk);
				await sink.finish(1_700_000_000 + index);
				await sink.close();
				expect(sink.received).toBe(size);
				expect((await readFile(join(folder, `f${index}`))).equals(data)).toBe(true);
				expect((await stat(join(folder, `f${index}`))).mtimeMs).toBe((1_700_000_000 + index) * 1000);
			}
		});
	}

	it('writes a large file on this thread while the disk is quick, and through the thread pool once it is slow', async () => {
		/** Counts the calls made on this thread. */
		class CountingPace extends DiskPace {
			calls = 0;
			override direct<T>(call: () => T): T {
				this.calls++;
				return super.direct(call);
			}
		}

		const folder = await tempDir();
		const data = pattern(3 * 1024 * 1024, 5);
		for (const slow of [false, true]) {
			// A clock that never moves: no call on a busy machine can look like a stall and turn the disk slow.
			const disk = new CountingPace(() => 0);
			disk.slow = slow;
			const path = join(folder, slow ? 'slow' : 'quick');
			const sink = new FileSink(path, false, false, disk, () => undefined);
			await feed(sink, data, 65_536);
			await sink.finish(1_700_000_000);
			await sink.close();
			expect((await readFile(path)).equals(data)).toBe(true);
			// Quick: the open, twelve batches of 256 KiB, the futimes and the close; slow: none of them here.
			expect(disk.calls).toBe(slow ? 0 : 15);
		}
	});

	it('leaves what came on disk when the transfer fails, for a resume', async () => {
		const folder = await tempDir();
		const data = pattern(600_000, 3);
		const sink = new FileSink(join(folder, 'part'), false, false, new DiskPace(), () => undefined);
		await feed(sink, data, 65_536);
		await sink.close(); // No finish: the connection broke.
		expect((await readFile(join(folder, 'part'))).equals(data)).toBe(true);
	});
});
