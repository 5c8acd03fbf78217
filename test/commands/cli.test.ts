import {execFile} from 'node:child_process';
import {readFile, stat, writeFile, mkdir} from 'node:fs/promises';
import {delimiter, dirname, join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {cliEnv, cliPath, configure, runCli} from '../helpers/cli.js';
import {tempDir, tree} from '../helpers/fixture.js';

describe('packrat run and config', () => {
	let server: FtpTestServer;
	let source: string;

	beforeAll(async () => {
		source = await tempDir();
		await writeTree(source, {
			'alice/Plan v1.dh': {content: 'one', mtime: new Date('2026-01-01T00:00:01Z')},
			'alice/Plan v2.dh': {content: 'two', mtime: new Date('2026-02-01T00:00:02Z')},
		});
		server = await startFtpServer({root: source, mlsd: true, user: 'alice', password: 'hunter2'});
	});

	afterAll(async () => server.close());

	async function configured(): Promise<string> {
		const home = await tempDir();
		await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: join(home, 'backup')});

		return home;
	}

	it('runs a backup with readable lines and exit 0; the password never shows', async () => {
		const home = await configured();
		const result = await runCli(['run', '--latest-only'], {home, env: {PACKRAT_PASSWORD: 'hunter2'}});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^Connecting…$/m);
		expect(result.stdout).toMatch(/^Found 2 files \(6 B\) in 2 folders: 1 to download \(3 B\), 0 unchanged, 1 skipped$/m);
		expect(result.stdout).toMatch(/^Done: 1 downloaded, 0 unchanged, 0 failed, 1 skipped, 3 B in 0:0\d over 4 connections$/m);
		expect(await tree(join(home, 'backup'))).toEqual({'alice/Plan v2.dh': {text: 'two', mtime: Date.parse('2026-02-01T00:00:02Z') / 1000}});
		const log = await readFile(join(home, 'backup', 'packrat-transfer.log'), 'utf8');
		expect(log + result.stdout).not.toContain('hunter2');
	});

	it('runs hooks.afterRun with the outcome in its environment, and status reads the history with no window', async () => {
		const home = await configured();
		const record = join(home, 'hook.txt');
		await runCli(['config', 'set', 'hooks.afterRun', `echo "$PACKRAT_OUTCOME $PACKRAT_FILES $PACKRAT_BYTES [$PACKRAT_PASSWORD]" > '${record}'; echo said hello`], {home});
		const result = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'hunter2'}});
		expect(result.code).toBe(0);
		expect(await readFile(record, 'utf8')).toBe('success 2 6 []\n');
		expect(await readFile(join(home, 'backup', 'packrat-transfer.log'), 'utf8')).toMatch(/hook: said hello/);

		const status = await runCli(['status', '--json'], {home});
		expect(status.code).toBe(0);
		const parsed = JSON.parse(status.stdout) as {lastSuccess?: {ended?: string}};
		expect(JSON.stringify(parsed)).toMatch(/"outcome":"success"/);
		const now = await runCli(['now'], {home});
		expect(now.code).toBe(1);
		expect(now.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('loads only what a run needs: no window (ink, react), no meow, no conf or ajv, no execa without a hook', async () => {
		const home = await configured();
		// Node names every module it loads on stderr with NODE_DEBUG=esm,module.
		const result = await runCli(['run', '--json'], {home, env: {PACKRAT_PASSWORD: 'hunter2', NODE_DEBUG: 'esm,module'}});
		expect(result.code).toBe(0);
		const packages = new Set([...result.stderr.matchAll(/node_modules\/((?:@[^/]+\/)?[^/\s'"]+)/g)].map(match => match[1]));
		// The run itself was loaded (and ran: exit 0), with the engine's FTP client.
		expect(result.stderr).toMatch(/backup\/ftp\/client\.js/);
		expect(packages).not.toContain('basic-ftp');
		for (const name of ['ink', 'react', 'meow', 'conf', 'ajv', 'execa']) expect(packages).not.toContain(name);
	});

	it('keeps the latestOnly setting unless a flag overrides it for the run', async () => {
		const home = await configured();
		await configure(home, {latestOnly: 'true'});
		const env = {PACKRAT_PASSWORD: 'hunter2'};
		const setting = await runCli(['run', '--folder', join(home, 'one')], {home, env});
		expect(setting.stdout).toMatch(/^Done: 1 downloaded, 0 unchanged, 0 failed, 1 skipped/m);
		const flag = await runCli(['run', '--no-latest-only', '--folder', join(home, 'two')], {home, env});
		expect(flag.stdout).toMatch(/^Done: 2 downloaded, 0 unchanged, 0 failed, 0 skipped/m);
	});

	it('prints JSON lines with --json, ending with the summary', async () => {
		const home = await configured();
		const result = await runCli(['run', '--json', '--full', '--folder', join(home, 'elsewhere')], {home, env: {PACKRAT_PASSWORD: 'hunter2'}});
		expect(result.code).toBe(0);
		const events = result.stdout.trim().split('\n').map(line => JSON.parse(line) as {type: string; summary?: {outcome: string; mode: string; counts: {downloaded: number}}});
		expect(events[0]).toMatchObject({type: 'phase', phase: 'connecting'});
		expect(events.at(-1)).toMatchObject({type: 'done', summary: {outcome: 'success', mode: 'full', counts: {downloaded: 2}}});
	});

	it('exits 1 with one line when the run fails, and 2 for bad usage or settings', async () => {
		const home = await configured();
		const wrong = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'not-it'}});
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toMatch(/^Error: the server refused the login of user alice/m);
		expect(wrong.stderr + wrong.stdout).not.toContain('not-it');
		expect(wrong.stderr + wrong.stdout).not.toMatch(/\n\s+at /);

		const both = await runCli(['run', '--full', '--incremental'], {home});
		expect(both).toMatchObject({code: 2, stderr: 'packrat: --full and --incremental exclude each other: give one\n'});
		const unknown = await runCli(['run', '--fast'], {home});
		expect(unknown.code).toBe(2);

		const empty = await tempDir();
		const nothing = await runCli(['run'], {home: empty});
		expect(nothing).toMatchObject({code: 2, stderr: 'packrat: no server is set: packrat config set server.host NAME (or o in the window)\n'});

		const damaged = await tempDir();
		await mkdir(join(damaged, 'config', 'packrat'), {recursive: true});
		await writeFile(join(damaged, 'config', 'packrat', 'config.json'), '{"server": ');
		const broken = await runCli(['run'], {home: damaged});
		expect(broken.code).toBe(2);
		expect(broken.stderr).toMatch(/^packrat: the settings file .*config\.json is damaged \(.*\): fix it, or move it away to start afresh\n$/);
	});

	it('stores settings with owner-only mode, refuses bad values naming the key, and keeps profiles apart', async () => {
		const home = await tempDir();
		const path = (await runCli(['config', 'path'], {home})).stdout.trim();
		expect(path).toBe(join(home, 'config', 'packrat', 'config.json'));
		expect(await runCli(['config', 'set', 'server.port', '99999'], {home})).toMatchObject({code: 2, stderr: 'packrat: server.port must be a whole number from 1 to 65535 (got "99999")\n'});
		expect(await runCli(['config', 'set', 'nonsense', '1'], {home})).toMatchObject({code: 2});
		expect((await runCli(['config', 'set', 'mode', 'full'], {home})).code).toBe(0);
		expect((await runCli(['config', 'get', 'mode'], {home})).stdout).toBe('full\n');
		expect((await stat(path)).mode & 0o777).toBe(0o600);
		expect((await runCli(['config', 'get', 'mode', '--profile', 'work'], {home})).stdout).toBe('incremental\n');
		expect((await runCli(['config', 'path', '--profile', 'work'], {home})).stdout.trim()).toBe(join(home, 'config', 'packrat', 'work.json'));

		const onArgv = await runCli(['config', 'set', 'server.password', 'hunter2'], {home});
		expect(onArgv.code).toBe(2);
		expect(onArgv.stderr).not.toContain('hunter2');
		expect((await runCli(['config', 'set', 'server.password', '-'], {home, input: 'hunter2\n'})).code).toBe(0);
		expect((await runCli(['config', 'get', 'server.password'], {home})).stdout).toBe('(saved, not shown)\n');
		expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({mode: 'full', server: {password: 'hunter2'}});
	});

	it('has --help with examples and --version, and never opens the window without a terminal', async () => {
		const home = await tempDir();
		const help = await runCli(['--help'], {home});
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('packrat run --full --latest-only');
		expect((await runCli(['--version'], {home})).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
		expect(await runCli([], {home})).toMatchObject({code: 2, stdout: '', stderr: 'packrat: the Backup window needs a terminal; for cron, scripts and pipes use "packrat run" (see packrat --help)\n'});
	});

	it('is an executable whose shebang starts node with a small young generation and a slow-growing old one', async () => {
		const home = await tempDir();
		const [shebang] = (await readFile(cliPath, 'utf8')).split('\n', 1);
		expect(shebang).toMatch(/^#!\/usr\/bin\/env -S node --max-semi-space-size=\d+ --heap-growing-percent=\d+$/);
		expect((await stat(cliPath)).mode & 0o111).toBe(0o111);
		// Run as a user runs the bin: by its shebang, with this node first on PATH.
		const env = cliEnv({home});
		const {stdout} = await promisify(execFile)(cliPath, ['--version'], {env: {...env, PATH: [dirname(process.execPath), env['PATH']].join(delimiter)}});
		expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
	});
});
