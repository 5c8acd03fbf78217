import {readdir, readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {defaultHandlers} from '../../devtools/hostile-server/handlers.js';
import {configure, runCli, spawnCli} from '../helpers/cli.js';
import {tempDir} from '../helpers/fixture.js';

const secret = 'Sup3r-S3cret-Pa55';

async function everyFile(folder: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(folder, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) found.push(join(entry.parentPath, entry.name));
	}

	return found;
}

/** `pid` and every process below it, from the parent ids in /proc. */
async function processTree(pid: number): Promise<number[]> {
	const parents = new Map<number, number>();
	for (const name of await readdir('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const line = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
		if (line) parents.set(Number(name), Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[1]));
	}

	const found = [pid];
	for (let index = 0; index < found.length; index++) for (const [child, parent] of parents) if (parent === found[index]) found.push(child);
	return found;
}

const readProc = async (pid: number, what: 'cmdline' | 'environ') => (await readFile(`/proc/${pid}/${what}`, 'utf8').catch(() => '')).replaceAll('\0', ' ');

describe('secrets', () => {
	it('the password is in no log, error, export, history, output, command line or hook; logs are owner-only', async () => {
		// The server holds the first download until the test has looked at the processes of the run.
		let reached!: () => void;
		const atDownload = new Promise<void>(resolve => (reached = resolve));
		let release!: () => void;
		const held = new Promise<void>(resolve => (release = resolve));
		const server = await startHostileServer({
			files: {'/u/a.txt': 'a'.repeat(600_000), '/u/b.txt': 'b'},
			mlsd: true,
			handlers: {
				PASS: (session, password) => session.reply(password === secret ? '230 Logged in.' : '530 Login incorrect.'),
				async RETR(session, argument) {
					reached();
					await held;
					return defaultHandlers['RETR']!(session, argument);
				},
			},
		});
		const home = await tempDir();
		const backup = join(home, 'backup');
		// The hook writes down its own command line and environment, and its parent's (packrat's) command line.
		const hook = `tr '\\0' ' ' < /proc/$$/cmdline > '${home}/hook-cmdline'; tr '\\0' ' ' < /proc/$PPID/cmdline > '${home}/packrat-cmdline'; tr '\\0' '\\n' < /proc/$$/environ > '${home}/hook-environ'`;
		try {
			await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'alice', 'server.tls': 'none', backupFolder: backup, 'hooks.afterRun': hook});
			const child = spawnCli(['run'], {home, env: {PACKRAT_PASSWORD: secret}, stdio: ['ignore', 'pipe', 'pipe']});
			let output = '';
			child.stdout!.on('data', chunk => (output += String(chunk)));
			child.stderr!.on('data', chunk => (output += String(chunk)));
			const closed = new Promise(resolve => child.once('close', resolve));

			// Mid-run: packrat and every process it started, by their command lines (and the environment of any child).
			await atDownload;
			const processes = await processTree(child.pid!);
			const lines = await Promise.all(processes.map(async pid => readProc(pid, 'cmdline')));
			const environments = await Promise.all(processes.slice(1).map(async pid => readProc(pid, 'environ')));
			release();
			expect(await closed, output).toBe(0);
			for (const text of [...lines, ...environments]) expect(text).not.toContain(secret);
			expect(lines[0]).toMatch(/cli\.js run/);

			// The hook ran, saw the run's figures, and found the password neither in its environment nor on a command line.
			const hookEnvironment = await readFile(join(home, 'hook-environ'), 'utf8');
			expect(hookEnvironment).toMatch(/^PACKRAT_OUTCOME=success$/m);
			expect(await readFile(join(home, 'packrat-cmdline'), 'utf8')).toMatch(/cli\.js run/);
			for (const name of ['hook-cmdline', 'packrat-cmdline', 'hook-environ']) expect(await readFile(join(home, name), 'utf8')).not.toContain(secret);

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
			release();
			await server.close();
		}
	});
});
