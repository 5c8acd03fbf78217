import {describe, expect, it} from 'vitest';
import {readArgs} from '../../source/commands/args.js';

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
