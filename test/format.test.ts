import prettyBytes from 'pretty-bytes';
import {describe, expect, it} from 'vitest';
import {bytes} from '../source/format.js';

/** A fixed sequence of pseudo-random numbers (a test that fails must fail again). */
function* randoms(count: number, seed = 20_261_122): Generator<number> {
	let state = seed;
	for (let index = 0; index < count; index++) {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		yield state / 2_147_483_648;
	}
}

describe('bytes', () => {
	it('reads as pretty-bytes with one decimal at most', () => {
		const values = [0, 1, 999, 1000, 1001, 999_949, 999_950, 999_999, 1_000_000, 16_849_999, 169_265_345, 999_999_999_999_999, 1e15, 2 ** 53, 1e30, 5e-7, 1e45];
		for (const fraction of randoms(20_000)) {
			// Every magnitude from bytes to petabytes, integers (byte counts) and fractions (rates).
			const value = 10 ** (fraction * 16);
			values.push(value, Math.floor(value), Math.round(value / 1000) * 1000);
		}

		for (const value of values) expect(bytes(value), String(value)).toBe(prettyBytes(value, {maximumFractionDigits: 1}));
	});

	it('cuts rather than rounds, and signs a negative figure', () => {
		expect(bytes(169_265_345)).toBe('169.2 MB');
		expect(bytes(999_999)).toBe('999.9 kB');
		expect(bytes(-1500)).toBe('-1.5 kB');
		expect(bytes(0.5)).toBe('0.5 B');
	});
});
