/**
 * The guard's record of a scan (`.packrat/last-scan.tsv`): each row judged as it was written
 * (another order, a size or time written otherwise, a file gone, a damaged row), and written
 * again only when it would hold something else: a rerun that finds the server as recorded
 * leaves the file as it is, any other one replaces it.
 */
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {RemoteFile} from '../../source/backup/listing.js';
import {compareWithRecord, scanRecordPath, writeScanRecord} from '../../source/backup/scan-record.js';
import {tempDir} from '../helpers/fixture.js';

const file = (path: string, size: number, mtime: number): RemoteFile => ({path, parts: path.split('/').slice(1), size, mtime});
const files = (): RemoteFile[] => [
	file('/a.txt', 5, 1_700_000_000),
	file('/b/c.txt', 0, 1_700_000_001),
	file('/b/line\nbreak\\.txt', 12, -86_400),
	file('/d.txt', 2 ** 40, 1_700_000_003),
];

const head = 'size\tmodified\tpath\n';

async function folder(): Promise<string> {
	const backup = await tempDir();
	await mkdir(join(backup, '.packrat'));
	return backup;
}

/** The record's text, and the inode and time of its file. */
async function record(backup: string): Promise<{text: string; ino: number; mtimeMs: number}> {
	const path = scanRecordPath(backup);
	const {ino, mtimeMs} = await stat(path);
	return {text: await readFile(path, 'utf8'), ino, mtimeMs};
}

describe('the record of a scan', () => {
	it('holds the same files in another order: nothing changed, and the file is not written again', async () => {
		const backup = await folder();
		expect(await compareWithRecord(backup, files())).toBeUndefined();
		await writeScanRecord(backup, files());
		const first = await record(backup);
		expect(first.text).toBe(`${head}5\t1700000000\t/a.txt\n0\t1700000001\t/b/c.txt\n12\t-86400\t/b/line\\nbreak\\\\.txt\n1099511627776\t1700000003\t/d.txt\n`);
		const again = files().reverse();
		expect(await compareWithRecord(backup, again)).toEqual({total: 4, changed: 0, vanished: 0});
		await writeScanRecord(backup, again);
		expect(await record(backup)).toEqual(first);
	});

	it('counts a size or time written otherwise as changed, a path not found as gone, and skips a damaged row', async () => {
		const backup = await folder();
		await writeFile(scanRecordPath(backup), [
			head,
			'05\t1700000000\t/a.txt\n', // 5 written with a leading zero
			'0\t1700000002\t/b/c.txt\n', // another time
			'12\t-86400\t/b/line\\nbreak\\\\.txt\n',
			'1099511627776\t1700000003\t/d.txt\textra\n', // a field too many: its path still counts
			'7\t1700000009\t/gone.txt\n',
			'7\t1700000009\t/b/line\nbreak\\.txt\n', // the name unescaped: a path no file has, and a row cut short
			'\n',
			'3\t',
		].join(''));
		expect(await compareWithRecord(backup, files())).toEqual({total: 6, changed: 2, vanished: 2});
	});

	it('is written again whenever it would hold anything else', async () => {
		const cases: Array<[string, string]> = [
			['a file more', `${head}5\t1700000000\t/a.txt\n0\t1700000001\t/b/c.txt\n12\t-86400\t/b/line\\nbreak\\\\.txt\n`],
			['a file changed', `${head}5\t1700000000\t/a.txt\n0\t1700000002\t/b/c.txt\n12\t-86400\t/b/line\\nbreak\\\\.txt\n1099511627776\t1700000003\t/d.txt\n`],
			['a row twice, one missing', `${head}5\t1700000000\t/a.txt\n5\t1700000000\t/a.txt\n12\t-86400\t/b/line\\nbreak\\\\.txt\n1099511627776\t1700000003\t/d.txt\n`],
			['a row with a field too many', `${head}5\t1700000000\t/a.txt\n0\t1700000001\t/b/c.txt\textra\n12\t-86400\t/b/line\\nbreak\\\\.txt\n1099511627776\t1700000003\t/d.txt\n`],
			['a damaged row beside every file', `${head}5\t1700000000\t/a.txt\n0\t1700000001\t/b/c.txt\n12\t-86400\t/b/line\\nbreak\\\\.txt\n1099511627776\t1700000003\t/d.txt\n3\n`],
			['no newline at its end', `${head}5\t1700000000\t/a.txt\n0\t1700000001\t/b/c.txt\n12\t-86400\t/b/line\\nbreak\\\\.txt\n1099511627776\t1700000003\t/d.txt`],
		];
		const backup = await folder();
		await writeScanRecord(backup, files());
		const written = (await record(backup)).text;
		for (const [name, text] of cases) {
			await writeFile(scanRecordPath(backup), text);
			const now = files();
			await compareWithRecord(backup, now);
			await writeScanRecord(backup, now);
			expect((await record(backup)).text, name).toBe(written);
		}
	});
});
