/**
 * The mass-change guard from the built command line: `packrat run` says a run is suspicious and
 * exits as its outcome says, `packrat guard` exits 1 while pruning is held, `--accept` lifts it,
 * and the next run prunes again.
 */
import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {configure, runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/fixture.js';

function files(count: number, version: number): Record<string, TreeFile> {
	const result: Record<string, TreeFile> = {};
	for (let index = 0; index < count; index++) result[`d${index % 4}/f${index}.txt`] = {content: `${index} v${version}`, mtime: new Date(Date.UTC(2026, 0, version, 0, 0, index % 60))};
	return result;
}

describe('packrat guard', () => {
	let server: FtpTestServer;
	let source: string;

	beforeAll(async () => {
		source = await tempDir();
		await writeTree(source, files(120, 1));
		server = await startFtpServer({root: source, mlsd: true});
	});

	afterAll(async () => server.close());

	it('flags a mass change in packrat run, holds pruning until packrat guard --accept, and prunes after', async () => {
		const home = await tempDir();
		const backup = join(home, 'backup');
		await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.tls': 'none', backupFolder: backup, mode: 'full', keepSnapshots: '1'});
		const env = {PACKRAT_PASSWORD: 'x'};
		// A snapshot is named to the second: one run a second at most.
		const run = async (args: string[] = []) => {
			await new Promise(resolve => setTimeout(resolve, 1100));
			return runCli(['run', ...args], {home, env});
		};

		const snapshots = async () => (await readdir(backup)).filter(name => /^\d{4}-/.test(name));

		expect((await run()).code).toBe(0);
		expect(await runCli(['guard'], {home})).toEqual({code: 0, stdout: `No mass change is held in ${backup}: pruning is on.\n`, stderr: ''});

		await writeTree(source, files(120, 2));
		const flagged = await run();
		expect(flagged.code).toBe(0);
		expect(flagged.stdout).toMatch(/^Done: 120 downloaded, .*\nSuspicious: 100% of the files changed since the last run \(120 of 120\) — pruning is off until you confirm: packrat guard --accept\n$/m);
		expect(await snapshots()).toHaveLength(2);

		const json = await run(['--json']);
		const done = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as {summary: {guard?: {suspicious?: {changed: number}}}};
		expect(done.summary.guard?.suspicious?.changed).toBe(120);
		const again = await run();
		expect(again.stdout).toMatch(/\nPruning is still off: a run on \d{4}-\d\d-\d\d \d\d:\d\d found 100% of the files changed since the last run \(120 of 120\) — confirm with: packrat guard --accept\n$/);
		expect(await snapshots()).toHaveLength(4);

		const state = await runCli(['guard'], {home});
		expect(state.code).toBe(1);
		expect(state.stdout).toMatch(/^SUSPICIOUS since \d{4}-\d\d-\d\d \d\d:\d\d: 100% of the files changed since the last run \(120 of 120\)\.\nNo snapshot is pruned in .* until you confirm: packrat guard --accept\n$/);

		const accepted = await runCli(['guard', '--accept', '--folder', backup], {home});
		expect(accepted.code).toBe(0);
		expect(accepted.stdout).toMatch(/^Accepted: 100% of the files changed since the last run \(120 of 120\) \(held since .*\)\. Snapshots are pruned again from the next run\.\n$/);
		expect(await runCli(['guard', '--accept', '--json'], {home})).toEqual({code: 0, stdout: `${JSON.stringify({accepted: false, folder: backup})}\n`, stderr: ''});

		const pruned = await run();
		expect(pruned.stdout).not.toMatch(/Suspicious|Pruning/);
		expect(await snapshots()).toHaveLength(1);
	});

	it('refuses a folder that holds no backup, words it does not take, and --accept elsewhere, with exit 2', async () => {
		const home = await tempDir();
		expect(await runCli(['guard'], {home})).toMatchObject({code: 2, stderr: 'packrat: no backup folder is set: packrat config set backupFolder DIR, or --folder DIR\n'});
		expect(await runCli(['guard', '--folder', home], {home})).toMatchObject({code: 2, stderr: `packrat: ${home} holds no packrat backup (no .packrat folder in it): give the backup folder with --folder DIR\n`});
		expect(await runCli(['guard', 'now'], {home})).toMatchObject({code: 2, stderr: 'packrat: guard takes no words (got "now"); usage: packrat guard [--accept] [--json] [--folder DIR] [--profile NAME]\n'});
		expect(await runCli(['run', '--accept'], {home})).toMatchObject({code: 2, stderr: 'packrat: unknown option --accept; see packrat --help\n'});
	});
});
