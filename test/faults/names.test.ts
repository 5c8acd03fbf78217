import {chmod, mkdir, readdir, readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {startVsftpd, vsftpdMissing} from '../../devtools/vsftpd.js';
import {runBackup} from '../../source/backup/run.js';
import {exportRows, makeJob, tempDir, tree} from '../helpers/fixture.js';
import {needTool, skipWithout} from '../helpers/tools.js';

const when = new Date('2026-11-20T03:00:00Z');
const deep = Array.from({length: 20}, (_, index) => `level ${index + 1}`).join('/');
const odd: Record<string, TreeFile> = {
	'u/ both ends ': {content: 'spaces', mtime: when},
	'u/\u00e9.txt': {content: 'nfc', mtime: when},
	'u/e\u0301.txt': {content: 'nfd', mtime: when},
	'u/tab\there.txt': {content: 'tab', mtime: when},
	'u/-rf': {content: 'dash', mtime: when},
	'u/#hash%percent.txt': {content: 'hash', mtime: when},
	'u/shell $(rm -rf ~) `x` ; & | > < \'q\' "d".txt': {content: 'shell', mtime: when},
	[`u/${'n'.repeat(251)}.txt`]: {content: 'long', mtime: when},
	[`u/${deep}/deep.txt`]: {content: 'deep', mtime: when},
	'u/empty.dat': {content: '', mtime: when},
	'u/\u001b[2Jclear.txt': {content: 'escape', mtime: when},
	'u/ünïcødé 日本語/メモ v1.txt': {content: 'unicode', mtime: when},
};

async function oddSource(): Promise<string> {
	const source = await tempDir();
	await writeTree(source, odd);
	await mkdir(join(source, 'u', 'nothing here'));
	return source;
}

async function openUp(folder: string): Promise<void> {
	await chmod(folder, 0o755);
	for (const entry of await readdir(folder, {withFileTypes: true})) if (entry.isDirectory()) await openUp(join(folder, entry.name));
}

async function checkOdd(source: string, port: number): Promise<void> {
	const backup = await tempDir();
	const summary = await runBackup({job: makeJob({port}, backup)});
	expect(summary.reason).toBeUndefined();
	expect(summary.counts.downloaded).toBe(Object.keys(odd).length);
	expect(await tree(backup)).toEqual(await tree(source));
	expect((await stat(join(backup, 'u', 'nothing here'))).isDirectory()).toBe(true);
	const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
	expect(log).toContain('\t/u/\\x1b[2Jclear.txt\t');
	expect(log).not.toContain('\u001b');
	for (const line of log.trimEnd().split('\n')) expect(line.split('\t')).toHaveLength(7);
	const rows = await exportRows(join(backup, 'packrat-export.tsv'));
	expect(rows.find(row => row[3] === '/u/tab\\there.txt')?.[6]).toBe('downloaded');
	const again = await runBackup({job: makeJob({port}, backup)});
	expect(again.counts.unchanged).toBe(Object.keys(odd).length);
}

describe('odd but legal names are kept exactly', () => {
	for (const mlsd of [true, false]) {
		it(`on ${mlsd ? 'an MLSD' : 'a LIST-only'} server`, async () => {
			const source = await oddSource();
			const server = await startFtpServer({root: source, mlsd});
			try {
				await checkOdd(source, server.port);
			} finally {
				await server.close();
			}
		});
	}

	it.skipIf(skipWithout(vsftpdMissing(), 'the names test on vsftpd'))('on a real vsftpd', async () => {
		needTool(vsftpdMissing());
		const source = await oddSource();
		await openUp(source);
		const server = await startVsftpd(source);
		try {
			await checkOdd(source, server.port);
		} finally {
			await server.close();
		}
	});
});

describe('hostile listings', () => {
	const mlsd = [
		'type=file;size=5;modify=20261120030000; ..',
		'type=file;size=5;modify=20261120030000; .',
		'type=file;size=5;modify=20261120030000; ../../outside.txt',
		'type=dir;modify=20261120030000; ../escape',
		'type=file;size=5;modify=20261120030000; nul\u0000name',
		'type=file;size=5;modify=20261120030000; cr\rname',
	];
	const list = [
		'-rw-r--r--    1 1000     1000            5 Nov 20 03:00 ..',
		'-rw-r--r--    1 1000     1000            5 Nov 20 03:00 ../../outside.txt',
		'drwxr-xr-x    2 1000     1000         4096 Nov 20 03:00 ../escape',
		'-rw-r--r--    1 1000     1000            5 Nov 20 03:00 nul\u0000name',
		'-rw-r--r--    1 1000     1000            5 Nov 20 03:00 cr\rname',
	];

	for (const useMlsd of [true, false]) {
		it(`refuses ., .., /, NUL and CR from ${useMlsd ? 'an MLSD' : 'a LIST'} server, logs them escaped, and writes nothing outside`, async () => {
			const source = await tempDir();
			await writeTree(source, {'u/fine.txt': {content: 'fine', mtime: when}});
			const server = await startFtpServer({root: source, mlsd: useMlsd, extraLines: {'/': {mlsd, list}, '/u': {mlsd, list}}});
			try {
				const outer = await tempDir();
				const backup = join(outer, 'inside', 'backup');
				await mkdir(join(outer, 'inside'));
				const summary = await runBackup({job: makeJob(server, backup)});
				expect(summary.outcome).toBe('success');
				expect(summary.counts.downloaded).toBe(1);
				expect(await readdir(outer)).toEqual(['inside']);
				expect(await readdir(join(outer, 'inside'))).toEqual(['backup']);
				expect(Object.keys(await tree(backup))).toEqual(['u/fine.txt']);
				const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
				expect(log).toMatch(/\tWARN\trefused\t\/u\/\.\.\/\.\.\/outside\.txt\t\t\trefused name: the name holds a "\/"/);
				expect(log).toMatch(/\tWARN\trefused\t\/u\/nul\\x00name\t\t\trefused name: the name holds a NUL byte/);
				expect(log).toMatch(/\tWARN\trefused\t\/u\/\.\.\t\t\trefused name: the name is "\.\."/);
				expect(log.replace(/[\t\n]/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
				expect(log).toMatch(/\tWARN\trefused\t\/u\/cr\\rname\t\t\trefused name: the name holds a line break/);
				const rows = await exportRows(join(backup, 'packrat-export.tsv'));
				expect(rows.filter(row => row[6] === 'skipped' && row[7] === '').length).toBeGreaterThanOrEqual(6);
				expect(rows.find(row => row[3] === '/u/cr\\rname')?.[6]).toBe('skipped');
			} finally {
				await server.close();
			}
		});
	}
});
