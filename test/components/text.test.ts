import {describe, expect, it} from 'vitest';
import {asciiOnly, displayWidth, fit, fitStart, padTo, wrapText} from '../../source/components/text.js';
import {bar, countdown, ago, percent} from '../../source/components/figures.js';

describe('text fitting', () => {
	it('counts wide characters as two cells and combining marks as none', () => {
		expect(displayWidth('abc')).toBe(3);
		expect(displayWidth('日本語')).toBe(6);
		expect(displayWidth('e\u0301')).toBe(1);
	});

	it('cuts at the end or at the start, with the ellipsis, never past the width', () => {
		expect(fit('Homepage v12.dh', 8)).toBe('Homepag…');
		expect(fit('Homepage v12.dh', 8, '...')).toBe('Homep...');
		expect(fit('日本語のメモ', 5)).toBe('日本…');
		expect(fitStart('/alice/Website/Homepage v12.dh', 16)).toBe('…Homepage v12.dh');
		expect(padTo('ab', 4)).toBe('ab  ');
		for (const width of [1, 2, 3, 7]) expect(displayWidth(fit('日本語のメモ v2.txt', width))).toBeLessThanOrEqual(width);
	});

	it('wraps at spaces into at most the lines given', () => {
		expect(wrapText('the root path /nope cannot be listed on the server', 20, 3)).toEqual(['the root path /nope', 'cannot be listed on', 'the server']);
		expect(wrapText('a b c d e f g h i j k l', 5, 2)).toEqual(['a b c', 'd e …']);
	});

	it('writes every non-ASCII character as an escape in ASCII mode', () => {
		expect(asciiOnly('chloé/日本語 😀')).toBe('chlo\\u00e9/\\u65e5\\u672c\\u8a9e \\u{1f600}');
	});
});

describe('figures', () => {
	it('draws bars, percentages, countdowns and ages', () => {
		expect(bar(0.5, 12, '#', '.')).toBe('[#####.....]');
		expect(bar(2, 6, '#', '.')).toBe('[####]');
		expect(percent(0.999)).toBe('99%');
		expect(countdown(3_723_000)).toBe('1:02:03');
		expect(countdown(90_061_000)).toBe('1d 01:01:01');
		expect(ago(30_000)).toBe('just now');
		expect(ago(5 * 3_600_000)).toBe('5 h ago');
		expect(ago(3 * 86_400_000)).toBe('3 days ago');
	});
});
