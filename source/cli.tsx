#!/usr/bin/env -S node --max-semi-space-size=2 --heap-growing-percent=50
/**
 * packrat's command line: the Backup window by default, or a headless command.
 *
 * The shebang gives V8 a young generation of at most 2 MiB per semi-space (Node 20 lets it grow
 * to 16): a headless run of 5,000 files peaks at about 92 MiB instead of about 125, for a few
 * hundred more scavenges (measured: about 0.07 s more GC pause in a 9 s first pull, 0.06 s in a
 * no-change rerun). And an old generation let grow to 1.5 times what the last full collection
 * kept, not the up to 4 times V8 picks when collections are cheap: a pull of 100,000 files peaked
 * at 173-228 MiB, most of it garbage waiting for that collection, and peaks at 153-154 MiB
 * with it (a pull of 5,000 files 80 -> 73 MiB, its CPU unchanged; a rerun's unchanged). V8 has
 * had the flag since 2019. `node dist/source/cli.js` skips the shebang and so the flags; the installed
 * bin (and the benchmark) run the file itself. `env -S` needs coreutils 8.30 or later.
 */
import {readFileSync} from 'node:fs';
import {withoutControl} from './backup/names.js';
import {readCommandLine, UsageError, usageOf, type Parsed} from './commands/args.js';
import type {Overrides} from './settings/job.js';

const help = `Usage
	  $ packrat                       open the Backup window
	  $ packrat run [options]         one backup now, without the window (for cron or systemd)
	  $ packrat now                   start a backup in the running window
	  $ packrat cancel                cancel the backup going on in the window
	  $ packrat status [--json]       the run going on, the last successful and the next backup
	  $ packrat verify [options]      compare the backup with the server (--sample PERCENT, --json, --folder DIR)
	  $ packrat versions PATH         every version of a file (or folder) in the backup folder
	  $ packrat restore PATH [--version N | --at "YYYY-MM-DD HH:MM"] [--to DIR]
	                                  copy a version (or a folder as it stood) out of the backup
	  $ packrat guard [--accept]      the mass-change guard: is pruning held off (exit 1), or confirm
	                                  the change and prune again (--folder DIR, --json)
	  $ packrat config path           where the settings file is
	  $ packrat config get [KEY]      show one setting, or all
	  $ packrat config set KEY VALUE  change a setting (checked against the schema)
	  $ packrat config unset KEY      back to the default

	Options for run
	  --full, --incremental       the mode for this run (default: the mode setting)
	  --latest-only               only the latest version of each project
	  --no-latest-only            every version
	  --folder DIR                back up into DIR for this run
	  --connections N|auto        1 to 16 connections at once, or auto (4, more while it helps)
	  --json                      JSON lines instead of readable lines

	Options
	  --profile NAME              use the settings NAME.json instead of config.json
	  --ascii                     draw the window with ASCII only
	  --help, --version           this help, or packrat's version; after a command, --help
	                              prints its usage (and after restore PATH, --version N is a version)

	Each command takes only its own options; --profile, --ascii, --help and --version may also
	come before the command.

	Exit codes of run: 0 success, 1 failure, 2 bad usage or settings, 130 interrupted.
	A run flagged by the mass-change guard exits as its outcome says, and says so in its last line.

	Examples
	  $ packrat config set server.host ftp.example.com
	  $ echo "$SECRET" | packrat config set server.password -
	  $ packrat config set backupFolder /srv/backup
	  $ packrat run --full --latest-only
	  $ PACKRAT_PASSWORD=… packrat run --json --folder /mnt/usb/backup
`;

const out = {line: (text: string) => process.stdout.write(`${text}\n`), error: (text: string) => process.stderr.write(`${text}\n`)};

/** One line on stderr, control characters escaped (a setting or a path may hold them), and exit. */
function fail(message: string, code = 2): never {
	process.stderr.write(`packrat: ${withoutControl(message)}\n`);
	process.exit(code);
}

function commandLine(): Parsed {
	try {
		return readCommandLine(process.argv.slice(2));
	} catch (error) {
		if (error instanceof UsageError) fail(error.message);
		throw error;
	}
}

const cli = commandLine();

/** `--version`, or `--help`: the command's usage line, else the description and the help, as package.json gives them. */
function about(): string {
	const usage = usageOf(cli.input[0]);
	if (cli.flags.help && usage !== undefined) return usage;
	const {version, description} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string; description: string};
	return cli.flags.version ? version : `\n  ${description}\n\n  ${help.replace(/^\t/gm, '  ').trim()}\n`;
}

function overrides(): Overrides {
	const {flags} = cli;
	const result: Overrides = {};
	if (flags.full) result.mode = 'full';
	if (flags.incremental) result.mode = 'incremental';
	if (flags.latestOnly !== undefined) result.latestOnly = flags.latestOnly;
	if (flags.folder !== undefined) result.folder = flags.folder;
	if (flags.connections !== undefined) {
		const {connections} = flags;
		if (connections !== 'auto' && (!Number.isInteger(connections) || connections < 1 || connections > 16)) fail('--connections must be a whole number from 1 to 16, or auto');
		result.connections = flags.connections;
	}

	return result;
}

async function main(): Promise<number> {
	if (cli.flags.help || cli.flags.version) {
		out.line(about());
		return 0;
	}

	const {input: [command, ...rest], flags} = cli;
	if (command === 'run') {
		// The first signal cancels the run cleanly (partials kept, history written). A library's
		// exit handler (signal-exit) may raise the same signal again at once: only a signal that
		// comes seconds later, from a person who has waited, ends the process without the summary.
		const controller = new AbortController();
		let firstAt = 0;
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
			process.on(signal, () => {
				if (firstAt === 0) {
					firstAt = Date.now();
					controller.abort();
				} else if (Date.now() - firstAt > 3000) {
					process.exit(130);
				}
			});
		}
		const {runCommand} = await import('./commands/run.js');
		return runCommand({...overrides(), json: flags.json, profile: flags.profile}, out, controller.signal);
	}

	if (command === 'now' || command === 'cancel' || command === 'status') {
		const {cancelCommand, nowCommand, statusCommand} = await import('./commands/control.js');
		if (command === 'now') return nowCommand({profile: flags.profile}, out);
		if (command === 'cancel') return cancelCommand({profile: flags.profile}, out);
		return statusCommand({profile: flags.profile, json: flags.json}, out);
	}

	const {json, folder, profile} = flags;
	if (command === 'guard') return (await import('./commands/guard.js')).guardCommand({accept: flags.accept ?? false, folder, profile, json}, out);
	if (command === 'verify') return (await import('./commands/verify.js')).verifyMain({samplePercent: flags.sample ?? 0, json, folder, profile}, out);
	if (command === 'versions') return (await import('./commands/versions.js')).versionsCommand({path: rest[0]!, json, folder, profile}, out);
	if (command === 'restore') return (await import('./commands/restore.js')).restoreCommand({path: rest[0]!, json, folder, profile, version: flags.versionNumber, at: flags.at, to: flags.to}, out);
	if (command === 'config') return (await import('./commands/config.js')).configCommand(rest, profile, out);
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		fail('the Backup window needs a terminal; for cron, scripts and pipes use "packrat run" (see packrat --help)');
	}

	const {openWindow} = await import('./window.js');
	return openWindow({profile: flags.profile, ascii: flags.ascii});
}

main().then(
	code => {
		process.exitCode = code;
	},
	async (error: unknown) => {
		// Loaded here, not up front: backup/errors.js brings the FTP client's errors, which --version does not need.
		const {PackratError} = await import('./backup/errors.js');
		if (error instanceof PackratError) fail(error.message, error.code === 'config' ? 2 : 1);
		fail(`unexpected error: ${(error as Error)?.message ?? String(error)}`, 1);
	},
);
