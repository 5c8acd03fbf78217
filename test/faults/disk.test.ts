import {spawnSync} from 'node:child_process';
import {mkdir, readdir, readFile, rmdir, symlink, unlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';
import {needTool, skipWithout} from '../helpers/tools.js';

/** A real full disk: a 1 MiB tmpfs, when this process may mount one (root on Linux); else why not. */
async function smallDisk(): Promise<{folder?: string; missing?: string}> {
	if (process.getuid?.() !== 0) return {missing: 'mounting a small tmpfs needs root'};
	const folder = await tempDir();
	const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', folder], {encoding: 'utf8'});
	if (mounted.status !== 0) return {missing: `a 1 MiB tmpfs could not be mounted (${(mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim()})`};
	return {folder};
}

describe('the backup folder', () => {
	let disk: string | undefined;
	let missing: string | undefined;
	beforeAll(async () => {
		({folder: disk, missing} = await smallDisk());
	});

	afterAll(async () => {
		if (disk) {
			spawnSync('umount', [disk]);
			await rmdir(disk).catch(() => undefined);
		}
	});

	it('on a full disk the run fails with one line naming the folder; the older version is kept, no partial is left', async ctx => {
		if (skipWithout(missing, 'the full-disk test')) return ctx.skip(missing);
		needTool(missing);
		const backup = join(disk!, 'backup');
		await writeTree(backup, {'u/report.pdf': {content: 'the older version', mtime: new Date('2026-01-01T00:00:00Z')}});
		const source = await tempDir();
		await writeTree(source, {'u/report.pdf': {content: Buffer.alloc(3 * 1024 * 1024, 'n'), mtime: new Date('2026-11-20T03:00:00Z')}});
		const server = await startFtpServer({root: source, mlsd: true});
		try {
			const summary = await runBackup({job: makeJob(server, backup, {connections: 1})});
			expect(summary.outcome).toBe('failed');
			expect(summary.reason).toBe(`cannot write to the backup folder ${backup}: the disk is full (ENOSPC); free space or choose another folder, then run again`);
			expect(await readFile(join(backup, 'u/report.pdf'), 'utf8')).toBe('the older version');
			expect(await readdir(join(backup, 'u'))).toEqual(['report.pdf']);
			expect(await readdir(join(backup, '.packrat', 'partial'))).toEqual([]);
		} finally {
			await server.close();
		}
	});

	it('never writes through a symlink placed inside it', async () => {
		const source = await tempDir();
		await writeTree(source, {'u/a.txt': {content: 'a'}, 'v/b.txt': {content: 'b'}});
		const server = await startFtpServer({root: source, mlsd: true});
		const outside = await tempDir();
		try {
			const backup = await tempDir();
			await symlink(outside, join(backup, 'u'));
			await mkdir(join(backup, '.packrat', 'partial'), {recursive: true});
			await symlink(join(outside, 'log'), join(backup, 'packrat-transfer.log'));
			const summary = await runBackup({job: makeJob(server, backup)});
			expect(summary.outcome).toBe('failed');
			expect(await readdir(outside)).toEqual([]);
			expect(summary.reason).toMatch(/packrat-transfer\.log is a symlink, and packrat never writes through a link in the backup folder: remove it$/);

			await unlink(join(backup, 'packrat-transfer.log'));
			const second = await runBackup({job: makeJob(server, backup)});
			expect(second.counts).toMatchObject({downloaded: 1, failed: 1});
			expect(await readdir(outside)).toEqual([]);
			expect(await readFile(join(backup, 'packrat-errors.log'), 'utf8')).toMatch(/refused to write through the symlink .*\/u inside the backup folder/);
			expect(await tree(backup)).toEqual({'v/b.txt': {text: 'b', mtime: expect.any(Number) as number}});
		} finally {
			await server.close();
		}
	});

	it('a write error (a file in the way of the partials folder) is one line naming the folder', async () => {
		const source = await tempDir();
		const server = await startFtpServer({root: source});
		try {
			const backup = await tempDir();
			await writeFile(join(backup, '.packrat'), 'not a folder');
			const summary = await runBackup({job: makeJob(server, backup)});
			expect(summary).toMatchObject({outcome: 'failed', failure: 'config'});
			expect(summary.reason).toMatch(new RegExp(`^the backup folder ${backup} cannot be written \\((EEXIST|ENOTDIR)\\)`));
		} finally {
			await server.close();
		}
	});
});
