/**
 * The mass-change guard, with real runs against the test server whose tree is changed between
 * runs: a mass change (files changed, or gone) flags the run, prunes no snapshot, and keeps
 * pruning off until accepted; a small tree, a change under the limit, and the limits themselves.
 */
import {lstat, readFile, readdir, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {acceptGuard, guardPath, readGuard} from '../../source/backup/guard.js';
import {readHistory} from '../../source/backup/history.js';
import {runBackup, type Job} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const day = (n: number) => () => new Date(Date.UTC(2026, 10, n, 3, 0, 0));
const name = (index: number) => `u${index % 3}/file-${String(index).padStart(3, '0')}.txt`;

/** `count` files, each `v<version>` with a time of that version. */
function files(count: number, version = 1, from = 0): Record<string, TreeFile> {
	const result: Record<string, TreeFile> = {};
	for (let index = from; index < from + count; index++) result[name(index)] = {content: `file ${index} v${version}`, mtime: new Date(Date.UTC(2026, 0, version, 0, 0, index % 60))};
	return result;
}

let server: FtpTestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(count: number): Promise<{source: string; backup: string; job: (extra?: Partial<Job>) => Job}> {
	const source = await tempDir();
	await writeTree(source, files(count));
	server = await startFtpServer({root: source, mlsd: true});
	const backup = await tempDir();
	const port = server;
	return {source, backup, job: extra => makeJob(port, backup, extra)};
}

const snapshotsIn = async (backup: string) => (await readdir(backup)).filter(entry => /^\d{4}-\d\d-\d\d \d{6}$/.test(entry)).sort();

describe('the mass-change guard', () => {
	it('flags a run that finds 70% of 120 files changed: it prunes nothing, and pruning stays off until accepted', async () => {
		const {source, backup, job} = await serve(120);
		const full = job({mode: 'full', keepSnapshots: 1});
		const first = await runBackup({job: full, now: day(1)});
		expect(first).toMatchObject({outcome: 'success'});
		expect(first.suspicious).toBeUndefined();

		await writeTree(source, files(84, 2)); // 84 of 120: 70%
		const second = await runBackup({job: full, now: day(2)});
		const figures = {total: 120, changed: 84, vanished: 0, changedPercent: 70, vanishedPercent: 0, limits: {changedPercent: 50, vanishedPercent: 50}};
		expect(second).toMatchObject({outcome: 'success', suspicious: figures, guard: {since: day(2)().toISOString(), suspicious: figures}});
		// Both snapshots kept despite keepSnapshots 1; the new one holds the changed files whole.
		expect(await snapshotsIn(backup)).toEqual([first.snapshot, second.snapshot]);
		expect((await tree(join(backup, second.snapshot!)))[name(0)]?.text).toBe('file 0 v2');
		expect((await tree(join(backup, first.snapshot!)))[name(0)]?.text).toBe('file 0 v1');
		expect((await readHistory(backup)).at(-1)).toMatchObject({suspicious: figures});
		expect(JSON.parse(await readFile(guardPath(backup), 'utf8'))).toEqual({since: day(2)().toISOString(), suspicious: figures});
		const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
		expect(log).toContain('SUSPICIOUS: 70% of the files changed since the last run (84 of 120); no snapshot is pruned until the user confirms (packrat guard --accept)');

		// An ordinary run: not suspicious itself, but pruning is still off.
		const third = await runBackup({job: full, now: day(3)});
		expect(third.suspicious).toBeUndefined();
		expect(third.guard).toEqual({since: day(2)().toISOString(), suspicious: figures});
		expect(await snapshotsIn(backup)).toEqual([first.snapshot, second.snapshot, third.snapshot]);
		expect(await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).toContain('no snapshot pruned: the mass-change guard holds pruning off since 2026-11-02T03:00:00.000Z');

		expect(await acceptGuard(backup)).toEqual({since: day(2)().toISOString(), suspicious: figures});
		expect(await readGuard(backup)).toBeUndefined();
		expect(await acceptGuard(backup)).toBeUndefined();
		const fourth = await runBackup({job: full, now: day(4)});
		expect(fourth.guard).toBeUndefined();
		expect(await snapshotsIn(backup)).toEqual([fourth.snapshot]);
	});

	it('judges a change against the record a run that found nothing changed left as it was', async () => {
		const {source, backup, job} = await serve(120);
		await runBackup({job: job(), now: day(1)});
		const record = join(backup, '.packrat', 'last-scan.tsv');
		const first = await stat(record);
		const second = await runBackup({job: job(), now: day(2)});
		expect(second.suspicious).toBeUndefined();
		expect(await stat(record)).toMatchObject({ino: first.ino, mtimeMs: first.mtimeMs});
		await writeTree(source, files(84, 2));
		const third = await runBackup({job: job(), now: day(3)});
		expect(third.suspicious).toMatchObject({total: 120, changed: 84, vanished: 0});
		expect((await stat(record)).ino).not.toBe(first.ino);
	});

	it('flags a run that finds 60% of the files gone from the server', async () => {
		const {source, backup, job} = await serve(120);
		await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(1)});
		for (let index = 0; index < 72; index++) await rm(join(source, name(index)));
		const second = await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(2)});
		expect(second.suspicious).toEqual({total: 120, changed: 0, vanished: 72, changedPercent: 0, vanishedPercent: 60, limits: {changedPercent: 50, vanishedPercent: 50}});
		expect(await snapshotsIn(backup)).toHaveLength(2);
	});

	it('flags an Incremental run too, which keeps every older version as always', async () => {
		const {source, backup, job} = await serve(120);
		await runBackup({job: job(), now: day(1)});
		await writeTree(source, files(120, 2));
		const second = await runBackup({job: job(), now: day(2)});
		expect(second).toMatchObject({outcome: 'success', suspicious: {changed: 120, changedPercent: 100}});
		expect(await readGuard(backup)).toMatchObject({since: day(2)().toISOString()});
		const held = await tree(backup);
		expect(held[name(5)]?.text).toBe('file 5 v2');
		expect(Object.values(held).filter(file => file.text.endsWith(' v1'))).toHaveLength(120);
	});

	it('never judges a record of fewer than 100 files', async () => {
		const {source, backup, job} = await serve(99);
		await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(1)});
		await writeTree(source, files(99, 2));
		const second = await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(2)});
		expect(second.suspicious).toBeUndefined();
		expect(await snapshotsIn(backup)).toEqual([second.snapshot]);
		expect(await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).toContain('of 99 files: 99 changed, 0 gone since the last run (not judged under 100 files)');
	});

	it('lets 40% changed pass, and judges by the limits the settings give', async () => {
		const {source, backup, job} = await serve(100);
		await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(1)});
		await writeTree(source, files(40, 2));
		const second = await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(2)});
		expect(second.suspicious).toBeUndefined();
		expect(await snapshotsIn(backup)).toEqual([second.snapshot]);

		// Exactly at the limit is not past it; one more file is.
		await writeTree(source, files(40, 3));
		const third = await runBackup({job: job({mode: 'full', keepSnapshots: 1, guard: {changedPercent: 40, vanishedPercent: 50}}), now: day(3)});
		expect(third.suspicious).toBeUndefined();
		await writeTree(source, files(41, 4));
		const fourth = await runBackup({job: job({mode: 'full', keepSnapshots: 1, guard: {changedPercent: 40, vanishedPercent: 50}}), now: day(4)});
		expect(fourth.suspicious).toMatchObject({changed: 41, changedPercent: 41, limits: {changedPercent: 40, vanishedPercent: 50}});
		expect(await snapshotsIn(backup)).toEqual([third.snapshot, fourth.snapshot]);

		// 100 never flags: the guard is off.
		await acceptGuard(backup);
		await writeTree(source, files(100, 5));
		const fifth = await runBackup({job: job({mode: 'full', keepSnapshots: 1, guard: {changedPercent: 100, vanishedPercent: 100}}), now: day(5)});
		expect(fifth.suspicious).toBeUndefined();
		expect(await snapshotsIn(backup)).toEqual([fifth.snapshot]);
	});

	it('keeps pruning off for a marker it cannot read, and judges nothing from a record that is not its own', async () => {
		const {backup, job} = await serve(100);
		await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(1)});
		await writeFile(guardPath(backup), 'not json');
		await writeFile(join(backup, '.packrat', 'last-scan.tsv'), 'something else\n');
		const second = await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(2)});
		expect(second.suspicious).toBeUndefined();
		expect(second.guard).toEqual({since: (await stat(guardPath(backup))).mtime.toISOString()});
		expect(await snapshotsIn(backup)).toHaveLength(2);
		expect(await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).toContain("not judged: the last run's record could not be read");
	});

	it('never follows a symlink at its record or its marker: the link is replaced or removed, its target untouched', async () => {
		const {backup, job} = await serve(100);
		await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(1)});
		const outside = await tempDir();
		await writeFile(join(outside, 'target.txt'), 'not packrat\'s');
		const record = join(backup, '.packrat', 'last-scan.tsv');
		await rm(record);
		await symlink(join(outside, 'target.txt'), record);
		await symlink(join(outside, 'target.txt'), guardPath(backup));
		const second = await runBackup({job: job({mode: 'full', keepSnapshots: 1}), now: day(2)});
		expect(second.guard).toEqual({since: (await lstat(guardPath(backup))).mtime.toISOString()});
		expect(await snapshotsIn(backup)).toHaveLength(2);
		expect((await lstat(record)).isFile()).toBe(true);
		expect(await acceptGuard(backup)).toBeDefined();
		expect(await readFile(join(outside, 'target.txt'), 'utf8')).toBe('not packrat\'s');
		expect(await readGuard(backup)).toBeUndefined();
	});
});
