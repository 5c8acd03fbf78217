import {readdir, readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {configure, runCli, spawnCli} from '../helpers/cli.js';
import {startFaultProxy} from '../helpers/fault-proxy.js';
import {tempDir, tree} from '../helpers/fixture.js';

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('packrat killed with SIGKILL mid-run', () => {
	it('leaves no partial file under a final name; the next run takes over the lock and resumes', async () => {
		const source = await tempDir();
		const content = Buffer.alloc(2 * 1024 * 1024, 'z');
		await writeTree(source, {
			'u/a.txt': {content: 'first', mtime: new Date('2026-01-01T00:00:00Z')},
			'u/big.bin': {content, mtime: new Date('2026-11-20T03:00:00Z')},
		});
		const server = await startFtpServer({root: source, mlsd: true});
		const proxy = await startFaultProxy(server);
		proxy.throttle(512 * 1024);
		const home = await tempDir();
		const backup = join(home, 'backup');
		try {
			await configure(home, {'server.host': '127.0.0.1', 'server.port': String(proxy.port), 'server.tls': 'none', backupFolder: backup, connections: '1'});
			const child = spawnCli(['run'], {home, stdio: 'ignore'});
			const partial = join(backup, '.packrat', 'partial');
			await until(async () => {
				const names = await readdir(partial).catch(() => []);
				for (const name of names.filter(name => !name.endsWith('.json'))) {
					if ((await stat(join(partial, name))).size > 256 * 1024) return true;
				}

				return false;
			});
			child.kill('SIGKILL');
			await new Promise(resolve => child.once('exit', resolve));

			// Whatever is under a final name is complete; the big file is not there half-written.
			const held = await tree(backup);
			for (const [name, file] of Object.entries(held)) expect(file.text).toBe(await readFile(join(source, name), 'utf8'));
			expect(held['u/big.bin']).toBeUndefined();
			expect(JSON.parse(await readFile(join(backup, '.packrat', 'lock'), 'utf8'))).toMatchObject({pid: child.pid});

			proxy.throttle(0);
			const again = await runCli(['run'], {home});
			expect(again.stderr).toBe('');
			expect(again.code).toBe(0);
			expect((await readFile(join(backup, 'u/big.bin'))).equals(content)).toBe(true);
			const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
			expect(log).toMatch(/\tdownload\t\/u\/big\.bin\t\d+\t\d+\tresumed at byte [1-9]\d*/);
			expect(await readdir(partial)).toEqual([]);
		} finally {
			await proxy.close();
			await server.close();
		}
	});
});
