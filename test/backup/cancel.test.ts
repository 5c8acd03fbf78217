import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {readHistory} from '../../source/backup/history.js';
import {runBackup} from '../../source/backup/run.js';
import {configure, spawnCli} from '../helpers/cli.js';
import {startFaultProxy} from '../helpers/fault-proxy.js';
import {makeJob, tempDir} from '../helpers/fixture.js';

const content = Buffer.alloc(2 * 1024 * 1024, 'c');

async function slowSource() {
	const source = await tempDir();
	await writeTree(source, {'u/big.bin': {content, mtime: new Date('2026-11-20T03:00:00Z')}});
	const server = await startFtpServer({root: source, mlsd: true});
	const proxy = await startFaultProxy(server);
	proxy.throttle(512 * 1024);
	return {
		proxy,
		async close() {
			await proxy.close();
			await server.close();
		},
	};
}

describe('cancel', () => {
	it('stops the run as Cancelled, keeps the partial, records it, and the next run resumes', async () => {
		const {proxy, close} = await slowSource();
		try {
			const backup = await tempDir();
			const controller = new AbortController();
			const summary = await runBackup({
				job: makeJob(proxy, backup, {connections: 1}),
				signal: controller.signal,
				onEvent(event) {
					if (event.type === 'file-progress' && event.bytes > 256 * 1024) controller.abort();
				},
			});
			expect(summary).toMatchObject({outcome: 'cancelled', reason: 'cancelled by the user'});
			expect(await readdir(backup)).not.toContain('u');
			expect((await readdir(join(backup, '.packrat', 'partial'))).length).toBe(2);
			expect((await readHistory(backup)).at(-1)).toMatchObject({outcome: 'cancelled'});
			expect(await readdir(join(backup, '.packrat'))).not.toContain('lock');

			proxy.throttle(0);
			const next = await runBackup({job: makeJob(proxy, backup, {connections: 1})});
			expect(next.outcome).toBe('success');
			expect(next.bytes).toBeLessThan(content.length);
			expect((await readFile(join(backup, 'u/big.bin'))).equals(content)).toBe(true);
		} finally {
			await close();
		}
	});

	it('packrat run exits 130 on SIGINT, SIGTERM or SIGHUP, with the Cancelled summary', async () => {
		const {proxy, close} = await slowSource();
		try {
			for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
				const home = await tempDir();
				await configure(home, {'server.host': '127.0.0.1', 'server.port': String(proxy.port), 'server.tls': 'none', backupFolder: join(home, 'b')});
				const child = spawnCli(['run'], {home, stdio: ['ignore', 'pipe', 'pipe']});
				let output = '';
				let sent = false;
				child.stdout!.on('data', chunk => {
					output += String(chunk);
					if (output.includes('Backing up…') && child.signalCode === null && !sent) {
						sent = true;
						child.kill(signal);
					}
				});
				const code = await new Promise(resolve => child.once('close', resolve));
				expect(code).toBe(130);
				expect(output, output).toMatch(/^Cancelled: 0 downloaded, .* — cancelled by the user$/m);
			}
		} finally {
			await close();
		}
	});
});
