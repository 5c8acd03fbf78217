/** The chart of figures over time: its size, its symbols in both modes, and peaks kept when the values do not fit. */
import {describe, expect, it} from 'vitest';
import {chartLines, fitPoints} from '../../source/components/chart.js';
import {displayWidth} from '../../source/components/text.js';
import {bytes} from '../../source/format.js';

const values = [3e6, 1.2e7, 5e5, 8e6, 0, 2e7, 1.5e7, 3e6, 3e6, 9e6];

describe('the chart', () => {
	it('is exactly as high as asked and never wider, from zero to the largest value', () => {
		for (const [width, height] of [[38, 6], [20, 3], [60, 8]] as const) {
			const {lines} = chartLines(values, {width, height, label: bytes, ascii: false});
			expect(lines).toHaveLength(height);
			for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
			expect(lines[0]).toMatch(/^\s*20 MB /);
			expect(lines.at(-1)).toMatch(/^\s*0 B /);
		}
	});

	it('draws box-drawing lines, or ASCII only in ASCII mode', () => {
		const unicode = chartLines(values, {width: 38, height: 6, label: bytes, ascii: false}).lines.join('\n');
		expect(unicode).toMatch(/[┤│╭╮╯╰─]/);
		const ascii = chartLines(values, {width: 38, height: 6, label: bytes, ascii: true}).lines.join('\n');
		expect(ascii).toMatch(/^[\u0020-\u007E\n]*$/);
		expect(ascii).toContain('|');
		expect(ascii).toMatch(/[-.']/);
	});

	it('keeps every peak when there are more values than columns: each column is the largest of its runs', () => {
		expect(fitPoints([1, 2, 3], 10)).toEqual({points: [1, 2, 3], per: 1});
		expect(fitPoints([1, 9, 2, 3, 8, 1, 1], 3)).toEqual({points: [1, 9, 8], per: 3});
		const many = Array.from({length: 500}, (_, index) => (index === 123 ? 1e9 : 1000));
		const {lines, per} = chartLines(many, {width: 40, height: 5, label: bytes, ascii: false});
		expect(per).toBeGreaterThan(1);
		expect(lines[0]).toContain('1 GB');
	});

	it('draws a flat line of zeros at the bottom, and nothing when too narrow', () => {
		const {lines} = chartLines([0, 0, 0], {width: 30, height: 4, label: bytes, ascii: false});
		expect(lines.slice(0, 3)).toEqual(['', '', '']);
		expect(lines[3]).toMatch(/0 B ┼──/);
		expect(chartLines(values, {width: 6, height: 3, label: bytes, ascii: false}).lines).toEqual(['', '', '']);
		expect(chartLines([], {width: 30, height: 2, label: bytes, ascii: false}).lines).toEqual(['', '']);
	});
});
