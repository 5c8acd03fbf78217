import {describe, expect, it} from 'vitest';
import {DiskPace, slowMs} from '../../source/backup/disk-pace.js';

const busy = (ms: number) => {
	const until = performance.now() + ms;
	while (performance.now() < until) {
		// Stand-in for a system call that the disk holds up.
	}
};

describe('DiskPace', () => {
	it('stays direct while calls are quick, and turns to the thread pool after one slow call, for good', () => {
		const pace = new DiskPace();
		for (let index = 0; index < 50; index++) expect(pace.direct(() => index)).toBe(index);
		expect(pace.slow).toBe(false);
		pace.direct(() => busy(slowMs + 1));
		expect(pace.slow).toBe(true);
		pace.direct(() => 0);
		expect(pace.slow).toBe(true);
	});

	it('notes a slow call that failed too, and passes its error on', () => {
		const pace = new DiskPace();
		expect(() => pace.direct(() => {
			busy(slowMs + 1);
			throw new Error('ENOSPC');
		})).toThrow('ENOSPC');
		expect(pace.slow).toBe(true);
	});
});
