/**
 * Runs one command and measures it: wall time, peak RSS and CPU time, with GNU time when it is
 * there, else by polling VmHWM in /proc (CPU time is then unknown).
 */
import {spawn} from 'node:child_process';
import {existsSync, openSync, closeSync} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import {machineBusy, waitForQuiet} from './quiet.js';
import {warmMemory} from './warm.js';

export type Measured = {
	wallMs: number;
	rssKiB?: number;
	cpuMs?: number;
	/** The system (kernel) part of cpuMs: copies into the page cache, page faults, socket reads. */
	sysMs?: number;
	exitCode: number;
	/** Fraction of all CPUs busy in the second before the run (after waiting for a quiet moment). */
	busyBefore?: number;
	/** Fraction of all CPUs busy during the run: the tool, the server, and anything else. */
	busyDuring?: number;
	/** CPU the FTP server used for this run (user+sys of its sessions), when it can be told. */
	serverCpuMs?: number;
};

export type Command = {command: string; args: string[]; env?: Record<string, string>; cwd?: string};

const gnuTime = '/usr/bin/time';

export function peakRssMethod(): string {
	return existsSync(gnuTime) ? 'GNU time -v (maximum resident set size)' : 'VmHWM from /proc/<pid>/status, polled every 10 ms';
}

function field(text: string, name: string): number | undefined {
	const match = new RegExp(`${name}:\\s*([\\d.]+)`).exec(text);
	return match ? Number(match[1]) : undefined;
}

/** CPU (user+sys) and peak RSS from what `time -v` wrote; undefined where it says nothing. */
export function gnuTimeFigures(text: string): {cpuMs?: number; sysMs?: number; rssKiB?: number} {
	const user = field(text, 'User time \\(seconds\\)');
	const system = field(text, 'System time \\(seconds\\)');
	const known = user !== undefined && system !== undefined;
	return {cpuMs: known ? (user + system) * 1000 : undefined, sysMs: known ? system * 1000 : undefined, rssKiB: field(text, 'Maximum resident set size \\(kbytes\\)')};
}

async function vmHwm(pid: number): Promise<number | undefined> {
	try {
		return field(await readFile(`/proc/${pid}/status`, 'utf8'), 'VmHWM');
	} catch {
		return undefined;
	}
}

/**
 * Run `command`; its output goes to `logFile` (appended). `serverCpu` reads the FTP server's CPU
 * so far; `warmBytes`: memory touched right before the start (see warm.ts).
 */
export async function measure(run: Command, logFile: string, serverCpu?: () => Promise<number | undefined>, warmBytes = 0): Promise<Measured> {
	const useTime = existsSync(gnuTime);
	const timeFile = `${logFile}.time`;
	const [command, args] = useTime ? [gnuTime, ['-v', '-o', timeFile, run.command, ...run.args]] : [run.command, run.args];
	const busyBefore = await waitForQuiet();
	const serverBefore = await serverCpu?.();
	warmMemory(warmBytes);
	const busy = machineBusy();
	const out = openSync(logFile, 'a');
	const started = process.hrtime.bigint();
	const child = spawn(command, args, {stdio: ['ignore', out, out], env: {...process.env, ...run.env}, cwd: run.cwd});
	closeSync(out);
	let peak: number | undefined;
	const poll = useTime ? undefined : setInterval(() => {
		void vmHwm(child.pid!).then(value => {
			if (value !== undefined) peak = Math.max(peak ?? 0, value);
		});
	}, 10);
	const exitCode = await new Promise<number>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', code => resolve(code ?? 1));
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const busyDuring = busy();
	if (poll) clearInterval(poll);
	const serverAfter = serverBefore === undefined ? undefined : await serverCpu?.();
	const serverCpuMs = serverBefore !== undefined && serverAfter !== undefined ? serverAfter - serverBefore : undefined;
	if (!useTime) return {wallMs, rssKiB: peak, exitCode, busyBefore, busyDuring, serverCpuMs};
	const text = await readFile(timeFile, 'utf8').catch(() => '');
	await rm(timeFile, {force: true});
	return {wallMs, exitCode, busyBefore, busyDuring, serverCpuMs, ...gnuTimeFigures(text)};
}
