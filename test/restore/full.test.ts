import {mkdir, readdir, stat, symlink} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {localStamp} from '../../source/backup/local.js';
import {runBackup} from '../../source/backup/run.js';
import {catalogue, fileVersions, folderVersions} from '../../source/restore/catalog.js';
import {restore} from '../../source/restore/restore.js';
import {folderState} from '../helpers/folder-state.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const t = (iso: string) => new Date(iso);
const s = (iso: string) => Date.parse(iso) / 1000;
const day = (n: number) => t(`2026-11-${n}T03:00:00Z`);
const stamp = (n: number) => localStamp(day(n));

const plans = {
	'alice/Plan v1.dh': {content: 'one', mtime: t('2026-01-01T00:00:01Z')},
	'alice/Plan v2.dh': {content: 'two', mtime: t('2026-02-01T00:00:02Z')},
};
/** page.html on the server at each of the five runs (days 20 to 24). */
const pages = [
	{content: 'page 1', mtime: t('2026-11-19T12:00:00Z')},
	{content: 'page 1', mtime: t('2026-11-19T12:00:00Z')},
	{content: 'page three', mtime: t('2026-11-21T12:00:00Z')},
	{content: 'page three', mtime: t('2026-11-21T12:00:00Z')},
	{content: 'page 5', mtime: t('2026-11-23T12:00:00Z')},
];

describe('restoring from Full snapshots made by real runs (linkUnchanged, keepSnapshots 3)', () => {
	let source: string;
	let server: FtpTestServer;
	let backup: string;
	let before: Awaited<ReturnType<typeof folderState>>;

	beforeAll(async () => {
		source = await tempDir();
		await writeTree(source, {...plans, 'bob/same.txt': {content: 'same all along', mtime: t('2026-10-01T00:00:00Z')}});
		server = await startFtpServer({root: source, mlsd: true});
		backup = await tempDir();
		const job = makeJob(server, backup, {mode: 'full', linkUnchanged: true, keepSnapshots: 3});
		for (const [index, page] of pages.entries()) {
			await writeTree(source, {'alice/page.html': page});
			expect((await runBackup({job, now: () => day(20 + index)})).outcome).toBe('success');
		}

		// A run that fails part-way (a folder it cannot list whole, a file it cannot fetch) leaves its
		// snapshot `.incomplete`, holding a new page.html that must never count.
		await writeTree(source, {'alice/page.html': {content: 'page six', mtime: t('2026-11-24T12:00:00Z')}, 'alice/big.bin': {content: 'b'.repeat(100), mtime: t('2026-11-24T12:00:00Z')}});
		const breaking = await startFtpServer({root: source, mlsd: true, breakReads: {afterBytes: 50, times: 100}, extraLines: {'/bob': {mlsd: ['garbage that is no listing line']}}});
		try {
			expect((await runBackup({job: {...job, retries: 0, server: {...job.server, port: breaking.port}}, now: () => day(25)})).outcome).toBe('failed');
		} finally {
			await breaking.close();
		}

		expect((await stat(join(backup, `${stamp(25)}.incomplete`, 'alice', 'page.html'))).size).toBe(8);
		// A folder named like a snapshot that is a symlink is never followed.
		const elsewhere = await tempDir();
		await writeTree(elsewhere, {'alice/page.html': {content: 'not a snapshot', mtime: t('2026-11-26T00:00:00Z')}});
		await symlink(elsewhere, join(backup, '2026-12-01 000000'));
		before = await folderState(backup);
	});

	afterAll(async () => {
		expect(await folderState(backup)).toEqual(before);
		await server.close();
	});

	it('lists each distinct version once, hard-linked copies as one, from the snapshots that remain', async () => {
		expect((await readdir(backup)).filter(name => /^\d{4}-/.test(name)).sort()).toEqual([stamp(22), stamp(23), stamp(24), `${stamp(25)}.incomplete`, '2026-12-01 000000']);
		const page = await fileVersions(backup, ['alice', 'page.html']);
		expect(page.versions).toEqual([
			{number: 1, size: 6, mtime: s('2026-11-23T12:00:00Z'), where: `${stamp(24)}/alice/page.html`, place: 'snapshot', snapshot: stamp(24), also: [], shared: false},
			{number: 2, size: 10, mtime: s('2026-11-21T12:00:00Z'), where: `${stamp(23)}/alice/page.html`, place: 'snapshot', snapshot: stamp(23), also: [`${stamp(22)}/alice/page.html`], shared: false},
		]);
		expect(page.skipped).toEqual([{where: '2026-12-01 000000', reason: 'a symlink, not followed'}]);
		const [a, b] = await Promise.all([stamp(22), stamp(23)].map(async name => stat(join(backup, name, 'alice', 'page.html'))));
		expect(a!.ino).toBe(b!.ino);

		const same = await fileVersions(backup, ['bob', 'same.txt']);
		expect(same.versions).toHaveLength(1);
		expect(same.versions[0]).toMatchObject({where: `${stamp(24)}/bob/same.txt`, also: [`${stamp(23)}/bob/same.txt`, `${stamp(22)}/bob/same.txt`]});
		// big.bin never got past the failed run: it is not in the backup.
		expect((await fileVersions(backup, ['alice', 'big.bin'])).versions).toEqual([]);
	});

	it('restores each version with its bytes and mtime', async () => {
		for (const [version, page] of [[1, pages[4]!], [2, pages[2]!]] as const) {
			const to = await tempDir();
			await restore({backup, parts: ['alice', 'page.html'], version, to});
			expect(await tree(to)).toEqual({'page.html': {text: page.content, mtime: page.mtime.getTime() / 1000}});
		}
	});

	it('restores a folder as it stood at a run; what was pruned is no longer there to restore', async () => {
		const folder = await folderVersions(backup, ['alice']);
		expect(folder!.times.map(time => time.mtime)).toEqual([s('2026-11-23T12:00:00Z'), s('2026-11-21T12:00:00Z'), s('2026-02-01T00:00:02Z'), s('2026-01-01T00:00:01Z')]);
		const plansHeld = Object.fromEntries(Object.entries(plans).map(([path, file]) => [path.slice('alice/'.length), {text: file.content, mtime: file.mtime.getTime() / 1000}]));
		for (const [at, page] of [[s('2026-11-22T00:00:00Z'), pages[2]], [s('2026-11-20T00:00:00Z'), undefined]] as const) {
			const to = await tempDir();
			await restore({backup, parts: ['alice'], at, to});
			expect(await tree(join(to, 'alice'))).toEqual({...plansHeld, ...(page ? {'page.html': {text: page.content, mtime: page.mtime.getTime() / 1000}} : {})});
		}
	});
});

describe('restoring from a Latest only backup', () => {
	it('has only the latest of each project, and an older version kept when the latest changed', async () => {
		const source = await tempDir();
		await writeTree(source, plans);
		const server = await startFtpServer({root: source, mlsd: true});
		try {
			const incremental = await tempDir();
			const full = await tempDir();
			await runBackup({job: makeJob(server, incremental, {latestOnly: true})});
			await runBackup({job: makeJob(server, full, {latestOnly: true, mode: 'full'}), now: () => day(20)});
			await writeTree(source, {'alice/Plan v2.dh': {content: 'two, again', mtime: t('2026-03-01T00:00:00Z')}});
			await runBackup({job: makeJob(server, incremental, {latestOnly: true})});
			await mkdir(join(incremental, 'elsewhere'));

			expect(await catalogue(incremental, ['alice', 'Plan v1.dh'])).toBeUndefined();
			expect(await catalogue(full, ['alice', 'Plan v1.dh'])).toBeUndefined();
			const v2 = await fileVersions(incremental, ['alice', 'Plan v2.dh']);
			expect(v2.versions.map(version => [version.size, version.mtime, version.place])).toEqual([[10, s('2026-03-01T00:00:00Z'), 'current'], [3, s('2026-02-01T00:00:02Z'), 'kept']]);
			const to = await tempDir();
			await restore({backup: incremental, parts: ['alice', 'Plan v2.dh'], version: 2, to});
			expect(await tree(to)).toEqual({'Plan v2.dh': {text: 'two', mtime: s('2026-02-01T00:00:02Z')}});
			expect((await fileVersions(full, ['alice', 'Plan v2.dh'])).versions).toMatchObject([{where: `${stamp(20)}/alice/Plan v2.dh`, place: 'snapshot'}]);
		} finally {
			await server.close();
		}
	});
});
