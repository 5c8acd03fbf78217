import {describe, expect, it} from 'vitest';
import {readArgs, readCommandLine, UsageError, usageOf} from '../../source/commands/args.js';

const defaults = {json: false, ascii: false, help: false, version: false};

describe('reading the command line', () => {
	it.each([
		[['run'], ['run'], {}],
		[['run', '--json'], ['run'], {json: true}],
		[['run', '--no-json'], ['run'], {}],
		[['run', '--full', '--latest-only'], ['run'], {full: true, latestOnly: true}],
		[['run', '--incremental', '--no-latest-only'], ['run'], {incremental: true, latestOnly: false}],
		[['run', '--folder', '/mnt/usb/backup', '--connections', '4'], ['run'], {folder: '/mnt/usb/backup', connections: 4}],
		[['run', '--folder=/srv/b=c', '--connections=16'], ['run'], {folder: '/srv/b=c', connections: 16}],
		[['run', '--folder', 'with space', '--profile', 'bench-small'], ['run'], {folder: 'with space', profile: 'bench-small'}],
		[['run', '--connections', '0'], ['run'], {connections: 0}],
		[['run', '--connections', 'auto'], ['run'], {connections: 'auto'}],
		[[], [], {}],
		[['--profile', 'bench-small'], [], {profile: 'bench-small'}],
		[['--profile=work', '--no-ascii'], [], {profile: 'work'}],
		[['--ascii', 'run'], ['run'], {ascii: true}],
		[['config', 'get', 'mode', '--profile', 'work'], ['config', 'get', 'mode'], {profile: 'work'}],
		[['config', 'set', 'server.password', '-'], ['config', 'set', 'server.password', '-'], {}],
		[['config', 'set', 'keepSnapshots', '-1'], ['config', 'set', 'keepSnapshots', '-1'], {}],
		[['status', '--json'], ['status'], {json: true}],
		[['run', '--help'], ['run'], {help: true}],
		[['--version'], [], {version: true}],
		[['run', '--', '--json'], ['run', '--json'], {}],
	])('reads %j', (argv, input, flags) => {
		expect(readArgs(argv)).toEqual({input, flags: {...defaults, ...flags}});
	});

	it.each([
		[['run', '--fast'], 'unknown option --fast; see packrat --help'],
		[['run', '-j'], 'unknown option -j; see packrat --help'],
		[['run', '--json', '--json'], '--json is given twice; see packrat --help'],
		[['run', '--latest-only', '--no-latest-only'], '--latest-only is given twice; see packrat --help'],
		[['run', '--latestOnly'], 'unknown option --latestOnly; see packrat --help'],
		[['run', '--json=false'], '--json takes no value (got "false"); see packrat --help'],
		[['run', '--no-folder'], 'unknown option --no-folder; see packrat --help'],
		[['run', '--folder'], '--folder needs a value; see packrat --help'],
		[['run', '--folder', '--json'], '--folder needs a value; see packrat --help'],
		[['run', '--folder='], '--folder needs a value; see packrat --help'],
		[['run', '--connections', '1.5'], '--connections must be a whole number or auto (got "1.5")'],
		[['run', '--connections', '0x10'], '--connections must be a whole number or auto (got "0x10")'],
	])('refuses %j in one line', (argv, message) => {
		expect(() => readArgs(argv)).toThrow(message);
	});
});

describe('each command with its own flags', () => {
	const usage = {
		verify: 'usage: packrat verify [--sample PERCENT]',
		versions: 'usage: packrat versions PATH',
		restore: 'usage: packrat restore PATH [--version N',
		config: 'usage: packrat config path',
	};

	it.each([
		[['restore', '/a/b.txt', '--version', '2'], ['restore', '/a/b.txt'], {versionNumber: 2}],
		[['restore', '--version=3', '/a/b.txt', '--to', 'out', '--json'], ['restore', '/a/b.txt'], {versionNumber: 3, to: 'out', json: true}],
		[['restore', '/a/', '--at', '2026-11-20 03:00', '--folder', '/srv/b', '--profile', 'work'], ['restore', '/a/'], {at: '2026-11-20 03:00', folder: '/srv/b', profile: 'work'}],
		[['--version', 'restore', '/a'], ['restore', '/a'], {version: true}],
		[['--profile', 'work', 'restore', '/a', '--version', '1'], ['restore', '/a'], {profile: 'work', versionNumber: 1}],
		[['verify', '--sample', '12.5'], ['verify'], {sample: 12.5}],
		[['verify', '--sample=100', '--json', '--folder', '/srv/b'], ['verify'], {sample: 100, json: true, folder: '/srv/b'}],
		[['versions', '/u/-rf', '--json'], ['versions', '/u/-rf'], {json: true}],
		[['versions', '--', '--odd name'], ['versions', '--odd name'], {}],
		[['--json', 'status'], ['status'], {json: true}],
		[['run', '--no-full', '--incremental'], ['run'], {full: false, incremental: true}],
	])('reads %j', (argv, input, flags) => {
		expect(readCommandLine(argv)).toEqual({input, flags: {...defaults, ...flags}});
	});

	it('reads --version as the switch before a command and alone, as a version number after restore PATH', () => {
		expect(readCommandLine(['--version']).flags).toMatchObject({version: true});
		expect(readCommandLine(['--version']).flags.versionNumber).toBeUndefined();
		expect(readCommandLine(['restore', '/a', '--version', '2']).flags).toMatchObject({version: false, versionNumber: 2});
	});

	it.each([
		[['restore', '/a', '--version', '0'], '--version must be a version number from packrat versions (got "0")'],
		[['restore', '/a', '--version', 'two'], '--version must be a version number from packrat versions (got "two")'],
		[['restore', '/a', '--version'], `--version needs a value; ${usage.restore}`],
		[['restore', '/a', '--no-version'], `unknown option --no-version; ${usage.restore}`],
		[['restore', '/a', '--to'], `--to needs a value; ${usage.restore}`],
		[['restore', '/a', '--to', '--json'], `--to needs a value; ${usage.restore}`],
		[['restore', '/a', '--to='], `--to needs a value; ${usage.restore}`],
		[['restore', '/a', '--sample', '5'], `unknown option --sample; ${usage.restore}`],
		[['verify', '--sample', 'lots'], '--sample must be a percentage from 0 to 100 (got "lots")'],
		[['verify', '--sample', '101'], '--sample must be a percentage from 0 to 100 (got "101")'],
		[['verify', '--sample'], `--sample needs a value; ${usage.verify}`],
		[['verify', '--full'], `unknown option --full; ${usage.verify}`],
		[['verify', '--version'], `unknown option --version; ${usage.verify}`],
		[['versions', '/a', '--to', 'x'], `unknown option --to; ${usage.versions}`],
		[['versions', '/a', '--at', 'x'], `unknown option --at; ${usage.versions}`],
		[['config', 'get', '--json'], `unknown option --json; ${usage.config}`],
		[['run', '--sample', '5'], 'unknown option --sample; see packrat --help'],
		[['run', '--to', 'x'], 'unknown option --to; see packrat --help'],
		[['run', '--ascii'], 'unknown option --ascii; see packrat --help'],
		[['status', '--folder', 'x'], 'unknown option --folder; see packrat --help'],
		[['now', '--json'], 'unknown option --json; see packrat --help'],
		[['--full', 'status'], 'status takes no --full; see packrat --help'],
		[['--sample', '5', 'restore', '/a'], `restore takes no --sample; ${usage.restore}`],
		[['--json'], 'the Backup window takes no --json; see packrat --help'],
		[['backup'], 'unknown command "backup"; see packrat --help'],
	])('refuses %j in one line, with the command\'s usage', (argv, message) => {
		expect(() => readCommandLine(argv)).toThrow(message);
		expect(() => readCommandLine(argv)).toThrow(UsageError);
	});

	it.each([
		[['versions'], `give the PATH of a file or folder, as on the server; ${usage.versions}`],
		[['restore', '/a', '/b'], `one PATH at a time (got 2; quote a path with spaces); ${usage.restore}`],
		[['restore', '/a', '--version', '1', '--at', '2026-11-20'], '--version and --at exclude each other: give one'],
		[['run', '--full', '--incremental'], '--full and --incremental exclude each other: give one'],
		[['run', 'now'], 'run takes no words (got "now"); see packrat --help'],
		[['verify', 'now'], `verify takes no words (got "now"); ${usage.verify}`],
	])('refuses the words or flags that %j takes one of', (argv, message) => {
		expect(() => readCommandLine(argv)).toThrow(message);
	});

	it('gives a command\'s --help without its words', () => {
		expect(readCommandLine(['restore', '--help'])).toEqual({input: ['restore'], flags: {...defaults, help: true}});
		expect(usageOf('restore')).toMatch(/^usage: packrat restore PATH/);
		expect(usageOf('run')).toBeUndefined();
	});
});
