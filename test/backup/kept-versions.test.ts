import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir} from '../helpers/fixture.js';

/** 300 names of 248 bytes (multibyte characters first), alike but for their last digits: cut to make room for a kept copy's stamp, they all become one name. */
const count = 300;
const names = Array.from({length: count}, (_, index) => `${'é'.repeat(60)}${'a'.repeat(120)}-${String(index).padStart(3, '0')}.txt`);
const versions = [new Date('2026-11-01T10:00:00Z'), new Date('2026-11-02T10:00:00Z'), new Date('2026-11-03T10:00:00Z')];
const content = (index: number, version: number) => `file ${index} version ${version} ${'z'.repeat(index % 7)}`;

function versionOf(version: number): Record<string, TreeFile> {
	return Object.fromEntries(names.map((name, index) => [`u/${name}`, {content: content(index, version), mtime: versions[version]}]));
}

describe('kept older versions, many connections and long names', () => {
	it('keeps every older version: none is overwritten, and every "keep-older" line names the file that holds it', {timeout: 120_000}, async () => {
		expect(Buffer.byteLength(names[0]!)).toBe(248);
		const source = await tempDir();
		await writeTree(source, versionOf(0));
		const server = await startFtpServer({root: source, mlsd: true});
		try {
			const backup = await tempDir();
			for (const version of [0, 1, 2]) {
				if (version > 0) await writeTree(source, versionOf(version));
				const summary = await runBackup({job: makeJob(server, backup, {connections: 16})});
				expect(summary.reason).toBeUndefined();
				expect(summary.counts).toMatchObject({downloaded: count, failed: 0});
			}

			// Every version of every file is on disk, each exactly once, byte for byte.
			const held = await readdir(join(backup, 'u'));
			expect(held).toHaveLength(3 * count);
			const texts = await Promise.all(held.map(async name => readFile(join(backup, 'u', name), 'utf8')));
			const expected = names.flatMap((_, index) => [0, 1, 2].map(version => content(index, version)));
			expect(texts.sort()).toEqual(expected.sort());
			for (const [index, name] of names.entries()) expect(await readFile(join(backup, 'u', name), 'utf8')).toBe(content(index, 2));
			for (const name of held) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);

			// Each "keep-older" line names a distinct file that holds an older version of that very file.
			const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
			const kept = log.split('\n').filter(line => line.split('\t')[2] === 'keep-older');
			expect(kept).toHaveLength(2 * count);
			const asides = new Set<string>();
			for (const line of kept) {
				const [, , , path, , , reply] = line.split('\t');
				const index = names.indexOf(path!.slice('/u/'.length));
				const aside = reply!.replace(/^older copy kept as /, '');
				asides.add(aside);
				const text = await readFile(join(backup, 'u', aside), 'utf8');
				expect([content(index, 0), content(index, 1)]).toContain(text);
			}

			expect(asides.size).toBe(2 * count);
		} finally {
			await server.close();
		}
	});
});
