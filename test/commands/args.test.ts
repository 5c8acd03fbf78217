import meow from 'meow';
import {describe, expect, it} from 'vitest';
import {flagSpecs, quickArgs} from '../../source/commands/args.js';

/** meow as cli.tsx calls it, on an argv that it accepts. */
function byMeow(argv: string[]) {
	const cli = meow('help', {importMeta: import.meta, argv, allowUnknownFlags: false, booleanDefault: undefined, flags: flagSpecs});
	return {input: cli.input, flags: cli.flags};
}

describe('the quick reading of packrat run and of the window', () => {
	it.each([
		[['run']],
		[['run', '--json']],
		[['run', '--no-json']],
		[['run', '--full', '--latest-only']],
		[['run', '--incremental', '--no-latest-only']],
		[['run', '--folder', '/mnt/usb/backup', '--connections', '4']],
		[['run', '--folder=/srv/b=c', '--connections=16']],
		[['run', '--folder', 'with space', '--profile', 'bench-small']],
		[['run', '--folder', '123', '--profile', '1e3']],
		[['run', '--connections', '0']],
		[['run', '--connections', '99']],
		[['run', '--ascii', '--json', '--full', '--incremental']],
		[[]],
		[['--profile', 'bench-small']],
		[['--ascii']],
		[['--profile=work', '--no-ascii']],
	])('reads %j as meow does', argv => {
		const quick = quickArgs(argv);
		expect(quick).toBeDefined();
		expect(quick).toEqual(byMeow(argv));
	});

	it.each([
		[['--version']],
		[['run', '--help']],
		[['run', '--version']],
		[['config', 'get']],
		[['now']],
		[['status', '--json']],
		[['--help']],
		[['--profile']],
		[['--ascii', 'run']],
		[['--json', 'run']],
		[['run', 'now']],
		[['run', '--fast']],
		[['run', '-j']],
		[['run', '--json', '--json']],
		[['run', '--latestOnly']],
		[['run', '--json=false']],
		[['run', '--no-folder']],
		[['run', '--folder']],
		[['run', '--folder', '--json']],
		[['run', '--folder=']],
		[['run', '--connections', '04']],
		[['run', '--connections', '1.5']],
		[['run', '--connections', '0x10']],
		[['run', '--', '--json']],
	])('leaves %j to meow', argv => {
		expect(quickArgs(argv)).toBeUndefined();
	});
});
