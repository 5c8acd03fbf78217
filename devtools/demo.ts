/**
 * `npm run demo`: the Backup window against the built-in FTP server on 127.0.0.1, seeded with
 * sample users, projects and versions, backing up into a folder under the system temp dir. The
 * settings live there too (XDG_CONFIG_HOME and XDG_STATE_HOME of the window point at it), so the
 * user's own settings are never read or written. The server stops when the window quits.
 *
 * The server shows what a real one does: it sends each file at a modest pace, so a first run lasts
 * long enough to read the progress pane, each connection's line and the ETA; it refuses one file
 * (550), which the error pane shows; it offers HASH, so Verify (`y`) compares hashes; and after
 * each run one file on it is edited, so the next run keeps the older copy beside the new one.
 *
 *   npm run demo                 explicit TLS, its certificate already trusted
 *   npm run demo -- --untrusted  the window asks whether to trust the certificate
 *   npm run demo -- --plain      plain FTP
 *   npm run demo -- --ascii      ASCII-only drawing
 */
import {spawn} from 'node:child_process';
import {mkdir, mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {historyPath} from '../source/backup/history.js';
import {afterEachRun, demoServerOptions, editFile, editedFile} from './demo-server.js';
import {startFtpServer} from './ftp-server.js';
import {seedSample} from './sample-data.js';

const flags = new Set(process.argv.slice(2));
const tls = flags.has('--plain') ? 'none' : 'explicit';
const pad = (value: number) => String(value).padStart(2, '0');

async function main(): Promise<number> {
	const base = await mkdtemp(join(tmpdir(), 'packrat-demo-'));
	const served = join(base, 'server');
	const backup = join(base, 'backup');
	const config = join(base, 'config');
	const state = join(base, 'state');
	await mkdir(served);
	await mkdir(join(config, 'packrat'), {recursive: true});
	await seedSample(served, {now: new Date()});

	const server = await startFtpServer(demoServerOptions(served, tls));
	const edits = afterEachRun(historyPath(backup), async () => editFile(served, editedFile));
	// Start at two minutes from now, armed: the countdown runs and a scheduled backup follows.
	const soon = new Date(Date.now() + 2 * 60_000);
	const settings = {
		server: {host: server.host, port: server.port, user: 'demo', tls, root: '/', ...(server.fingerprint && !flags.has('--untrusted') ? {fingerprint: server.fingerprint} : {})},
		backupFolder: backup,
		startAt: `${pad(soon.getHours())}:${pad(soon.getMinutes())}`,
		armed: true,
	};
	await writeFile(join(config, 'packrat', 'config.json'), JSON.stringify(settings, null, '\t'), {mode: 0o600});

	const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'source', 'cli.js');
	const window = spawn(process.execPath, [cli, ...(flags.has('--ascii') ? ['--ascii'] : [])], {
		stdio: 'inherit',
		env: {...process.env, XDG_CONFIG_HOME: config, XDG_STATE_HOME: state, PACKRAT_PASSWORD: 'demo'},
	});
	const forward = (signal: NodeJS.Signals) => window.kill(signal);
	for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, forward);
	const code = await new Promise<number>(resolve => window.on('exit', (exit, signal) => resolve(exit ?? (signal ? 128 : 1))));
	edits.stop();
	await server.close();
	process.stdout.write(`packrat demo: the backup is in ${backup}\n(settings in ${config}; remove it all with: rm -rf ${base})\n`);
	return code;
}

main().then(
	code => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`packrat demo: ${(error as Error).message}\n`);
		process.exit(1);
	},
);
