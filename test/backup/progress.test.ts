import {describe, expect, it} from 'vitest';
import {eta, idleProgress, reduce, type Progress} from '../../source/backup/progress.js';

describe('progress', () => {
	it('tells the rate and the time left when files finish thousands a second', () => {
		let progress: Progress = reduce(idleProgress, {type: 'plan', files: 20_000, bytes: 20_000 * 1000, toDownload: 20_000, bytesToDownload: 20_000 * 1000, unchanged: 0, skipped: 0}, 0);
		// 2 files a millisecond, 1000 bytes each: 2,000,000 bytes a second, for 3 s.
		for (let at = 1; at <= 3000; at++) {
			for (const slot of [0, 1]) {
				progress = reduce(progress, {type: 'file-start', slot, path: `/f${at}-${slot}`, size: 1000, offset: 0}, at);
				progress = reduce(progress, {type: 'file-done', slot, path: `/f${at}-${slot}`, status: 'downloaded', bytes: 1000}, at);
			}
		}

		expect(progress.rate).toBeGreaterThan(1_900_000);
		expect(progress.rate).toBeLessThan(2_100_000);
		expect(progress.samples.length).toBeLessThanOrEqual(51);
		// 14,000 files left at 2,000 a second: 7 s.
		expect(eta(progress)).toBeCloseTo(7, 0);
	});
});
