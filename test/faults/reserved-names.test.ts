import {lstat, mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {readHistory} from '../../source/backup/history.js';
import {runBackup} from '../../source/backup/run.js';
import {configure, runCli} from '../helpers/cli.js';
import {exportRows, makeJob, tempDir, tree, type Held} from '../helpers/fixture.js';

const when = new Date('2026-11-20T03:00:00Z');
const file = (content: string): TreeFile => ({content, mtime: when});

/** A server whose top holds packrat's own names, as folders with files inside and as files. */
const hostile: Record<string, TreeFile> = {
	'packrat-export.tsv/a.txt': file('a folder named like the export'),
	'packrat-export.tsv/deep/b.txt': file('deeper in it'),
	'packrat-export.tsv (server copy)': file('a file that holds the first alternative name'),
	'packrat-transfer.log/c.txt': file('a folder named like the transfer log'),
	'packrat-errors.log/d.txt': file('a folder named like the error log'),
	'packrat-errors.log.2/e.txt': file('a folder named like a rotation'),
	'packrat-transfer.log.1': file('a file named like a rotation'),
	'.packrat/lock': file('{"pid": 1, "host": "elsewhere", "started": "never"}'),
	'.packrat/history.jsonl': file('not the history\n'),
	'.packrat/partial/f.txt': file('not a partial'),
	'u/normal.txt': file('an ordinary file'),
};

/** Where each server file is stored: the top name replaced by its alternative. */
const storedAs: Record<string, string> = {
	'packrat-export.tsv': 'packrat-export.tsv (server copy 2)',
	'packrat-transfer.log': 'packrat-transfer.log (server copy)',
	'packrat-errors.log': 'packrat-errors.log (server copy)',
	'packrat-errors.log.2': 'packrat-errors.log.2 (server copy)',
	'packrat-transfer.log.1': 'packrat-transfer.log.1 (server copy)',
	'.packrat': '.packrat (server copy)',
};
const local = (path: string) => [storedAs[path.split('/')[0]!] ?? path.split('/')[0]!, ...path.split('/').slice(1)].join('/');

/** The server's files as they should be held below `folder`: same bytes, same times, the reserved names replaced. */
function expected(): Held {
	return Object.fromEntries(Object.entries(hostile).map(([path, entry]) => [local(path), {text: String(entry.content), mtime: when.getTime() / 1000}]));
}

/** Every file below `folder` but packrat's own. */
async function held(folder: string): Promise<Held> {
	const all = await tree(folder, {own: true});
	return Object.fromEntries(Object.entries(all).filter(([path]) => !/^(\.packrat\/|packrat-(transfer|errors)\.log$|packrat-export\.tsv$)/.test(path)));
}

/** packrat's own files are real files where packrat expects them (the error log only once there was an error). */
async function ownFilesIn(folder: string, {exported = true, logs = true} = {}): Promise<void> {
	if (exported) expect((await lstat(join(folder, 'packrat-export.tsv'))).isFile()).toBe(true);
	if (!logs) return;
	expect((await lstat(join(folder, 'packrat-transfer.log'))).isFile()).toBe(true);
	expect(await lstat(join(folder, 'packrat-errors.log')).then(stat => stat.isFile(), () => 'absent')).not.toBe(false);
	expect((await lstat(join(folder, '.packrat'))).isDirectory()).toBe(true);
	expect(await lstat(join(folder, '.packrat', 'lock')).catch(() => 'released')).toBe('released');
}

describe('packrat\'s own names on the server', () => {
	it('are stored under "<name> (server copy)", logged, and never break this run or a later one against a clean server', {timeout: 60_000}, async () => {
		const source = await tempDir();
		await writeTree(source, hostile);
		const server = await startFtpServer({root: source, mlsd: true});
		const clean = await tempDir();
		await writeTree(clean, {'u/normal.txt': file('an ordinary file'), 'u/new.txt': file('new')});
		const cleanServer = await startFtpServer({root: clean});
		try {
			const home = await tempDir();
			const backup = join(home, 'backup');
			await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: backup});
			for (const round of [1, 2]) {
				const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'x'}});
				expect(result.stderr).toBe('');
				expect(result.code).toBe(0);
				await ownFilesIn(backup);
				expect(await held(backup)).toEqual(expected());
				const rows = await exportRows(join(backup, 'packrat-export.tsv'));
				const row = rows.find(columns => columns[3] === '/packrat-export.tsv/deep/b.txt');
				expect(row?.[6]).toBe(round === 1 ? 'downloaded' : 'unchanged');
				expect(row?.[7]).toBe('packrat-export.tsv (server copy 2)/deep/b.txt');
				expect(rows.find(columns => columns[3] === '/.packrat/lock')?.[7]).toBe('.packrat (server copy)/lock');
				expect(rows.find(columns => columns[3] === '/packrat-transfer.log.1')?.[7]).toBe('packrat-transfer.log.1 (server copy)');
			}

			const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
			for (const [name, alternative] of Object.entries(storedAs)) {
				expect(log).toContain(`\tWARN\treserved\t/${name}\t\t\tpackrat's own name at the top of the backup folder: stored as ${alternative}\n`);
			}

			expect((await readHistory(backup)).map(run => run.outcome)).toEqual(['success', 'success']);

			await configure(home, {'server.port': String(cleanServer.port)});
			const after = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'x'}});
			expect(after.stderr).toBe('');
			expect(after.code).toBe(0);
			await ownFilesIn(backup);
			expect(await held(backup)).toEqual({...expected(), 'u/new.txt': {text: 'new', mtime: when.getTime() / 1000}});
			expect((await readHistory(backup)).map(run => run.outcome)).toEqual(['success', 'success', 'success']);
		} finally {
			await server.close();
			await cleanServer.close();
		}
	});

	it('are protected at the top of a Full snapshot too, where the export is written', async () => {
		const source = await tempDir();
		await writeTree(source, hostile);
		const server = await startFtpServer({root: source, mlsd: false});
		try {
			const backup = await tempDir();
			for (const [index, iso] of ['2026-11-20T03:00:00Z', '2026-11-21T03:00:00Z'].entries()) {
				const summary = await runBackup({job: makeJob(server, backup, {mode: 'full'}), now: () => new Date(iso)});
				expect(summary.reason).toBeUndefined();
				expect(summary.outcome).toBe('success');
				await ownFilesIn(summary.target, {logs: false});
				expect(await held(summary.target)).toEqual(expected());
				const rows = await exportRows(join(summary.target, 'packrat-export.tsv'));
				expect(rows.find(columns => columns[3] === '/packrat-export.tsv/a.txt')?.[7]).toBe(`${summary.snapshot!}/packrat-export.tsv (server copy 2)/a.txt`);
				expect(rows).toHaveLength(Object.keys(hostile).length + 1);
				if (index === 1) await ownFilesIn(backup, {exported: false});
			}
		} finally {
			await server.close();
		}
	});

	it('a folder left in the way of packrat\'s own files (by an older packrat) is moved to the alternative name, and the run works', async () => {
		const source = await tempDir();
		await writeTree(source, {'u/normal.txt': file('an ordinary file')});
		const server = await startFtpServer({root: source});
		try {
			const backup = await tempDir();
			for (const name of ['packrat-errors.log', 'packrat-transfer.log.1', 'packrat-export.tsv']) {
				await mkdir(join(backup, name));
				await writeFile(join(backup, name, 'kept.txt'), name);
			}

			const summary = await runBackup({job: makeJob(server, backup)});
			expect(summary.outcome).toBe('success');
			await ownFilesIn(backup);
			expect(Object.keys(await held(backup)).sort()).toEqual(['packrat-errors.log (server copy)/kept.txt', 'packrat-export.tsv (server copy)/kept.txt', 'packrat-transfer.log.1 (server copy)/kept.txt', 'u/normal.txt']);
			const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
			expect(log).toContain('\tWARN\treserved\tpackrat-errors.log\t\t\theld something other than packrat\'s own file: moved to packrat-errors.log (server copy)\n');
		} finally {
			await server.close();
		}
	});
});
