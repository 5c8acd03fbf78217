import {mkdir, readdir, readFile, readlink, symlink} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {PackratError} from '../../source/backup/errors.js';
import {localStamp} from '../../source/backup/local.js';
import {runBackup} from '../../source/backup/run.js';
import {fileVersions} from '../../source/restore/catalog.js';
import {restore} from '../../source/restore/restore.js';
import {RestoreError, copyVersion} from '../../source/restore/write.js';
import {folderState} from '../helpers/folder-state.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const when = new Date('2026-11-20T03:00:00Z');
const at = when.getTime() / 1000;
const symlinked = {reason: 'a symlink, not followed'};

describe('a restore never follows a symlink, never overwrites, never writes into the backup folder', () => {
	let backup: string;
	let outside: string;
	let before: Awaited<ReturnType<typeof folderState>>;

	beforeAll(async () => {
		const source = await tempDir();
		await writeTree(source, {'u/a.txt': {content: 'the real a', mtime: when}, 'u/sub/b.txt': {content: 'the real b', mtime: when}});
		await mkdir(join(source, 'u', 'sub', 'empty'));
		const server = await startFtpServer({root: source, mlsd: true});
		backup = await tempDir();
		try {
			expect((await runBackup({job: makeJob(server, backup)})).outcome).toBe('success');
		} finally {
			await server.close();
		}

		outside = await tempDir();
		await writeTree(outside, {'secret.txt': {content: 'SECRET', mtime: when}, 'a.txt': {content: 'SECRET a', mtime: when}});
		await symlink(join(outside, 'secret.txt'), join(backup, 'u', 'link.txt'));
		await symlink(join(outside, 'secret.txt'), join(backup, 'u', `a (${localStamp(new Date('2026-01-01T00:00:00Z'))}).txt`));
		await symlink(outside, join(backup, 'u', 'linkdir'));
		await symlink(outside, join(backup, 'v'));
		before = await folderState(backup);
	});

	afterAll(async () => {
		expect(await folderState(backup)).toEqual(before);
	});

	it('skips and reports a symlink in the backup folder: a file, a kept-looking name, a folder on the way', async () => {
		const link = await fileVersions(backup, ['u', 'link.txt']);
		expect(link.versions).toEqual([]);
		expect(link.skipped).toEqual([{where: 'u/link.txt', ...symlinked}]);
		const a = await fileVersions(backup, ['u', 'a.txt']);
		expect(a.versions.map(version => version.where)).toEqual(['u/a.txt']);
		expect(a.skipped).toEqual([{where: `u/a (${localStamp(new Date('2026-01-01T00:00:00Z'))}).txt`, ...symlinked}]);
		expect((await fileVersions(backup, ['v', 'secret.txt'])).skipped).toEqual([{where: 'v', ...symlinked}]);
		expect((await fileVersions(backup, ['u', 'linkdir', 'secret.txt'])).skipped).toEqual([{where: 'u/linkdir', ...symlinked}]);

		const to = await tempDir();
		const result = await restore({backup, parts: ['u'], to});
		expect(await tree(to)).toEqual({'u/a.txt': {text: 'the real a', mtime: at}, 'u/sub/b.txt': {text: 'the real b', mtime: at}});
		expect(result.skipped.map(item => item.where).sort()).toEqual([`u/a (${localStamp(new Date('2026-01-01T00:00:00Z'))}).txt`, 'u/link.txt', 'u/linkdir']);
		const whole = await tempDir();
		const all = await restore({backup, parts: [], to: whole});
		expect(Object.keys(await tree(whole)).sort()).toEqual(['u/a.txt', 'u/sub/b.txt']);
		expect(all.skipped.map(item => item.where)).toContain('v');
	});

	it('opens the file it copies without following a symlink, even one put there after the listing', async () => {
		const to = await tempDir();
		await expect(copyVersion(join(backup, 'u', 'link.txt'), {size: 6, mtime: at, stamp: 'x'}, to, 'copy.txt')).rejects.toThrow(RestoreError);
		expect(await readdir(to)).toEqual([]);
	});

	it('writes beside a symlink planted in DIR, never through it, and says which name was taken', async () => {
		const to = await tempDir();
		const victim = await tempDir();
		await writeTree(victim, {'victim.txt': {content: 'victim', mtime: when}});
		await symlink(join(victim, 'victim.txt'), join(to, 'a.txt'));
		await symlink(join(victim, 'nothing-yet.txt'), join(to, 'b.txt'));
		await symlink(victim, join(to, 'u'));
		const a = await restore({backup, parts: ['u', 'a.txt'], to});
		expect(a.restored[0]).toMatchObject({to: join(to, `a (${localStamp(when)}).txt`), taken: join(to, 'a.txt')});
		const b = await restore({backup, parts: ['u', 'sub', 'b.txt'], to});
		expect(b.restored[0]).toMatchObject({to: join(to, `b (${localStamp(when)}).txt`), taken: join(to, 'b.txt')});
		const folder = await restore({backup, parts: ['u'], to});
		expect(folder.top).toBe(join(to, `u (${localStamp(when)})`));
		expect(await readFile(join(victim, 'victim.txt'), 'utf8')).toBe('victim');
		expect((await readdir(victim)).sort()).toEqual(['victim.txt']);
		expect(await readlink(join(to, 'a.txt'))).toBe(join(victim, 'victim.txt'));
		expect(await tree(folder.top)).toEqual({'a.txt': {text: 'the real a', mtime: at}, 'sub/b.txt': {text: 'the real b', mtime: at}});
	});

	it('refuses a DIR inside the backup folder, however it is reached, before writing anything', async () => {
		const elsewhere = await tempDir();
		await symlink(join(backup, 'u'), join(elsewhere, 'into-backup'));
		for (const to of [backup, join(backup, 'new', 'deeper'), join(backup, 'u'), join(elsewhere, 'into-backup'), join(elsewhere, 'into-backup', 'more'), join(backup, 'u', '..', 'x')]) {
			const attempt = restore({backup, parts: ['u', 'a.txt'], to});
			await expect(attempt).rejects.toThrow(PackratError);
			await expect(attempt).rejects.toThrow(/is inside the backup folder/);
		}
	});

	it('restores a folder that holds no file as an empty folder', async () => {
		const to = await tempDir();
		const result = await restore({backup, parts: ['u', 'sub', 'empty'], to});
		expect(result).toMatchObject({kind: 'folder', restored: [], failed: [], top: join(to, 'empty')});
		expect(result.asOf).toBeUndefined();
		expect(await readdir(join(to, 'empty'))).toEqual([]);
	});

	it('makes a missing DIR one folder at a time', async () => {
		const to = join(await tempDir(), 'one', 'two');
		await restore({backup, parts: ['u', 'a.txt'], to});
		expect(await tree(to)).toEqual({'a.txt': {text: 'the real a', mtime: at}});
		const blocked = await tempDir();
		await writeTree(blocked, {'file': {content: 'a file, not a folder'}});
		await expect(restore({backup, parts: ['u', 'a.txt'], to: join(blocked, 'file', 'below')})).rejects.toThrow(/is not a folder/);
	});
});
