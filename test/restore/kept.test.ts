import {describe, expect, it} from 'vitest';
import {cutToFit} from '../../source/backup/kept-names.js';
import {claim, groupKept, ownersOf, parseKept} from '../../source/restore/kept.js';

const stamp = '2026-11-20 030000';

describe('kept copies are matched to their file by the rule that named them', () => {
	it('reads `<stem> (<stamp>[ N])<ext>`, and nothing else', () => {
		expect(parseKept(`Plan v2 (${stamp}).dh`)).toEqual({stem: 'Plan v2', stamp, extension: '.dh', suffix: ` (${stamp}).dh`});
		expect(parseKept(`Plan v2 (${stamp} 3).dh`)).toMatchObject({stem: 'Plan v2', extension: '.dh'});
		expect(parseKept(` both ends  (${stamp})`)).toMatchObject({stem: ' both ends ', extension: ''});
		expect(parseKept(`.profile (${stamp})`)).toMatchObject({stem: '.profile', extension: ''});
		expect(parseKept('Plan v2 (3).dh')).toBeUndefined();
		expect(parseKept(`Plan v2 (${stamp} 0).dh`)).toBeUndefined();
		expect(parseKept(`Plan v2 (${stamp}).tar.gz`)).toBeUndefined();
	});

	it('claims exactly by stem and extension, and a cut stem only where the whole name would pass the limit', () => {
		const kept = parseKept(`Plan (${stamp}).dh`)!;
		expect(claim(kept, 'Plan.dh')).toBe(2);
		expect(claim(kept, 'Plan.txt')).toBe(0);
		expect(claim(kept, 'Plan v2.dh')).toBe(0);
		const long = `${'n'.repeat(251)}.txt`;
		const cut = parseKept(cutToFit('n'.repeat(251), ` (${stamp}).txt`))!;
		expect(Buffer.byteLength(cut.stem + cut.suffix)).toBe(255);
		expect(claim(cut, long)).toBe(1);
		// A cut never splits a character: é is two bytes, cut between the two is no claim.
		const accents = `${'é'.repeat(123)}.md`;
		const cutAccents = parseKept(cutToFit('é'.repeat(123), ` (${stamp}).md`))!;
		expect(claim(cutAccents, accents)).toBe(1);
		expect(claim(parseKept(`${'é'.repeat(100)}\ud83d (${stamp}).md`)!, `${'é'.repeat(100)}😀${'é'.repeat(70)}.md`)).toBe(0);
	});

	it('prefers an exact stem over a cut one, and marks a cut name that several files claim alike as shared', () => {
		const shortStem = 'n'.repeat(231);
		const kept = `${shortStem} (${stamp}).txt`;
		expect(ownersOf(kept, [`${shortStem}.txt`, `${'n'.repeat(251)}.txt`])).toEqual([`${shortStem}.txt`]);
		const a = `${'n'.repeat(240)}A.txt`;
		const b = `${'n'.repeat(240)}B.txt`;
		expect(ownersOf(kept, [a, b]).sort()).toEqual([a, b]);
		const grouped = groupKept([a, b, kept, `${shortStem} (${stamp} 2).txt`]).files;
		expect([...grouped.keys()].sort()).toEqual([a, b]);
		expect(grouped.get(a)).toEqual(expect.arrayContaining([{name: kept, shared: true}]));
	});

	it('keeps a kept-looking name that no file claims as a file of its own, and lets an asked-for file claim copies when it is gone', () => {
		const orphan = `Gone (${stamp}).txt`;
		expect([...groupKept([orphan, 'Other.txt']).files.keys()].sort()).toEqual([orphan, 'Other.txt']);
		expect(groupKept([orphan], 'Gone.txt').files.get('Gone.txt')).toEqual([{name: orphan, shared: false}]);
		// A name asked for is always the file itself, even when it looks like a kept copy.
		expect(groupKept(['Plan.dh', `Plan (${stamp}).dh`], `Plan (${stamp}).dh`).files.get(`Plan (${stamp}).dh`)).toEqual([]);
	});
});
