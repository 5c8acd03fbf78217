import {readdir, readFile, rm, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer, type FtpServerOptions} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {stateFolderName} from '../../source/backup/history.js';
import {acquireLock} from '../../source/backup/lock.js';
import {runBackup, type Job} from '../../source/backup/run.js';
import type {VerifySummary} from '../../source/verify/report.js';
import {verifyBackup} from '../../source/verify/verify.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';
import {readReport} from '../helpers/verify-report.js';

const t = (iso: string) => new Date(iso);
const files = {
	'top.txt': {content: 'at the root', mtime: t('2026-11-01T10:00:07Z')},
	'alice/Site/Plan v2.dh': {content: 'plan two!', mtime: t('2026-11-20T03:00:00Z')},
	'bob/notes.txt': {content: 'notes', mtime: t('2025-05-05T05:05:05Z')},
	'bob/empty.bin': {content: '', mtime: t('2026-10-10T10:10:11Z')},
};

/** A server over a fresh copy of `files`, and a backup of it made by a real run. */
async function backedUp(options: Omit<FtpServerOptions, 'root'>, job: Partial<Job> = {}) {
	const source = await tempDir();
	await writeTree(source, files);
	const server = await startFtpServer({root: source, mlsd: true, ...options});
	const backup = await tempDir();
	const made = makeJob(server, backup, job);
	const run = await runBackup({job: made});
	expect(run.outcome).toBe('success');
	return {source, server, backup, job: made};
}

/** Same size, same modification time, other bytes: only a hash or the bytes can tell. */
async function sneakyChange(source: string, name: string, content: string): Promise<void> {
	const file = files[name as keyof typeof files];
	expect(content.length).toBe(file.content.length);
	await writeFile(join(source, name), content);
	await utimes(join(source, name), file.mtime, file.mtime);
}

const counts = (summary: VerifySummary) => summary.counts;

describe('packrat verify against the ftp-srv test server', () => {
	it('with HASH: every file ok by SHA-256 (chosen with OPTS HASH); a same-size, same-time change is caught by its hash', async () => {
		const {source, server, backup, job} = await backedUp({hash: 'HASH'});
		try {
			const good = await verifyBackup({job});
			expect(good).toMatchObject({outcome: 'good', hash: 'SHA-256 (HASH)', target: backup, reportPath: join(backup, 'packrat-verify.tsv')});
			expect(counts(good)).toEqual({checked: 4, ok: 4, missing: 0, different: 0, extra: 0, skipped: 0, failed: 0});
			const checked = 'size+mtime+SHA-256';
			expect(await readReport(backup)).toEqual({
				'alice/Site/Plan v2.dh': [checked, 'ok', ''],
				'bob/empty.bin': [checked, 'ok', ''],
				'bob/notes.txt': [checked, 'ok', ''],
				'top.txt': [checked, 'ok', ''],
			});

			await sneakyChange(source, 'bob/notes.txt', 'NOTES');
			const caught = await verifyBackup({job});
			expect(caught.outcome).toBe('differs');
			expect(counts(caught)).toMatchObject({checked: 4, ok: 3, different: 1});
			const [how, result, detail] = (await readReport(backup))['bob/notes.txt']!;
			expect([how, result]).toEqual([checked, 'different']);
			expect(detail).toMatch(/^SHA-256 differs: [\da-f]{64} in the backup, [\da-f]{64} on the server$/);
		} finally {
			await server.close();
		}
	});

	it('with XMD5 (answered 250, as proftpd does): ok by MD5, and a same-size, same-time change is caught', async () => {
		const {source, server, backup, job} = await backedUp({hash: 'XMD5', mlsd: false});
		try {
			const good = await verifyBackup({job});
			expect(good).toMatchObject({outcome: 'good', hash: 'MD5 (XMD5)'});
			expect(Object.values(await readReport(backup)).map(row => row.join(' '))).toEqual(Array(4).fill('size+mtime+MD5 ok '));

			await sneakyChange(source, 'top.txt', 'AT THE ROOT');
			const caught = await verifyBackup({job});
			expect(caught.outcome).toBe('differs');
			expect((await readReport(backup))['top.txt']).toEqual(['size+mtime+MD5', 'different', expect.stringMatching(/^MD5 differs: /)]);
		} finally {
			await server.close();
		}
	});

	it('without a hash command: size and time only, and --sample 100 catches a same-size, same-time change in memory', async () => {
		const {source, server, backup, job} = await backedUp({});
		try {
			await sneakyChange(source, 'alice/Site/Plan v2.dh', 'plan TWO!');
			const blind = await verifyBackup({job});
			expect(blind).toMatchObject({outcome: 'good', hashNote: 'the server offers no hash command', sampled: 0});
			expect(blind.hash).toBeUndefined();
			expect((await readReport(backup))['alice/Site/Plan v2.dh']).toEqual(['size+mtime', 'ok', '']);

			const {'packrat-verify.tsv': _report, ...before} = await tree(backup);
			const sampled = await verifyBackup({job, samplePercent: 100});
			expect(sampled).toMatchObject({outcome: 'differs', sampled: 4, sampledBytes: 9 + 11 + 5 + 0});
			const rows = await readReport(backup);
			expect(rows['alice/Site/Plan v2.dh']).toEqual(['size+mtime+bytes', 'different', 'the bytes differ from offset 5']);
			expect(rows['bob/notes.txt']).toEqual(['size+mtime+bytes', 'ok', '']);
			// Downloaded into memory only: the backup holds what it held, and nothing partial.
			const {'packrat-verify.tsv': report2, ...after} = await tree(backup);
			expect(report2).toBeDefined();
			expect(after).toEqual(before);
			expect(await readdir(join(backup, stateFolderName, 'partial'))).toEqual([]);
		} finally {
			await server.close();
		}
	});

	it('names what is missing (gone from the backup), extra (gone from the server: not an error) and different (size)', async () => {
		const {source, server, backup, job} = await backedUp({hash: 'HASH'});
		try {
			await rm(join(source, 'top.txt'));
			const extra = await verifyBackup({job});
			expect(extra.outcome).toBe('good');
			expect(counts(extra)).toMatchObject({checked: 3, ok: 3, extra: 1});
			expect((await readReport(backup))['top.txt']).toEqual(['listing', 'extra', 'in the backup, not on the server']);

			await rm(join(backup, 'alice', 'Site', 'Plan v2.dh'));
			await writeFile(join(source, 'bob', 'empty.bin'), 'now 3');
			await utimes(join(source, 'bob', 'empty.bin'), files['bob/empty.bin'].mtime, files['bob/empty.bin'].mtime);
			const bad = await verifyBackup({job});
			expect(bad.outcome).toBe('differs');
			expect(counts(bad)).toEqual({checked: 3, ok: 1, missing: 1, different: 1, extra: 1, skipped: 0, failed: 0});
			const rows = await readReport(backup);
			expect(rows['alice/Site/Plan v2.dh']).toEqual(['listing', 'missing', 'on the server, not in the backup']);
			expect(rows['bob/empty.bin']).toEqual(['size+mtime', 'different', 'size: 0 in the backup, 5 on the server']);
		} finally {
			await server.close();
		}
	});

	it('calls neither kept older copies nor packrat\'s own files extra; a time change is different', async () => {
		const {source, server, backup, job} = await backedUp({});
		try {
			await writeTree(source, {'bob/notes.txt': {content: 'newer', mtime: t('2026-12-01T00:00:00Z')}});
			expect((await runBackup({job})).counts.downloaded).toBe(1);
			expect(Object.keys(await tree(backup))).toHaveLength(5); // The older copy beside the new one.
			expect((await verifyBackup({job})).counts).toMatchObject({ok: 4, extra: 0});

			await utimes(join(source, 'top.txt'), t('2026-11-01T10:00:08Z'), t('2026-11-01T10:00:08Z'));
			await verifyBackup({job});
			expect((await readReport(backup))['top.txt']).toEqual(['size+mtime', 'different', 'modified: 2026-11-01T10:00:07Z in the backup, 2026-11-01T10:00:08Z on the server']);
		} finally {
			await server.close();
		}
	});

	it('in Full mode compares the newest complete snapshot, and says so when there is none', async () => {
		const {source, server, backup, job} = await backedUp({hash: 'HASH'}, {mode: 'full'});
		try {
			const [snapshot] = (await readdir(backup)).filter(name => /^\d{4}-/.test(name));
			const good = await verifyBackup({job});
			expect(good).toMatchObject({outcome: 'good', snapshot, target: join(backup, snapshot!)});
			expect(counts(good)).toMatchObject({checked: 4, ok: 4, extra: 0});
			await sneakyChange(source, 'bob/notes.txt', 'n0tes');
			expect((await verifyBackup({job})).outcome).toBe('differs');

			const none = await verifyBackup({job: {...job, backupFolder: await tempDir()}});
			expect(none).toMatchObject({outcome: 'failed', failure: 'local'});
			expect(none.reason).toMatch(/holds no complete Full snapshot to verify: run a Full backup first/);
		} finally {
			await server.close();
		}
	});

	it('Latest only: older versions the run would not fetch are skipped, not missing', async () => {
		const source = await tempDir();
		await writeTree(source, {'a/Plan v1.dh': {content: 'one', mtime: t('2026-01-01T00:00:00Z')}, 'a/Plan v2.dh': {content: 'two', mtime: t('2026-02-01T00:00:00Z')}});
		const server = await startFtpServer({root: source, mlsd: true});
		try {
			const backup = await tempDir();
			const job = makeJob(server, backup, {latestOnly: true});
			await runBackup({job});
			const summary = await verifyBackup({job});
			expect(summary.outcome).toBe('good');
			expect((await readReport(backup))['a/Plan v1.dh']).toEqual(['', 'skipped', 'not the latest version of its project']);
		} finally {
			await server.close();
		}
	});

	it('checks a server file named packrat-verify.tsv where the run stored it, beside the report', async () => {
		const source = await tempDir();
		await writeTree(source, {'packrat-verify.tsv': {content: 'the server\'s own'}, 'u/a.txt': {content: 'a'}});
		const server = await startFtpServer({root: source, mlsd: true});
		try {
			const backup = await tempDir();
			const job = makeJob(server, backup);
			expect((await runBackup({job})).counts).toMatchObject({downloaded: 2, skipped: 0});
			expect(await tree(backup)).toMatchObject({'packrat-verify.tsv (server copy)': {text: 'the server\'s own'}, 'u/a.txt': {text: 'a'}});
			expect((await verifyBackup({job})).outcome).toBe('good');
			const report = await readReport(backup);
			expect(report['packrat-verify.tsv (server copy)']).toEqual([expect.stringContaining('size+mtime'), 'ok', '']);
		} finally {
			await server.close();
		}
	});

	it('does not run while a backup holds the folder, nor on a backup folder that is not there', async () => {
		const {server, backup, job} = await backedUp({});
		try {
			const lock = await acquireLock(join(backup, stateFolderName), backup);
			const refused = await verifyBackup({job});
			await lock.release();
			expect(refused).toMatchObject({outcome: 'failed', failure: 'lock'});
			expect(refused.reason).toMatch(/another packrat run \(pid \d+ on .*\) is using the backup folder/);
			await expect(readFile(join(backup, 'packrat-verify.tsv'))).rejects.toThrow(/ENOENT/);

			const nowhere = await verifyBackup({job: {...job, backupFolder: join(backup, 'not-there')}});
			expect(nowhere).toMatchObject({outcome: 'failed', failure: 'config'});
			expect(nowhere.reason).toMatch(/the backup folder .*not-there does not exist: nothing to verify/);
		} finally {
			await server.close();
		}
	});
});
