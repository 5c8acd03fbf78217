/**
 * The TSV writer (export, scan record, verify report) fills one buffer and writes it when full:
 * rows of several-byte characters that fall across its end, and a row longer than the buffer,
 * reach the file whole and in order.
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {writeTsv} from '../../source/backup/export.js';
import {tempDir} from '../helpers/fixture.js';

describe('writeTsv', () => {
	it('writes every row whole across the buffer\'s ends, long rows and several-byte characters included', async () => {
		const folder = await tempDir();
		const path = join(folder, 'rows.tsv');
		// 3- and 4-byte characters (a CJK name, an emoji) in rows of many lengths, so that row ends
		// fall at every distance from the buffer's end; one row of 1 MiB and more, longer than it.
		const rows: string[] = [];
		for (let index = 0; index < 40_000; index++) rows.push(`${index}\t${'名'.repeat(index % 97)}\t${'😀'.repeat(index % 5)}x`);
		rows.splice(20_000, 0, `long\t${'é'.repeat(600_000)}`);
		const count = await writeTsv(path, ['n', 'name'], rows, row => row);
		expect(count).toBe(rows.length);
		expect(await readFile(path, 'utf8')).toBe(`n\tname\n${rows.join('\n')}\n`);
	});

	it('writes the head alone when there are no rows', async () => {
		const folder = await tempDir();
		const path = join(folder, 'empty.tsv');
		expect(await writeTsv(path, ['a', 'b'], [], (row: string) => row)).toBe(0);
		expect(await readFile(path, 'utf8')).toBe('a\tb\n');
	});
});
