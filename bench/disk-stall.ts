/**
 * The slowdisk part's stall check: one packrat pull of `large` with a 5 s timeout, during which
 * the slow device all but stops for 20 s (4 KB/s), then goes on. packrat holds its sockets
 * while the disk is behind; nothing may be given up as a stalled or slow transfer meanwhile.
 */
import {execFileSync} from 'node:child_process';
import {mkdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {measure, type Measured} from './measure.js';
import type {Target} from './rounds.js';
import type {SlowDevice} from './slow-device.js';
import type {Tool} from './tools.js';
import {compare, describe, identical, packratOwn} from './verify.js';

export type StallResult = Measured & {check: string; identical: boolean; givenUp: string[]; summary?: string; timeoutSeconds: number; stallSeconds: number};

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Pull `target` with packrat onto `device`, stopping the disk for `stallSeconds` from the 3rd second. */
export async function stallCheck(packrat: Tool, target: Target, device: SlowDevice, work: string, timeoutSeconds = 5, stallSeconds = 20): Promise<StallResult> {
	const dest = join(device.mount, 'packrat-stall');
	const command = packrat.pull(target.remote, dest);
	const profile = command.args[command.args.indexOf('--profile') + 1]!;
	const setTimeoutSeconds = (value: number) => execFileSync(command.command, ['config', 'set', 'timeoutSeconds', String(value), '--profile', profile], {env: {...process.env, ...command.env}, stdio: 'pipe'});
	const logFile = join(work, 'logs', `${target.name}-stall-packrat.log`);
	await mkdir(join(work, 'logs'), {recursive: true});
	setTimeoutSeconds(timeoutSeconds);
	try {
		execFileSync('sync');
		const running = measure(command, logFile);
		await sleep(3000);
		device.setRate(4096);
		await sleep(stallSeconds * 1000);
		device.setRate(device.limitMBps * 1e6);
		const measured = await running;
		const log = await readFile(logFile, 'utf8').catch(() => '');
		const verdict = await compare(target.source, dest, 1, packratOwn);
		return {
			...measured, check: describe(verdict), identical: identical(verdict), timeoutSeconds, stallSeconds,
			givenUp: log.split('\n').filter(line => /^Retrying |stalled|low-speed/.test(line)),
			summary: log.split('\n').reverse().find(line => /^(Done|Failed|Cancelled):/.test(line)),
		};
	} finally {
		device.setRate(device.limitMBps * 1e6);
		setTimeoutSeconds(30);
	}
}
