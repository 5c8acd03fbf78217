import {readdir, readFile, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {bytesPerCall, DiskPace, slowAverageMs, stallMs} from '../../source/backup/disk-pace.js';
import {SafeTree} from '../../source/backup/local.js';
import {tempDir} from '../helpers/fixture.js';

/** A clock the test moves: `takes(ms)` is a call that lasts `ms` on it, however busy the machine is. */
function testClock() {
	let now = 0;
	return {now: () => now, takes: (ms: number) => () => void (now += ms)};
}

describe('DiskPace', () => {
	it('stays direct while calls are quick, even with one call held up a little', () => {
		const clock = testClock();
		const pace = new DiskPace(clock.now);
		for (let index = 0; index < 50; index++) expect(pace.direct(() => index)).toBe(index);
		pace.direct(clock.takes(slowAverageMs * 8)); // Preempted once: not a slow disk.
		expect(pace.slow).toBe(false);
	});

	it('turns to the thread pool, for good, once calls are slow on average', () => {
		const clock = testClock();
		const pace = new DiskPace(clock.now);
		for (let index = 0; index < 40 && !pace.slow; index++) pace.direct(clock.takes(slowAverageMs * 2));
		expect(pace.slow).toBe(true);
		pace.direct(() => 0);
		expect(pace.slow).toBe(true);
	});

	it('counts a large write as the calls its bytes are worth, but still turns on one that stalls', () => {
		const clock = testClock();
		const pace = new DiskPace(clock.now);
		// Ten 256 KiB writes that take twice the slow average: four calls' worth each, so they count as half of it
		// (counted as one call each, ten of them would bring the average to about 0.27 × 0.8 ms, over the bound below).
		for (let index = 0; index < 10; index++) pace.direct(clock.takes(slowAverageMs * 2), 4 * bytesPerCall);
		expect(pace.slow).toBe(false);
		expect(pace.averageMs).toBeLessThan(slowAverageMs / 2);
		pace.direct(clock.takes(stallMs + 1), 4 * bytesPerCall);
		expect(pace.slow).toBe(true);
	});

	it('turns at once on a stalled call, and passes its error on', () => {
		const clock = testClock();
		const pace = new DiskPace(clock.now);
		expect(() => pace.direct(() => {
			clock.takes(stallMs + 1)();
			throw new Error('ENOSPC');
		})).toThrow('ENOSPC');
		expect(pace.slow).toBe(true);
	});

	it('times calls by the real clock unless given one', () => {
		const pace = new DiskPace();
		const until = performance.now() + stallMs + 5;
		pace.direct(() => {
			while (performance.now() < until) {
				// A call the disk holds up past a stall.
			}
		});
		expect(pace.slow).toBe(true);
	});
});

describe('SafeTree on a disk found slow', () => {
	it('makes folders and puts files in place through the thread pool, keeping an older copy as on a quick disk', async () => {
		const root = await tempDir();
		const pace = new DiskPace();
		pace.slow = true;
		const tree = new SafeTree(root, pace);
		const first = join(root, 'first.part');
		await writeFile(first, 'old');
		await utimes(first, 1_700_000_000, 1_700_000_000);
		expect(await tree.place(first, ['u', 'p', 'a.txt'])).toBeUndefined();
		const second = join(root, 'second.part');
		await writeFile(second, 'new');
		const aside = await tree.place(second, ['u', 'p', 'a.txt']);
		expect(aside).toMatch(/^a \(\d{4}-\d{2}-\d{2} \d{6}\)\.txt$/);
		expect(await readFile(join(root, 'u/p/a.txt'), 'utf8')).toBe('new');
		expect(await readFile(join(root, 'u/p', aside!), 'utf8')).toBe('old');
		expect((await readdir(root)).sort()).toEqual(['u']);
	});
});
