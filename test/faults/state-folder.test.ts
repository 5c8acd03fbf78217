import {mkdir, readdir, readFile, symlink, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {runBackup} from '../../source/backup/run.js';
import {configure, runCli} from '../helpers/cli.js';
import {makeJob, tempDir} from '../helpers/fixture.js';

const refusal = (path: string) => `${path} is a symlink, and packrat never writes through a link in the backup folder: remove it (packrat makes a new one)`;

describe('a symlink planted in packrat\'s state folder', () => {
	let server: FtpTestServer;
	beforeAll(async () => {
		const source = await tempDir();
		await writeTree(source, {'u/a.txt': {content: 'a'.repeat(300_000)}, 'u/b.txt': {content: 'b'}});
		server = await startFtpServer({root: source, mlsd: true});
	});

	afterAll(async () => server.close());

	it('.packrat → a folder outside: nothing is made there, and the run fails with one line naming it and the fix (exit 1)', async () => {
		const outside = await tempDir();
		const home = await tempDir();
		const backup = join(home, 'backup');
		await mkdir(backup);
		await symlink(outside, join(backup, '.packrat'));
		const summary = await runBackup({job: makeJob(server, backup)});
		expect(await readdir(outside)).toEqual([]);
		expect(summary).toMatchObject({outcome: 'failed', failure: 'local', reason: refusal(join(backup, '.packrat'))});

		await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: backup});
		const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'x'}});
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(`Error: ${refusal(join(backup, '.packrat'))}\n`);
		expect(await readdir(outside)).toEqual([]);
		expect(await readdir(backup)).toEqual(['.packrat']);
	});

	it('.packrat/partial, the lock or the history → outside: refused the same way, nothing outside is made, read or written', async () => {
		for (const name of ['partial', 'lock', 'history.jsonl']) {
			const outside = await tempDir();
			await writeFile(join(outside, 'kept.txt'), '{"pid": 1, "host": "elsewhere", "started": "never"}\n');
			const backup = await tempDir();
			await mkdir(join(backup, '.packrat'));
			await symlink(join(outside, name === 'partial' ? '' : 'kept.txt'), join(backup, '.packrat', name));
			const summary = await runBackup({job: makeJob(server, backup)});
			expect(await readdir(outside)).toEqual(['kept.txt']);
			expect(await readFile(join(outside, 'kept.txt'), 'utf8')).toBe('{"pid": 1, "host": "elsewhere", "started": "never"}\n');
			expect(summary).toMatchObject({outcome: 'failed', failure: 'local', reason: refusal(join(backup, '.packrat', name))});
			expect(await readdir(join(backup, '.packrat'))).toEqual([name]);
		}
	});
});
