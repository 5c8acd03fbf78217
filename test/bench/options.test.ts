import {describe, expect, it} from 'vitest';
import {gnuTimeFigures} from '../../bench/measure.js';
import {readOptions} from '../../bench/options.js';

describe('bench options', () => {
	it('runs the slowdisk part (a loop device, a throttle rule, as root) only when it is named', () => {
		expect(readOptions([]).parts.has('slowdisk')).toBe(false);
		expect(readOptions([]).parts.has('large')).toBe(true);
		expect([...readOptions(['--set', 'slowdisk']).parts]).toEqual(['slowdisk']);
		expect(readOptions(['--set', 'slowdisk']).diskMBps).toBe(100);
		expect(readOptions(['--set', 'slowdisk', '--disk-mbps', '40']).diskMBps).toBe(40);
	});

	it('refuses a slow disk rate it cannot set, in one line naming the flag', () => {
		for (const value of ['0', 'fast', '0.5', '20000']) {
			expect(() => readOptions(['--set', 'slowdisk', '--disk-mbps', value])).toThrow(/^--disk-mbps must be a write rate in MB\/s, 1 to 10000/);
		}
	});
});

describe('gnuTimeFigures', () => {
	it('keeps the kernel share of the CPU beside the total', () => {
		const text = '\tUser time (seconds): 0.24\n\tSystem time (seconds): 0.58\n\tMaximum resident set size (kbytes): 71744\n';
		const figures = gnuTimeFigures(text);
		expect(figures.cpuMs).toBeCloseTo(820);
		expect(figures.sysMs).toBeCloseTo(580);
		expect(figures.rssKiB).toBe(71744);
		expect(gnuTimeFigures('')).toEqual({cpuMs: undefined, sysMs: undefined, rssKiB: undefined});
	});
});
