/**
 * A backup folder with a long history, made by real runs, for trying the History and Versions
 * screens: the built-in FTP server on 127.0.0.1 is seeded with the sample data, then backed up
 * RUNS times (default 60), one run every 12 hours of a pretend clock that ends now, with a few
 * files changed, added or grown before each run, so files have many versions. Every tenth run is
 * Full (hard links for what did not change), one in fifteen fails to connect and one is
 * cancelled. Then the window opens on it (as `npm run demo` does), unless `--no-window`.
 *
 *   node dist/devtools/history-demo.js [--runs N] [--ascii] [--no-window]
 */
import {spawn} from 'node:child_process';
import {mkdir, mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runBackup} from '../source/backup/run.js';
import type {Job} from '../source/backup/job.js';
import {startFtpServer} from './ftp-server.js';
import {seedSample, writeTree} from './sample-data.js';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 60) || 60;
const hour = 3_600_000;

/** The same changes on every try: a small linear congruential generator. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

const changing = ['alice/Website/notes.txt', 'alice/Website/index v3.html', 'bob/App/src/main.c', 'chloé/Thèse/Chapitre 2 v1.tex', 'dan smith/Garden plans/Seeds list.csv'];

async function main(): Promise<number> {
	const base = await mkdtemp(join(tmpdir(), 'packrat-history-demo-'));
	const served = join(base, 'server');
	const backup = join(base, 'backup');
	const config = join(base, 'config');
	await mkdir(served);
	await mkdir(join(config, 'packrat'), {recursive: true});
	const end = Date.now();
	await seedSample(served, {now: new Date(end - runs * 12 * hour)});
	const server = await startFtpServer({root: served, mlsd: true});
	const next = random(14);
	const job: Job = {
		server: {host: server.host, port: server.port, user: 'anonymous', password: 'demo', tls: 'none', root: '/', timeoutMs: 10_000},
		backupFolder: backup, mode: 'incremental', latestOnly: false, connections: 4, keepSnapshots: 0, linkUnchanged: true, retries: 0,
	};
	for (let index = 0; index < runs; index++) {
		const at = end - (runs - index) * 12 * hour;
		const changes: Record<string, {content: string; mtime: Date}> = {};
		for (const path of changing) {
			if (next() < 0.4) changes[path] = {content: `${path} as of run ${index + 1}\n`.repeat(1 + Math.floor(next() * 4000)), mtime: new Date(at - hour)};
		}

		if (next() < 0.2) changes[`alice/Inbox/scan ${index + 1}.txt`] = {content: 'scanned\n'.repeat(Math.floor(next() * 200_000)), mtime: new Date(at - 2 * hour)};
		await writeTree(served, changes);
		const started = Date.now();
		// The pretend clock: the run starts at its time and lasts a multiple of its real time.
		const now = () => new Date(at + (Date.now() - started) * (20 + Math.floor(next() * 60)));
		const failing = index % 15 === 7;
		const controller = new AbortController();
		if (index % 23 === 11) controller.abort();
		const summary = await runBackup({
			job: {...job, mode: index % 10 === 9 ? 'full' : 'incremental', server: {...job.server, port: failing ? 1 : server.port}},
			now, signal: controller.signal,
		});
		process.stdout.write(`run ${index + 1}/${runs}: ${summary.outcome}, ${summary.counts.downloaded} downloaded\n`);
	}

	if (args.includes('--no-window')) {
		await server.close();
		process.stdout.write(`${backup}\n`);
		return 0;
	}

	const settings = {server: {host: server.host, port: server.port, user: 'anonymous', tls: 'none', root: '/'}, backupFolder: backup};
	await writeFile(join(config, 'packrat', 'config.json'), JSON.stringify(settings, null, '\t'), {mode: 0o600});
	const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'source', 'cli.js');
	const window = spawn(process.execPath, [cli, ...(args.includes('--ascii') ? ['--ascii'] : [])], {
		stdio: 'inherit',
		env: {...process.env, XDG_CONFIG_HOME: config, XDG_STATE_HOME: join(base, 'state'), PACKRAT_PASSWORD: 'demo'},
	});
	const code = await new Promise<number>(resolve => window.on('exit', exit => resolve(exit ?? 1)));
	await server.close();
	process.stdout.write(`packrat history demo: the backup is in ${backup}\n(remove it all with: rm -rf ${base})\n`);
	return code;
}

main().then(
	code => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`packrat history demo: ${(error as Error).message}\n`);
		process.exit(1);
	},
);
