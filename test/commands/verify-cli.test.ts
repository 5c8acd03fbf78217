import {utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {configure, runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/fixture.js';
import {readReport} from '../helpers/verify-report.js';

const mtime = new Date('2026-02-01T00:00:02Z');
const env = {PACKRAT_PASSWORD: 'hunter2'};

/** A server with a password, a configured home, and a backup made by `packrat run`. */
async function backedUp(hash: 'HASH' | false): Promise<{server: FtpTestServer; source: string; home: string; backup: string}> {
	const source = await tempDir();
	await writeTree(source, {'alice/Plan v2.dh': {content: 'two', mtime}, 'alice/notes.txt': {content: 'notes', mtime}});
	const server = await startFtpServer({root: source, mlsd: true, user: 'alice', password: 'hunter2', hash});
	const home = await tempDir();
	const backup = join(home, 'backup');
	await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: backup});
	expect((await runCli(['run'], {home, env})).code).toBe(0);
	return {server, source, home, backup};
}

/** Other bytes, same size and time. */
async function sneakyChange(source: string): Promise<void> {
	await writeFile(join(source, 'alice', 'Plan v2.dh'), 'TWO');
	await utimes(join(source, 'alice', 'Plan v2.dh'), mtime, mtime);
}

describe('packrat verify (the built command)', () => {
	it('exits 0 when all is good, 1 when a hash differs; lines or JSON lines; never the password', async () => {
		const {server, source, home, backup} = await backedUp('HASH');
		try {
			const good = await runCli(['verify'], {home, env});
			expect(good.stderr).toBe('');
			expect(good.code).toBe(0);
			expect(good.stdout).toMatch(/^Connected: \d connection\(s\), no TLS, listing with MLSD, hash SHA-256 \(HASH\)$/m);
			expect(good.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^Good: 2 checked, 2 ok, 0 missing, 0 different, 0 extra, hash SHA-256 \\(HASH\\) in 0:0\\d; see ${join(backup, 'packrat-verify.tsv')}$`));

			await sneakyChange(source);
			const bad = await runCli(['verify'], {home, env});
			expect(bad.code).toBe(1);
			expect(bad.stdout).toMatch(/^different: alice\/Plan v2\.dh — SHA-256 differs: [\da-f]{64} in the backup, [\da-f]{64} on the server$/m);
			expect(bad.stdout).toMatch(/^Differs: 2 checked, 1 ok, 0 missing, 1 different, 0 extra, hash SHA-256 \(HASH\) in/m);
			expect((await readReport(backup))['alice/Plan v2.dh']?.slice(0, 2)).toEqual(['size+mtime+SHA-256', 'different']);

			const json = await runCli(['verify', '--json'], {home, env});
			expect(json.code).toBe(1);
			const events = json.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as {type: string; row?: {path: string; result: string}; summary?: {outcome: string; counts: object}});
			expect(events.find(event => event.type === 'row')?.row).toMatchObject({path: 'alice/Plan v2.dh', result: 'different'});
			expect(events.at(-1)).toMatchObject({type: 'done', summary: {outcome: 'differs', counts: {checked: 2, ok: 1, different: 1}}});
			expect(good.stdout + bad.stdout + json.stdout).not.toContain('hunter2');
		} finally {
			await server.close();
		}
	});

	it('without a hash command: exit 0 by size and time, exit 1 with --sample 100; bad flags exit 2 with one line', async () => {
		const {server, source, home} = await backedUp(false);
		try {
			await sneakyChange(source);
			const blind = await runCli(['verify'], {home, env});
			expect(blind.code).toBe(0);
			expect(blind.stdout).toMatch(/no hash \(the server offers no hash command\)/);
			const sampled = await runCli(['verify', '--sample', '100'], {home, env});
			expect(sampled.code).toBe(1);
			expect(sampled.stdout).toMatch(/^different: alice\/Plan v2\.dh — the bytes differ from offset 0$/m);
			expect(sampled.stdout).toMatch(/2 files \(8 B\) compared byte for byte/);

			for (const [args, message] of [
				[['verify', '--sample', 'lots'], /^packrat: --sample must be a percentage from 0 to 100 \(got "lots"\)$/],
				[['verify', '--sample', '101'], /^packrat: --sample must be a percentage from 0 to 100 \(got "101"\)$/],
				[['verify', '--bogus'], /^packrat: unknown option --bogus; usage: packrat verify/],
				[['verify', 'now'], /^packrat: .*"now".*; usage: packrat verify/],
			] as const) {
				const result = await runCli([...args], {home, env});
				expect(result.code).toBe(2);
				expect(result.stderr.trimEnd()).toMatch(message);
				expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
			}

			const elsewhere = await runCli(['verify', '--folder', join(home, 'nothing-here')], {home, env});
			expect(elsewhere.code).toBe(2);
			expect(elsewhere.stderr).toMatch(/^packrat: Failed: the backup folder .*nothing-here does not exist: nothing to verify/);
		} finally {
			await server.close();
		}
	});
});
