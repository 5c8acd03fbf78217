import {describe, expect, it} from 'vitest';
import {DiskPace, slowAverageMs, stallMs} from '../../source/backup/disk-pace.js';

const busy = (ms: number) => {
	const until = performance.now() + ms;
	while (performance.now() < until) {
		// Stand-in for a system call that the disk holds up.
	}
};

describe('DiskPace', () => {
	it('stays direct while calls are quick, even with one call held up a little', () => {
		const pace = new DiskPace();
		for (let index = 0; index < 50; index++) expect(pace.direct(() => index)).toBe(index);
		pace.direct(() => busy(slowAverageMs * 8)); // Preempted once: not a slow disk.
		expect(pace.slow).toBe(false);
	});

	it('turns to the thread pool, for good, once calls are slow on average', () => {
		const pace = new DiskPace();
		for (let index = 0; index < 40 && !pace.slow; index++) pace.direct(() => busy(slowAverageMs * 2));
		expect(pace.slow).toBe(true);
		pace.direct(() => 0);
		expect(pace.slow).toBe(true);
	});

	it('turns at once on a stalled call, and passes its error on', () => {
		const pace = new DiskPace();
		expect(() => pace.direct(() => {
			busy(stallMs + 1);
			throw new Error('ENOSPC');
		})).toThrow('ENOSPC');
		expect(pace.slow).toBe(true);
	});
});
