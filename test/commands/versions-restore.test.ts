import {mkdir, readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {localStamp} from '../../source/backup/local.js';
import {runBackup} from '../../source/backup/run.js';
import {configure, runCli} from '../helpers/cli.js';
import {folderState} from '../helpers/folder-state.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const t = (iso: string) => new Date(iso);
const s = (iso: string) => Date.parse(iso) / 1000;
const page = 'alice/Website/index v3.html';
const deep = `u/${'d'.repeat(200)}/deep.txt`;

describe('packrat versions and packrat restore, the built command line', () => {
	let server: FtpTestServer;
	let backup: string;
	let home: string;
	let before: Awaited<ReturnType<typeof folderState>>;

	beforeAll(async () => {
		const source = await tempDir();
		await writeTree(source, {
			[page]: {content: 'old', mtime: t('2026-11-20T03:00:00Z')},
			'u/-rf': {content: 'dash', mtime: t('2026-11-20T03:00:00Z')},
			'u/tab\there.txt': {content: 'tab', mtime: t('2026-11-20T03:00:00Z')},
			[deep]: {content: 'deep', mtime: t('2026-11-20T03:00:00Z')},
		});
		server = await startFtpServer({root: source, mlsd: true});
		home = await tempDir();
		backup = join(home, 'backup');
		await runBackup({job: makeJob(server, backup)});
		await writeTree(source, {[page]: {content: 'new, longer', mtime: t('2026-11-21T04:00:00Z')}});
		await runBackup({job: makeJob(server, backup)});
		await configure(home, {backupFolder: backup});
		before = await folderState(backup);
	});

	afterAll(async () => {
		expect(await folderState(backup)).toEqual(before);
		await server.close();
	});

	it('versions prints the table, newest first, and exits 0; --json gives one document', async () => {
		const result = await runCli(['versions', `/${page}`], {home});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout.split('\n')).toEqual([
			`/${page}: 2 versions in ${backup}`,
			'  #  Modified             Size  Where',
			`  1  ${localStampColons('2026-11-21T04:00:00Z')}  11 B  alice/Website/index v3.html`,
			`  2  ${localStampColons('2026-11-20T03:00:00Z')}   3 B  alice/Website/index v3 (${localStamp(t('2026-11-20T03:00:00Z'))}).html`,
			'',
		]);
		const json = await runCli(['versions', `/${page}`, '--json'], {home});
		expect(json.code).toBe(0);
		const parsed = JSON.parse(json.stdout) as {kind: string; versions: Array<{number: number; size: number; modified: string; where: string; place: string}>};
		expect(parsed.kind).toBe('file');
		expect(parsed.versions.map(({number, size, modified, place}) => ({number, size, modified, place}))).toEqual([
			{number: 1, size: 11, modified: '2026-11-21T04:00:00Z', place: 'current'},
			{number: 2, size: 3, modified: '2026-11-20T03:00:00Z', place: 'kept'},
		]);

		const folder = await runCli(['versions', '/alice/Website/'], {home});
		expect(folder.code).toBe(0);
		expect(folder.stdout).toContain('/alice/Website/: 1 file, 2 times to restore to');
		const odd = await runCli(['versions', '/u/tab\there.txt', '--folder', backup, '--profile', 'another'], {home});
		expect(odd.code).toBe(0);
		expect(odd.stdout).toContain('u/tab\\there.txt');
		expect(odd.stdout).not.toContain('\t');
	});

	it('versions exits 1 for a path not in the backup and 2 for bad usage, each with one line', async () => {
		const missing = await runCli(['versions', '/alice/nope.txt'], {home});
		expect([missing.code, missing.stdout]).toEqual([1, '']);
		expect(missing.stderr).toBe(`packrat: /alice/nope.txt is not in the backup folder ${backup}\n`);
		for (const args of [['versions'], ['versions', '/a', '/b'], ['versions', '/a', '--bogus'], ['versions', '/a/../b']]) {
			const bad = await runCli(args, {home});
			expect(bad.code, args.join(' ')).toBe(2);
			expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
		}

		const unset = await runCli(['versions', `/${page}`], {home: await tempDir()});
		expect(unset.code).toBe(2);
		expect(unset.stderr).toMatch(/no backup folder is set: packrat config set backupFolder DIR, or --folder DIR/);
	});

	it('restore copies a version into ./packrat-restore, then beside it rather than over it', async () => {
		const cwd = await tempDir();
		const first = await runCli(['restore', `/${page}`, '--version', '2'], {home, cwd});
		expect([first.code, first.stderr]).toEqual([0, '']);
		expect(first.stdout).toBe(`Restored /${page} (${localStampColons('2026-11-20T03:00:00Z')}, 3 B) to packrat-restore/index v3.html\n`);
		const second = await runCli(['restore', `/${page}`], {home, cwd});
		const suffixed = `index v3 (${localStamp(t('2026-11-21T04:00:00Z'))}).html`;
		expect(second.stdout).toBe(`Restored /${page} (${localStampColons('2026-11-21T04:00:00Z')}, 11 B) to packrat-restore/${suffixed} (packrat-restore/index v3.html was already there)\n`);
		expect(await tree(join(cwd, 'packrat-restore'))).toEqual({
			'index v3.html': {text: 'old', mtime: s('2026-11-20T03:00:00Z')},
			[suffixed]: {text: 'new, longer', mtime: s('2026-11-21T04:00:00Z')},
		});
		const dash = await runCli(['restore', '/u/-rf', '--to', 'odd'], {home, cwd});
		expect(dash.code).toBe(0);
		expect(await tree(join(cwd, 'odd'))).toEqual({'-rf': {text: 'dash', mtime: s('2026-11-20T03:00:00Z')}});
	});

	it('restore --at reads local time, and --json prints one document', async () => {
		const to = await tempDir();
		// 04:30 in Paris (UTC+1 in November) is 03:30 UTC: before the new version of 04:00 UTC.
		const result = await runCli(['restore', '/alice/Website', '--at', '2026-11-21 04:30', '--to', to, '--json'], {home, env: {TZ: 'Europe/Paris'}});
		expect([result.code, result.stderr]).toEqual([0, '']);
		const parsed = JSON.parse(result.stdout) as {kind: string; asOf: string; to: string; restored: Array<{path: string; to: string; modified: string}>; failed: unknown[]};
		expect(parsed).toMatchObject({kind: 'folder', asOf: '2026-11-20T03:00:00Z', to: join(to, 'Website'), failed: []});
		expect(parsed.restored).toEqual([{path: `/${page}`, from: `alice/Website/index v3 (${localStamp(t('2026-11-20T03:00:00Z'))}).html`, to: join(to, 'Website', 'index v3.html'), size: 3, modified: '2026-11-20T03:00:00Z'}]);
		expect(await tree(to)).toEqual({'Website/index v3.html': {text: 'old', mtime: s('2026-11-20T03:00:00Z')}});
	});

	it('restore exits 1 when a version is missing or a file could not be restored, 2 for bad usage or a DIR in the backup', async () => {
		const cwd = await tempDir();
		const none = await runCli(['restore', `/${page}`, '--version', '9'], {home, cwd});
		expect([none.code, none.stderr]).toEqual([1, `packrat: /${page} has no version 9: it has 2 (see packrat versions)\n`]);
		const early = await runCli(['restore', `/${page}`, '--at', '2020-01-01'], {home, cwd});
		expect(early.code).toBe(1);
		for (const args of [['restore', `/${page}`, '--version', '1', '--at', '2026-11-20'], ['restore', `/${page}`, '--at', 'yesterday'], ['restore', `/${page}`, '--version', '0'], ['restore', `/${page}`, '--to', join(backup, 'alice')]]) {
			const bad = await runCli(args, {home, cwd});
			expect(bad.code, args.join(' ')).toBe(2);
			expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
		}

		expect(await readdir(cwd)).toEqual([]);

		// A DIR so deep that the long folder below it passes the system's path limit: that file fails, the others are restored.
		let to = await tempDir();
		while (to.length < 3900) to = join(to, 'p'.repeat(200));
		await mkdir(to, {recursive: true});
		const partly = await runCli(['restore', '/u', '--to', to], {home, cwd});
		expect(partly.code).toBe(1);
		expect(partly.stderr).toMatch(new RegExp(`^Not restored: /${deep.replaceAll('/', '\\/')}: .*ENAMETOOLONG`, 'm'));
		expect(partly.stdout).toMatch(/^Restored 2 files \(7 B\) of \/u as it stood at .*; 1 not restored$/m);
		expect((await readdir(join(to, 'u'))).sort()).toEqual(['-rf', 'tab\there.txt']);
	});
});

function localStampColons(iso: string): string {
	const stamp = localStamp(new Date(iso));
	return `${stamp.slice(0, 13)}:${stamp.slice(13, 15)}:${stamp.slice(15)}`;
}
