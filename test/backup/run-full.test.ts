import {readdir, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {runBackup} from '../../source/backup/run.js';
import {localStamp} from '../../source/backup/local.js';
import type {RunEvent} from '../../source/backup/events.js';
import {exportRows, makeJob, tempDir, tree} from '../helpers/fixture.js';

const t = (iso: string) => new Date(iso);
const clock = (iso: string) => () => new Date(iso);

describe('full backup', () => {
	let server: FtpTestServer;
	let source: string;

	beforeAll(async () => {
		source = await tempDir();
		await writeTree(source, {
			'alice/Plan v1.dh': {content: 'one', mtime: t('2026-01-01T00:00:01Z')},
			'alice/Plan v2.dh': {content: 'two', mtime: t('2026-02-01T00:00:02Z')},
			'bob/a b/c.txt': {content: 'ccc', mtime: t('2026-03-01T00:00:03Z')},
		});
		server = await startFtpServer({root: source, mlsd: true});
	});

	afterAll(async () => server.close());

	it('makes <stamp>/ with a complete copy, named <stamp>.incomplete while it runs', async () => {
		const backup = await tempDir();
		const seen: string[][] = [];
		const now = t('2026-11-20T03:00:00Z');
		const summary = await runBackup({
			job: makeJob(server, backup, {mode: 'full'}),
			now: () => now,
			async onEvent(event: RunEvent) {
				if (event.type === 'file-done') seen.push(await readdir(backup));
			},
		});
		const stamp = localStamp(now);
		expect(summary).toMatchObject({outcome: 'success', snapshot: stamp, target: join(backup, stamp)});
		expect(seen.flat()).toContain(`${stamp}.incomplete`);
		expect((await readdir(backup)).sort()).toEqual(['.packrat', stamp, 'packrat-transfer.log'].sort());
		expect(await tree(join(backup, stamp))).toEqual({
			'alice/Plan v1.dh': {text: 'one', mtime: Date.parse('2026-01-01T00:00:01Z') / 1000},
			'alice/Plan v2.dh': {text: 'two', mtime: Date.parse('2026-02-01T00:00:02Z') / 1000},
			'bob/a b/c.txt': {text: 'ccc', mtime: Date.parse('2026-03-01T00:00:03Z') / 1000},
		});
		const rows = await exportRows(join(backup, stamp, 'packrat-export.tsv'));
		expect(rows).toContainEqual(['bob', 'c.txt', '', '/bob/a b/c.txt', '3', '2026-03-01T00:00:03Z', 'downloaded', `${stamp}/bob/a b/c.txt`]);
	});

	it('applies Latest only inside the snapshot', async () => {
		const backup = await tempDir();
		const summary = await runBackup({job: makeJob(server, backup, {mode: 'full', latestOnly: true}), now: clock('2026-11-20T03:00:00Z')});
		expect(summary.counts).toEqual({downloaded: 2, unchanged: 0, failed: 0, skipped: 1});
		expect(Object.keys(await tree(join(backup, summary.snapshot!))).sort()).toEqual(['alice/Plan v2.dh', 'bob/a b/c.txt']);
	});

	it('hard-links unchanged files from the newest complete snapshot with linkUnchanged', async () => {
		const backup = await tempDir();
		const job = makeJob(server, backup, {mode: 'full', linkUnchanged: true});
		const first = await runBackup({job, now: clock('2026-11-20T03:00:00Z')});
		const second = await runBackup({job, now: clock('2026-11-21T03:00:00Z')});
		expect(second.counts).toEqual({downloaded: 0, unchanged: 3, failed: 0, skipped: 0});
		expect(second.bytes).toBe(0);
		const a = await stat(join(backup, first.snapshot!, 'bob/a b/c.txt'));
		const b = await stat(join(backup, second.snapshot!, 'bob/a b/c.txt'));
		expect(b.ino).toBe(a.ino);
		expect(b.nlink).toBe(2);
		const rows = await exportRows(join(backup, second.snapshot!, 'packrat-export.tsv'));
		expect(rows.filter(row => row[6] === 'unchanged')).toHaveLength(3);
	});

	it('downloads every file again without linkUnchanged', async () => {
		const backup = await tempDir();
		const job = makeJob(server, backup, {mode: 'full'});
		await runBackup({job, now: clock('2026-11-20T03:00:00Z')});
		const second = await runBackup({job, now: clock('2026-11-21T03:00:00Z')});
		expect(second.counts.downloaded).toBe(3);
	});

	it('keeps only the newest keepSnapshots complete snapshots and removes nothing else', async () => {
		const backup = await tempDir();
		await writeTree(backup, {'2020-01-01 000000/mine.txt': {content: 'not a packrat snapshot'}});
		const job = makeJob(server, backup, {mode: 'full', keepSnapshots: 2});
		const stamps = [];
		for (const day of ['20', '21', '22']) stamps.push((await runBackup({job, now: clock(`2026-11-${day}T03:00:00Z`)})).snapshot!);
		const names = (await readdir(backup)).filter(name => /^\d{4}-/.test(name)).sort();
		expect(names).toEqual(['2020-01-01 000000', stamps[1], stamps[2]]);
	});
});
