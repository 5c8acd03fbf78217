/**
 * Listing lines a scan must not lose (issue 11, point 14): names holding a bare CR, U+2028,
 * U+2029 or NEL, and a line that fits no format, from a LIST and from an MLSD server.
 */
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHostileServer, type TreeInput} from '../../devtools/hostile-server.js';
import {sendData} from '../../devtools/hostile-server/handlers.js';
import {runBackup} from '../../source/backup/run.js';
import {exportRows, makeJob, tempDir} from '../helpers/fixture.js';

const bytes = Buffer.from(Array.from({length: 256}, (_, index) => index));
const kept: Record<string, {data: Buffer; mtime: Date}> = {
	'/u/line\u2028separator.bin': {data: bytes, mtime: new Date('2026-11-20T03:00:01Z')},
	'/u/paragraph\u2029separator.txt': {data: Buffer.from('U+2029'), mtime: new Date('2025-02-03T04:05:06Z')},
	'/u/next\u0085line.txt': {data: Buffer.from('NEL'), mtime: new Date('2024-07-08T09:10:11Z')},
	'/u/\u2028leading.txt': {data: Buffer.from('leading'), mtime: new Date('2023-01-02T03:04:05Z')},
	'/u/plain.txt': {data: Buffer.from('plain'), mtime: new Date('2026-01-01T00:00:00Z')},
};
const files: TreeInput = {...kept, '/u/carriage\rreturn.txt': {data: 'cr', mtime: new Date('2026-11-20T03:00:00Z')}};

/** Every byte and mtime (to the second) of the kept files, as found in the backup. */
async function held(backup: string) {
	return Promise.all(Object.keys(kept).map(async path => {
		const local = join(backup, ...path.slice(1).split('/'));
		return {path, data: await readFile(local), mtime: Math.floor((await stat(local)).mtimeMs / 1000)};
	}));
}

const expected = Object.entries(kept).map(([path, file]) => ({path, data: file.data, mtime: file.mtime.getTime() / 1000}));

describe('names with line breaks and unicode line separators', () => {
	for (const mlsd of [false, true]) {
		it(`keeps U+2028, U+2029 and NEL names exactly and refuses a bare CR, listing it in the export (${mlsd ? 'MLSD' : 'LIST'})`, async () => {
			const server = await startHostileServer({files, mlsd});
			try {
				const backup = await tempDir();
				const summary = await runBackup({job: makeJob(server, backup)});
				expect(summary.reason).toBeUndefined();
				expect(summary.outcome).toBe('success');
				expect(summary.counts).toMatchObject({downloaded: Object.keys(kept).length, skipped: 1, failed: 0});
				expect(await held(backup)).toEqual(expected);
				const rows = await exportRows(join(backup, 'packrat-export.tsv'));
				expect(rows.find(row => row[3] === '/u/carriage\\rreturn.txt')?.[6]).toBe('skipped');
				expect(rows.find(row => row[3] === '/u/line\u2028separator.bin')?.[6]).toBe('downloaded');
				const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
				expect(log).toMatch(/\tWARN\trefused\t\/u\/carriage\\rreturn\.txt\t\t\trefused name: the name holds a line break/);
				// A second run finds every kept name unchanged.
				const again = await runBackup({job: makeJob(server, backup)});
				expect(again.counts).toMatchObject({unchanged: Object.keys(kept).length, downloaded: 0});
			} finally {
				await server.close();
			}
		});
	}
});

describe('a listing line that fits no format', () => {
	for (const mlsd of [false, true]) {
		it(`makes its folder an error in the error log, and the run is not Done (${mlsd ? 'MLSD' : 'LIST'})`, async () => {
			const verb = mlsd ? 'MLSD' : 'LIST';
			const server = await startHostileServer({
				files: kept,
				mlsd,
				handlers: {
					async [verb](session, argument) {
						const path = session.server.tree.resolve(session.cwd, argument.replace(/^-a(\s+|$)/, ''));
						const lines = mlsd ? session.server.tree.mlsdLines(path) : session.server.tree.listLines(path);
						if (path === '/u') lines.splice(1, 0, 'garbage that is no listing line', 'x'.repeat(60_000), ...Array.from({length: 20}, () => 'more garbage'));
						await sendData(session, lines.map(line => `${line}\r\n`).join(''));
					},
				},
			});
			try {
				const backup = await tempDir();
				const summary = await runBackup({job: makeJob(server, backup)});
				expect(summary.outcome).not.toBe('success');
				expect(summary.reason).toMatch(/1 folder\(s\) could not be listed/);
				const errors = await readFile(join(backup, 'packrat-errors.log'), 'utf8');
				expect(errors).toMatch(/\t\/u\t22 line\(s\) of its listing could not be read, so entries may be missing \(first: "garbage that is no listing line"\)\n/);
				const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
				expect(log).toMatch(/\tERROR\tunparsed\t\/u\t\t\tgarbage that is no listing line\n/);
				// Ten lines at most, each cut short: a server cannot flood the log through its listing.
				expect(log.match(/\tERROR\tunparsed\t/g)).toHaveLength(10);
				expect(log).toMatch(/\tERROR\tunparsed\t\/u\t\t\tx{1024}… \(60,000 characters\)\n/);
				expect(Math.max(...log.split('\n').map(line => line.length))).toBeLessThan(1200);
				// What could be read is backed up all the same.
				expect(await held(backup)).toEqual(expected);
			} finally {
				await server.close();
			}
		});
	}
});
