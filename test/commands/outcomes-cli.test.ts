/**
 * The built `packrat run` against a server that will not give one file: Done with errors, exit 3,
 * the file named on stderr, in the summary and to the hook; every other file in place; and
 * `packrat status` counting it as the last successful backup.
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startHostileServer, type HostileServer} from '../../devtools/hostile-server.js';
import {refusingRetr} from '../../devtools/hostile-server/handlers.js';
import {configure, runCli} from '../helpers/cli.js';
import {tempDir, tree} from '../helpers/fixture.js';

const modified = new Date('2026-11-20T03:00:00Z');

describe('packrat run, Done with errors', () => {
	let server: HostileServer;

	beforeAll(async () => {
		server = await startHostileServer({
			files: {'/alice/plan.txt': {data: 'the plan', mtime: modified}, '/alice/lost.bin': {data: 'lost', mtime: modified}, '/bob/notes.md': {data: 'notes', mtime: modified}},
			mlsd: true,
			handlers: {RETR: refusingRetr(path => path === '/alice/lost.bin')},
		});
	});

	afterAll(async () => server.close());

	async function configured(): Promise<string> {
		const home = await tempDir();
		await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: join(home, 'backup')});
		return home;
	}

	it('exits 3 with the file named, the summary saying Done with errors, the hook told `partial`, the rest in place', async () => {
		const home = await configured();
		const record = join(home, 'hook.txt');
		await configure(home, {'hooks.afterRun': `echo "$PACKRAT_OUTCOME $PACKRAT_FILES $PACKRAT_FAILED" > '${record}'`});
		const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'hunter2'}});
		expect(result.code).toBe(3);
		expect(result.stderr).toBe('Error: /alice/lost.bin: 550 Cannot open that file.\n');
		const backup = join(home, 'backup');
		expect(result.stdout).toMatch(new RegExp(`^Done with errors: 2 downloaded, 0 unchanged, 1 failed, 0 skipped, 13 B in 0:0\\d over 4 connections — 1 file could not be fetched; see ${backup}/packrat-errors\\.log$`, 'm'));
		expect(await readFile(record, 'utf8')).toBe('partial 2 1\n');
		expect(await tree(backup)).toEqual({
			'alice/plan.txt': {text: 'the plan', mtime: modified.getTime() / 1000},
			'bob/notes.md': {text: 'notes', mtime: modified.getTime() / 1000},
		});
		expect(await readFile(join(backup, 'packrat-errors.log'), 'utf8')).toMatch(/\t\/alice\/lost\.bin\t550 Cannot open that file\.\n/);

		// It counts as the last successful backup: fresh, so status exits 0, and says what is missing.
		const status = await runCli(['status', '--json'], {home});
		expect(status.code).toBe(0);
		expect(JSON.parse(status.stdout)).toMatchObject({stale: false, lastSuccess: {outcome: 'partial', downloaded: 2, failed: 1}, lastRun: {outcome: 'partial'}});
		expect((await runCli(['status'], {home})).stdout).toMatch(/^Last successful backup: \d{4}-\d\d-\d\d \d\d:\d\d, just now \(1 file could not be fetched\)$/m);
	});

	it('ends its JSON lines with the summary, outcome `partial`', async () => {
		const home = await configured();
		const result = await runCli(['run', '--json'], {home, env: {PACKRAT_PASSWORD: 'hunter2'}});
		expect(result.code).toBe(3);
		const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {type: string; summary: {outcome: string; counts: {failed: number}}};
		expect(last).toMatchObject({type: 'done', summary: {outcome: 'partial', counts: {failed: 1}}});
	});
});
