import {readdir, readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {configure, runCli, spawnCli} from '../helpers/cli.js';
import {startFaultProxy} from '../helpers/fault-proxy.js';
import {tempDir} from '../helpers/fixture.js';

const secret = 'Sup3r-S3cret-Pa55';

async function everyFile(folder: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(folder, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) found.push(join(entry.parentPath, entry.name));
	}

	return found;
}

describe('secrets', () => {
	it('the password is in no log, error, export, history, output or process list; logs are owner-only', async () => {
		const source = await tempDir();
		await writeTree(source, {'u/a.txt': {content: 'a'.repeat(600_000)}, 'u/b.txt': {content: 'b'}});
		const server = await startFtpServer({root: source, mlsd: true, user: 'alice', password: secret});
		const proxy = await startFaultProxy(server);
		proxy.throttle(1024 * 1024);
		const home = await tempDir();
		const backup = join(home, 'backup');
		try {
			await configure(home, {'server.host': '127.0.0.1', 'server.port': String(proxy.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: backup});
			const child = spawnCli(['run'], {home, env: {PACKRAT_PASSWORD: secret}, stdio: ['ignore', 'pipe', 'pipe']});
			let output = '';
			child.stdout!.on('data', chunk => (output += String(chunk)));
			child.stderr!.on('data', chunk => (output += String(chunk)));
			await new Promise(resolve => setTimeout(resolve, 150));
			const commandLine = await readFile(`/proc/${child.pid}/cmdline`, 'utf8').catch(() => '');
			const code = await new Promise(resolve => child.once('close', resolve));
			expect(code).toBe(0);
			expect(commandLine).toMatch(/packrat|cli\.js/);
			expect(commandLine).not.toContain(secret);

			const wrong = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: `${secret}x`}});
			expect(wrong.code).toBe(1);
			output += wrong.stdout + wrong.stderr;
			expect(output).not.toContain(secret);

			const files = await everyFile(backup);
			expect(files.map(file => file.slice(backup.length + 1)).sort()).toEqual(expect.arrayContaining(['.packrat/history.jsonl', 'packrat-errors.log', 'packrat-export.tsv', 'packrat-transfer.log', 'u/a.txt', 'u/b.txt']));
			for (const file of files) expect(await readFile(file, 'utf8')).not.toContain(secret);
			for (const name of ['packrat-transfer.log', 'packrat-errors.log', '.packrat/history.jsonl']) {
				expect((await stat(join(backup, name))).mode & 0o777).toBe(0o600);
			}

			expect((await stat(join(backup, '.packrat'))).mode & 0o077).toBe(0);
		} finally {
			await proxy.close();
			await server.close();
		}
	});
});
