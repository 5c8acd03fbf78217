import {readFile, stat, writeFile, rm, readdir, utimes} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {runBackup} from '../../source/backup/run.js';
import {localStamp} from '../../source/backup/local.js';
import {readHistory} from '../../source/backup/history.js';
import type {RunEvent} from '../../source/backup/events.js';
import {exportRows, makeJob, tempDir, tree} from '../helpers/fixture.js';

const t = (iso: string) => new Date(iso);

describe('incremental backup', () => {
	let server: FtpTestServer;
	let source: string;

	beforeAll(async () => {
		source = await tempDir();
		await writeTree(source, {
			'top.txt': {content: 'at the root', mtime: t('2026-11-01T10:00:07Z')},
			'alice/Site/Plan v1.dh': {content: 'plan one', mtime: t('2026-01-02T03:04:05Z')},
			'alice/Site/Plan v2.dh': {content: 'plan two!', mtime: t('2026-11-20T03:00:00Z')},
			'alice/Site/deep/er/notes.txt': {content: 'notes', mtime: t('2025-05-05T05:05:05Z')},
			'bob smith/Über café/Résumé (3).pdf': {content: 'unicode', mtime: t('2026-10-10T10:10:10Z')},
			'bob smith/empty.bin': {content: '', mtime: t('2026-10-10T10:10:11Z')},
		});
		server = await startFtpServer({root: source, mlsd: true});
	});

	afterAll(async () => server.close());

	it('mirrors <user>/<path> with the bytes and the server mtimes, then downloads nothing on a rerun', async () => {
		const backup = await tempDir();
		const events: RunEvent[] = [];
		const first = await runBackup({job: makeJob(server, backup), onEvent: event => events.push(event)});
		expect(first.outcome).toBe('success');
		expect(first.counts).toEqual({downloaded: 6, unchanged: 0, failed: 0, skipped: 0});
		expect(await tree(backup)).toEqual({
			'top.txt': {text: 'at the root', mtime: Date.parse('2026-11-01T10:00:07Z') / 1000},
			'alice/Site/Plan v1.dh': {text: 'plan one', mtime: Date.parse('2026-01-02T03:04:05Z') / 1000},
			'alice/Site/Plan v2.dh': {text: 'plan two!', mtime: Date.parse('2026-11-20T03:00:00Z') / 1000},
			'alice/Site/deep/er/notes.txt': {text: 'notes', mtime: Date.parse('2025-05-05T05:05:05Z') / 1000},
			'bob smith/Über café/Résumé (3).pdf': {text: 'unicode', mtime: Date.parse('2026-10-10T10:10:10Z') / 1000},
			'bob smith/empty.bin': {text: '', mtime: Date.parse('2026-10-10T10:10:11Z') / 1000},
		});
		expect(events.map(event => (event.type === 'phase' ? event.phase : undefined)).filter(Boolean)).toEqual(['connecting', 'initializing', 'backing-up', 'finishing', 'done']);
		expect(events.find(event => event.type === 'plan')).toMatchObject({files: 6, toDownload: 6, bytesToDownload: 40});

		const inode = (await stat(join(backup, 'top.txt'))).ino;
		const second = await runBackup({job: makeJob(server, backup)});
		expect(second.counts).toEqual({downloaded: 0, unchanged: 6, failed: 0, skipped: 0});
		expect(second.bytes).toBe(0);
		expect((await stat(join(backup, 'top.txt'))).ino).toBe(inode);
		const runs = await readHistory(backup);
		expect(runs.map(run => run.outcome)).toEqual(['success', 'success']);
	});

	it('keeps the older copy as "<stem> (<its mtime>)<ext>" when the server has a new version, and deletes nothing', async () => {
		const root = await tempDir();
		await writeTree(root, {
			'u/Plan v2.dh': {content: 'old', mtime: t('2026-11-20T03:00:00Z')},
			'u/gone.txt': {content: 'bye', mtime: t('2026-11-20T03:00:00Z')},
		});
		const own = await startFtpServer({root});
		try {
			const backup = await tempDir();
			await runBackup({job: makeJob(own, backup)});
			await writeTree(root, {'u/Plan v2.dh': {content: 'newer', mtime: t('2026-11-21T04:00:00Z')}});
			await rm(join(root, 'u/gone.txt'));
			const summary = await runBackup({job: makeJob(own, backup)});
			expect(summary.counts).toMatchObject({downloaded: 1, unchanged: 0});
			const older = `Plan v2 (${localStamp(t('2026-11-20T03:00:00Z'))}).dh`;
			expect(await tree(join(backup, 'u'))).toEqual({
				'Plan v2.dh': {text: 'newer', mtime: Date.parse('2026-11-21T04:00:00Z') / 1000},
				[older]: {text: 'old', mtime: Date.parse('2026-11-20T03:00:00Z') / 1000},
				'gone.txt': {text: 'bye', mtime: Date.parse('2026-11-20T03:00:00Z') / 1000},
			});
			const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
			expect(log).toContain(`older copy kept as ${older}`);
		} finally {
			await own.close();
		}
	});

	it('names an older copy by the second its mtime is in, not rounded up (a copy at x.9996 s is kept as second x)', async () => {
		const root = await tempDir();
		await writeTree(root, {'u/a.txt': {content: 'server', mtime: t('2026-11-20T03:00:00Z')}});
		const own = await startFtpServer({root});
		try {
			const backup = await tempDir();
			await writeTree(backup, {'u/a.txt': {content: 'held'}});
			await utimes(join(backup, 'u/a.txt'), 1_790_000_000.9996, 1_790_000_000.9996);
			expect((await runBackup({job: makeJob(own, backup)})).counts).toMatchObject({downloaded: 1});
			expect(Object.keys(await tree(join(backup, 'u'))).sort()).toEqual([`a (${localStamp(new Date(1_790_000_000_000))}).txt`, 'a.txt']);
		} finally {
			await own.close();
		}
	});

	it('leaves the logs, the export and the history in the backup folder', async () => {
		const backup = await tempDir();
		await runBackup({job: makeJob(server, backup)});
		const rows = await exportRows(join(backup, 'packrat-export.tsv'));
		expect(rows[0]).toEqual(['user', 'project', 'version', 'remote path', 'size', 'modified', 'status', 'local path']);
		expect(rows).toContainEqual(['alice', 'Plan.dh', 'v2', '/alice/Site/Plan v2.dh', '9', '2026-11-20T03:00:00Z', 'downloaded', 'alice/Site/Plan v2.dh']);
		expect(rows).toContainEqual(['', 'top.txt', '', '/top.txt', '11', '2026-11-01T10:00:07Z', 'downloaded', 'top.txt']);
		expect(rows).toContainEqual(['bob smith', 'Résumé.pdf', '(3)', '/bob smith/Über café/Résumé (3).pdf', '7', '2026-10-10T10:10:10Z', 'downloaded', 'bob smith/Über café/Résumé (3).pdf']);
		expect(rows).toHaveLength(7);

		const log = (await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).trimEnd().split('\n');
		const download = log.map(line => line.split('\t')).find(fields => fields[2] === 'download' && fields[3] === '/alice/Site/Plan v2.dh');
		expect(download).toBeDefined();
		expect(download![0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(download![1]).toBe('INFO');
		expect(download![4]).toBe('9');
		expect(download![5]).toMatch(/^\d+$/);
		expect(log.at(-1)).toMatch(/\tINFO\trun-end\t\/\t40\t\d+\tsuccess$/);
		expect((await stat(join(backup, 'packrat-transfer.log'))).mode & 0o777).toBe(0o600);
		expect(await readdir(join(backup, '.packrat', 'partial'))).toEqual([]);
		const [run] = await readHistory(backup);
		expect(run).toMatchObject({outcome: 'success', mode: 'incremental', counts: {downloaded: 6}, bytes: 40, errors: 0});
	});

	it('under Latest only downloads the latest of each project and leaves older versions already there', async () => {
		const backup = await tempDir();
		await writeTree(backup, {'alice/Site/Plan v1.dh': {content: 'plan one', mtime: t('2026-01-02T03:04:05Z')}});
		const summary = await runBackup({job: makeJob(server, backup, {latestOnly: true})});
		expect(summary.counts).toEqual({downloaded: 5, unchanged: 1, failed: 0, skipped: 0});
		const fresh = await tempDir();
		const other = await runBackup({job: makeJob(server, fresh, {latestOnly: true})});
		expect(other.counts).toEqual({downloaded: 5, unchanged: 0, failed: 0, skipped: 1});
		expect(Object.keys(await tree(fresh))).not.toContain('alice/Site/Plan v1.dh');
		const rows = await exportRows(join(fresh, 'packrat-export.tsv'));
		expect(rows).toContainEqual(['alice', 'Plan.dh', 'v1', '/alice/Site/Plan v1.dh', '8', '2026-01-02T03:04:05Z', 'skipped', '']);
	});

	it('applies a configured version pattern', async () => {
		const backup = await tempDir();
		const summary = await runBackup({job: makeJob(server, backup, {latestOnly: true, versionPattern: '(?<version>notes)$'})});
		// With this pattern "Plan v1"/"Plan v2" are separate projects: nothing is left out.
		expect(summary.counts).toEqual({downloaded: 6, unchanged: 0, failed: 0, skipped: 0});
	});

	it('refuses a second run on the same folder while one holds the lock, and takes over a dead one', async () => {
		const backup = await tempDir();
		const {mkdir} = await import('node:fs/promises');
		await mkdir(join(backup, '.packrat'), {recursive: true});
		await writeFile(join(backup, '.packrat', 'lock'), JSON.stringify({pid: process.pid, host: (await import('node:os')).hostname(), started: 'earlier'}));
		const refused = await runBackup({job: makeJob(server, backup)});
		expect(refused.outcome).toBe('failed');
		expect(refused.reason).toMatch(new RegExp(`another packrat run \\(pid ${process.pid} .*is using the backup folder`));
		await writeFile(join(backup, '.packrat', 'lock'), JSON.stringify({pid: 2 ** 22 + 12_345, host: (await import('node:os')).hostname(), started: 'earlier'}));
		const taken = await runBackup({job: makeJob(server, backup)});
		expect(taken.outcome).toBe('success');
	});
});
