/**
 * What the benchmark reads of processes from /proc (Linux): children, and CPU time, of a
 * process it started (the window under script and time, the vsftpd master).
 */
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;

/** The children of `pid`, oldest first; none when it is gone. */
export function childrenOf(pid: number): number[] {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
	} catch {
		return [];
	}
}

/** The last process down the chain of first children from `pid` (script → time → node: the node). */
export function leafOf(pid: number): number {
	let current = pid;
	for (let next = childrenOf(current)[0]; next !== undefined; next = childrenOf(current)[0]) current = next;
	return current;
}

/** CPU time of all the threads of `pid` so far, in ms (the first field of each thread's schedstat is ns on a CPU), or undefined. */
export function threadsCpuMs(pid: number): number | undefined {
	try {
		let ns = 0;
		for (const task of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
		return ns / 1e6;
	} catch {
		return undefined;
	}
}

/**
 * CPU of process `pid` and of the children it has waited for (vsftpd's master reaps each session,
 * whose own CPU includes the session's helper process), in ms, once it has no child left (at most 2 s).
 */
export async function reapedCpuMs(pid: number): Promise<number | undefined> {
	for (let waited = 0; waited < 2000 && childrenOf(pid).length > 0; waited += 20) await new Promise(resolve => setTimeout(resolve, 20));
	let stat: string;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}

	// After the command name (in parentheses, which may hold spaces): utime, stime, cutime, cstime are fields 14 to 17.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
	return (ticks * 1000) / clockTicks;
}
