import {readdir, readFile, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {cutToFit, keptName, serverCopyName} from '../../source/backup/kept-names.js';
import {SafeTree, localStamp} from '../../source/backup/local.js';
import {isReserved} from '../../source/backup/reserved.js';
import {tempDir} from '../helpers/fixture.js';

const bytes = (text: string) => Buffer.byteLength(text);
/** Whole characters only: a cut through a multibyte character or a surrogate pair would not survive UTF-8. */
const whole = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text && !text.includes('\uFFFD');
const stamp = '2026-11-20 030000';

describe('kept names near 255 bytes', () => {
	const names = [
		`${'日'.repeat(83)}.txt`, // 253 bytes, three bytes a character
		`${'é'.repeat(125)}.dh`, // 253 bytes, two bytes a character
		`${'a'.repeat(200)}${'😀'.repeat(12)}.pdf`, // four bytes and a surrogate pair a character, at the cut
		`notes.${'x'.repeat(240)}`, // an "extension" too long to be one
		'x'.repeat(255), // no extension at all
	];

	for (const name of names) {
		it(`cuts ${name.slice(0, 12)}… (${bytes(name)} bytes) on a character boundary, and every count gives another name`, () => {
			const chosen = Array.from({length: 120}, (_, index) => keptName(name, stamp, index + 1));
			expect(new Set(chosen).size).toBe(chosen.length);
			for (const [index, kept] of chosen.entries()) {
				expect(bytes(kept)).toBeLessThanOrEqual(255);
				expect(bytes(kept)).toBeGreaterThan(255 - 4); // cut no more than the character that did not fit
				expect(whole(kept)).toBe(true);
				expect(kept).toContain(` (${stamp}${index > 0 ? ` ${index + 1}` : ''})`);
			}
		});
	}

	it('keeps the extension after the mark when it is a real one, and the name whole when it fits', () => {
		expect(keptName(`${'日'.repeat(83)}.txt`, stamp, 2)).toBe(`${'日'.repeat(76)} (${stamp} 2).txt`);
		expect(keptName('Plan v2.dh', stamp, 1)).toBe(`Plan v2 (${stamp}).dh`);
		expect(keptName('.profile', stamp, 3)).toBe(`.profile (${stamp} 3)`);
		expect(cutToFit('ab😀', 'c', 6)).toBe('abc');
	});

	it('gives a reserved name a server-copy name that fits and is not reserved', () => {
		for (const name of ['.packrat', 'packrat-export.tsv', `packrat-${'é'.repeat(120)}.log`]) {
			expect(isReserved(name)).toBe(true);
			for (const count of [1, 2]) {
				const copy = serverCopyName(name, count);
				expect(bytes(copy)).toBeLessThanOrEqual(255);
				expect(whole(copy)).toBe(true);
				expect(isReserved(copy)).toBe(false);
			}
		}

		expect(serverCopyName('packrat-export.tsv')).toBe('packrat-export.tsv (server copy)');
		expect(serverCopyName('.packrat', 2)).toBe('.packrat (server copy 2)');
		expect(['packrat-transfer.log.3', 'PACKRAT-EXPORT.TSV', 'packrat-export.tsv.123.tmp', 'packrat-verify.tsv'].every(isReserved)).toBe(true);
		expect(['packrat', 'packrat-notes.txt', 'my packrat-export.tsv', '.packrat2'].some(isReserved)).toBe(false);
	});
});

describe('SafeTree placements at once in one folder', () => {
	for (const hardLinks of [true, false]) {
		it(`keeps every older copy of alike long names ${hardLinks ? 'with hard links' : 'on a disk without hard links'}`, async () => {
			const root = await tempDir();
			const tree = new SafeTree(root, undefined, {hardLinks});
			const names = Array.from({length: 60}, (_, index) => `${'ü'.repeat(120)}-${String(index).padStart(2, '0')}.bin`);
			const when = new Date('2026-11-20T03:00:00Z');
			await tree.folder(['u']);
			for (const name of names) {
				await writeFile(join(root, 'u', name), `old ${name}`);
				await utimes(join(root, 'u', name), when, when);
			}

			const asides = await Promise.all(
				names.map(async (name, index) => {
					const temporary = join(root, `t${index}`);
					await writeFile(temporary, `new ${name}`);
					return tree.place(temporary, ['u', name]);
				}),
			);
			expect(new Set(asides).size).toBe(names.length);
			expect(await readdir(join(root, 'u'))).toHaveLength(2 * names.length);
			for (const [index, name] of names.entries()) {
				expect(await readFile(join(root, 'u', name), 'utf8')).toBe(`new ${name}`);
				expect(await readFile(join(root, 'u', asides[index]!), 'utf8')).toBe(`old ${name}`);
				expect(asides[index]).toContain(` (${localStamp(when)}`);
			}
		});
	}
});
