/**
 * End to end: the real, built window (`node dist/source/cli.js`) in a tmux pane of 100×30, with
 * temp XDG folders and settings that point at an in-process FTP server. It presses `n`, reads the
 * finished summary off the screen, drives the window from another shell (status, cancel, now),
 * quits with `q`, and checks that the terminal was restored.
 */
import {spawnSync} from 'node:child_process';
import {mkdir, readdir, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {seedSample} from '../../devtools/sample-data.js';
import {runCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/fixture.js';
import {needTool, underCi} from '../helpers/tools.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const tmuxMissing = hasTmux ? undefined : 'tmux is missing: install tmux to run the end-to-end test of the window';
const socket = `packrat-e2e-${process.pid}`;
const session = 'window';
const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'dist', 'source', 'cli.js');

const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', session).stdout;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function waitForScreen(check: (text: string) => boolean, what: string, limitMs = 20_000): Promise<string> {
	const started = Date.now();
	for (;;) {
		const text = screen();
		if (check(text)) return text;
		if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}`);
		await sleep(100);
	}
}

async function newestMtime(folder: string): Promise<number> {
	let newest = 0;
	for (const entry of await readdir(folder, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
	}

	return newest;
}

/** Build dist/ when the sources are newer than it (npm test builds first; a lone vitest run may not have). */
async function ensureBuilt(): Promise<void> {
	const built = await stat(cli).then(found => found.mtimeMs, () => 0);
	if (built > Math.max(await newestMtime(join(repo, 'source')), await newestMtime(join(repo, 'devtools')))) return;
	const result = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repo, 'tsconfig.build.json')], {encoding: 'utf8'});
	if (result.status !== 0) throw new Error(`the build failed:\n${result.stdout}${result.stderr}`);
}

describe('the Backup window in tmux', () => {
	let server: FtpTestServer | undefined;
	let backup = '';
	let base = '';

	beforeAll(async () => {
		if (!hasTmux) return;
		await ensureBuilt();
		base = await tempDir('packrat-e2e-');
		const root = join(base, 'server');
		backup = join(base, 'backup');
		await mkdir(root);
		await seedSample(root);
		server = await startFtpServer({root, mlsd: true, user: 'e2e', password: 'pw'});
		await mkdir(join(base, 'config', 'packrat'), {recursive: true});
		const settings = {server: {host: server.host, port: server.port, user: 'e2e', tls: 'none', root: '/'}, backupFolder: backup};
		await writeFile(join(base, 'config', 'packrat', 'config.json'), JSON.stringify(settings), {mode: 0o600});
	}, 120_000);

	afterAll(async () => {
		if (!hasTmux) return;
		tmux('kill-server');
		await server?.close();
	});

	it('runs a backup with n and shows the finished summary, then q restores the terminal', async context => {
		if (!hasTmux && !underCi) {
			context.skip(tmuxMissing);
			return;
		}

		needTool(tmuxMissing);

		// CI=true on purpose: the window must draw (and in colour) even where CI is set.
		const environment = [`XDG_CONFIG_HOME=${join(base, 'config')}`, `XDG_STATE_HOME=${join(base, 'state')}`, 'PACKRAT_PASSWORD=pw', 'LANG=C.UTF-8', 'TERM=xterm-256color', 'CI=true'];
		const command = `env -u NO_COLOR ${environment.map(value => `'${value}'`).join(' ')} '${process.execPath}' '${cli}'; echo "packrat exited with $?"; sleep 60`;
		const started = tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', command);
		expect(started.status, started.stderr).toBe(0);

		await waitForScreen(text => text.includes('Ready'), 'the window');
		expect(tmux('display-message', '-p', '-t', session, '#{alternate_on}').stdout.trim()).toBe('1');
		expect(tmux('capture-pane', '-p', '-e', '-t', session).stdout).toMatch(/\u001B\[(3[0-7]|9[0-7]|38;)/);
		tmux('send-keys', '-t', session, 'n');
		const done = await waitForScreen(text => /✔ Done/.test(text), 'the finished summary', 60_000);
		expect(done).toMatch(/(\d+) downloaded · 0 unchanged · 0 failed · \d+ skipped/);
		expect(done).toMatch(/Last successful backup {2}\d{4}-\d\d-\d\d \d\d:\d\d \(just now\)/);
		for (const line of done.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
		expect((await stat(join(backup, 'alice', 'Website', 'Homepage v12.dh'))).isFile()).toBe(true);

		// Other shells talk to the running window through its control socket.
		const status = await runCli(['status', '--json'], {home: base});
		expect(status.code, status.stderr).toBe(0);
		expect(JSON.parse(status.stdout)).toMatchObject({source: 'window', running: false, lastSuccess: {mode: 'incremental'}});
		expect(await runCli(['cancel'], {home: base})).toMatchObject({code: 1, stderr: expect.stringContaining('no backup is running') as string});
		const now = await runCli(['now'], {home: base});
		expect(now.code, now.stderr).toBe(0);
		await waitForScreen(text => /0 downloaded · \d+ unchanged · 0 failed/.test(text), 'the run started by packrat now', 60_000);

		tmux('send-keys', '-t', session, 'q');
		const after = await waitForScreen(text => text.includes('packrat exited with'), 'the window to quit');
		expect(after).toContain('packrat exited with 0');
		expect(after).not.toContain('Backup window');
		expect(tmux('display-message', '-p', '-t', session, '#{alternate_on}').stdout.trim()).toBe('0');
	}, 120_000);
});

describe('without a terminal', () => {
	beforeAll(ensureBuilt, 120_000);

	it('never starts the window: one line pointing to packrat run, exit 2', async () => {
		const config = await tempDir('packrat-e2e-pipe-');
		const result = spawnSync(process.execPath, [cli], {encoding: 'utf8', input: '', env: {...process.env, XDG_CONFIG_HOME: config, XDG_STATE_HOME: config}});
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain('packrat run');
		expect(result.stderr).not.toMatch(/raw mode/i);
	});
});
