import {link, mkdir, readdir, readFile, symlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {seedSample, writeTree} from '../../devtools/sample-data.js';
import {runBackup} from '../../source/backup/run.js';
import type {RunEvent} from '../../source/backup/events.js';
import {Partials} from '../../source/backup/transfer.js';
import {exportRows, makeJob, tempDir, tree} from '../helpers/fixture.js';

describe('sources', () => {
	it('gives the same backup from a LIST-only server (times by MDTM) and an MLSD server', async () => {
		const source = await tempDir();
		await seedSample(source);
		const list = await startFtpServer({root: source, mlsd: false});
		const mlsd = await startFtpServer({root: source, mlsd: true});
		try {
			const a = await tempDir();
			const b = await tempDir();
			const events: RunEvent[] = [];
			const viaList = await runBackup({job: makeJob(list, a), onEvent: event => events.push(event)});
			const viaMlsd = await runBackup({job: makeJob(mlsd, b)});
			expect(events.find(event => event.type === 'connected')).toMatchObject({listing: 'LIST'});
			expect(viaList.outcome).toBe('success');
			expect(viaList.counts).toEqual(viaMlsd.counts);
			const held = await tree(a);
			expect(Object.keys(held).length).toBeGreaterThan(30);
			expect(held).toEqual(await tree(b));
			expect(held).toEqual(await tree(source));
		} finally {
			await list.close();
			await mlsd.close();
		}
	});

	it('does not follow remote symlinks, lists them as skipped, and keeps packrat\'s own names for packrat', async () => {
		const source = await tempDir();
		const outside = await tempDir();
		await writeFile(join(outside, 'secret.txt'), 'outside');
		await writeTree(source, {'u/file.txt': {content: 'in'}, 'packrat-export.tsv': {content: 'hostile'}});
		await symlink(join(outside, 'secret.txt'), join(source, 'u', 'link.txt'));
		await symlink(outside, join(source, 'u', 'linkdir'));
		for (const mlsd of [false, true]) {
			const server = await startFtpServer({root: source, mlsd});
			try {
				const backup = await tempDir();
				const summary = await runBackup({job: makeJob(server, backup)});
				expect(summary.counts).toEqual({downloaded: 2, unchanged: 0, failed: 0, skipped: 2});
				expect(Object.keys(await tree(backup)).sort()).toEqual(['packrat-export.tsv (server copy)', 'u/file.txt']);
				const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
				expect(log).toMatch(/\tWARN\tsymlink\t\/u\/link\.txt\t/);
				expect(log).toMatch(/\tWARN\tsymlink\t\/u\/linkdir\t/);
				const rows = await exportRows(join(backup, 'packrat-export.tsv'));
				expect(rows.find(row => row[3] === '/packrat-export.tsv')?.slice(6)).toEqual(['downloaded', 'packrat-export.tsv (server copy)']);
				expect(rows.find(row => row[3] === '/u/link.txt')?.[6]).toBe('skipped');
			} finally {
				await server.close();
			}
		}
	});

	it('resumes a partial download of the same version with REST', async () => {
		const source = await tempDir();
		const content = 'x'.repeat(300_000) + 'y'.repeat(300_000);
		const mtime = new Date('2026-11-20T03:00:00Z');
		await writeTree(source, {'u/big.bin': {content, mtime}});
		const server = await startFtpServer({root: source, mlsd: true});
		try {
			const backup = await tempDir();
			const partials = new Partials(join(backup, '.packrat', 'partial'));
			await mkdir(partials.folder, {recursive: true});
			const file = {path: '/u/big.bin', parts: ['u', 'big.bin'], size: 600_000, mtime: mtime.getTime() / 1000};
			await partials.begin(partials.of(file));
			// What an interrupted attempt left: the first half of the same version.
			await writeFile(partials.of(file).data, 'x'.repeat(300_000));
			const summary = await runBackup({job: makeJob(server, backup)});
			expect(summary.bytes).toBe(300_000);
			expect(await readFile(join(backup, 'u/big.bin'), 'utf8')).toBe(content);
			expect(await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).toMatch(/\tdownload\t\/u\/big\.bin\t300000\t\d+\tresumed at byte 300000/);
		} finally {
			await server.close();
		}
	});

	it('starts afresh when the partial belongs to another version', async () => {
		const source = await tempDir();
		const fresh = 'n'.repeat(400_000);
		await writeTree(source, {'u/f.bin': {content: fresh, mtime: new Date('2026-11-21T03:00:00Z')}});
		const server = await startFtpServer({root: source, mlsd: true});
		try {
			const backup = await tempDir();
			const partials = new Partials(join(backup, '.packrat', 'partial'));
			await mkdir(partials.folder, {recursive: true});
			const old = {path: '/u/f.bin', parts: ['u', 'f.bin'], size: 400_000, mtime: Date.parse('2026-11-20T03:00:00Z') / 1000};
			await partials.begin(partials.of(old));
			await writeFile(partials.of(old).data, 'o'.repeat(100_000));
			const summary = await runBackup({job: makeJob(server, backup)});
			expect(summary.bytes).toBe(400_000);
			expect(await readFile(join(backup, 'u/f.bin'), 'utf8')).toBe(fresh);
		} finally {
			await server.close();
		}
	});

	it('goes on with fewer connections when the server answers 421', async () => {
		const source = await tempDir();
		await seedSample(source);
		const server = await startFtpServer({root: source, mlsd: true, maxConnections: 2});
		try {
			const backup = await tempDir();
			const events: RunEvent[] = [];
			const summary = await runBackup({job: makeJob(server, backup, {connections: 6}), onEvent: event => events.push(event)});
			expect(summary.outcome).toBe('success');
			expect(events.find(event => event.type === 'connected')).toMatchObject({connections: 2});
			expect(events.some(event => event.type === 'connections')).toBe(true);
			expect(await tree(backup)).toEqual(await tree(source));
		} finally {
			await server.close();
		}
	});
});

describe('a folder that cannot be listed', () => {
	it('is an error on the error pane, makes the estimate incomplete, and fails the run after the rest is backed up', async () => {
		const source = await tempDir();
		await writeTree(source, {'u/a.txt': {content: 'a'}});
		const server = await startFtpServer({root: source, mlsd: true, extraLines: {'/': {mlsd: ['type=dir;modify=20261120030000; ghost']}}});
		try {
			const backup = await tempDir();
			const events: RunEvent[] = [];
			const summary = await runBackup({job: makeJob(server, backup), onEvent: event => events.push(event)});
			expect(events.find(event => event.type === 'estimate-failed')).toMatchObject({reason: expect.stringContaining('/ghost') as string});
			expect(events.find(event => event.type === 'error')).toMatchObject({path: '/ghost'});
			expect(summary).toMatchObject({outcome: 'failed', counts: {downloaded: 1}});
			expect(summary.reason).toMatch(/^1 folder\(s\) could not be listed; see /);
			expect(await readFile(join(backup, 'packrat-errors.log'), 'utf8')).toContain('\t/ghost\t');
		} finally {
			await server.close();
		}
	});
});

describe('a crash between putting a file in place and cleaning up', () => {
	it('finds the partial already linked into place and keeps no duplicate older copy', async () => {
		const source = await tempDir();
		const content = 'k'.repeat(300_000);
		const mtime = new Date('2026-11-20T03:00:00Z');
		await writeTree(source, {'u/k.bin': {content, mtime}});
		const server = await startFtpServer({root: source, mlsd: true});
		try {
			const backup = await tempDir();
			const partials = new Partials(join(backup, '.packrat', 'partial'));
			await mkdir(partials.folder, {recursive: true});
			const file = {path: '/u/k.bin', parts: ['u', 'k.bin'], size: 300_000, mtime: mtime.getTime() / 1000};
			await partials.begin(partials.of(file));
			await writeTree(backup, {'u/k.bin': {content, mtime}});
			await link(join(backup, 'u/k.bin'), partials.of(file).data);
			const summary = await runBackup({job: makeJob(server, backup)});
			expect(summary.outcome).toBe('success');
			expect(await readdir(join(backup, 'u'))).toEqual(['k.bin']);
			expect(await readdir(partials.folder)).toEqual([]);
		} finally {
			await server.close();
		}
	});
});
