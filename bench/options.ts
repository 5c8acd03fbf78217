/** The benchmark's command line. */
import {parseArgs} from 'node:util';
import type {ToolName} from './tools.js';

export const parts = ['small', 'large', 'scale', 'changes', 'profile', 'window', 'ftps', 'wan', 'slowdisk'] as const;
/** Parts run only when named: slowdisk makes a loop device and a throttle rule, as root. */
const optional: readonly string[] = ['slowdisk'];
export type Part = (typeof parts)[number];

export type Options = {
	parts: Set<Part>;
	rounds: number;
	tools: ToolName[];
	scaleSizes: number[];
	scaleTools: ToolName[];
	server: 'vsftpd' | 'ftp-srv';
	seed: number;
	/** The WAN part's emulated link, and the protocols it runs. */
	rttMs: number;
	mbit: number;
	/** The slowdisk part's write rate, MB/s. */
	diskMBps: number;
	protocols: Array<'ftp' | 'ftps'>;
	keep: boolean;
	write: boolean;
	help: boolean;
};

export const usage = `Usage: npm run bench  |  node dist/bench/run.js [options]

  --set LIST           parts to run, from ${parts.join(',')} (default: all)
  --rounds N           timed rounds for small, large, ftps and wan (default 3)
  --rtt MS             wan: the emulated link's round-trip time (default 30); alone, without
                       --set, runs only the wan part and rewrites only its section of RESULTS.md
  --mbit N             wan: the emulated downlink's rate, shared by all connections (default 100)
  --protocols LIST     wan: ftp,ftps (default both; FTPS needs vsftpd)
  --disk-mbps N        slowdisk: the slow disk's write rate in MB/s (default 100); that part runs
                       only when named (--set slowdisk), as root: a loop device, blkio throttling
  --tools LIST         packrat,lftp,rclone (default: all that are installed)
  --scale-sizes LIST   file counts for the scale runs (default 10k,50k,100k)
  --scale-tools LIST   tools for the scale runs (default packrat)
  --server NAME        vsftpd (default, when installed) or ftp-srv
  --seed N             data set seed (default 20261120)
  --keep               keep the pulled folders (they are under the system temp dir)
  --write / --no-write write bench/RESULTS.md (default: only when --set is not given); a run of
                       the wan part alone rewrites only the WAN section
`;

const toolNames = (text: string): ToolName[] => {
	const names = text.split(',').map(name => name.trim()).filter(Boolean);
	for (const name of names) if (!['packrat', 'lftp', 'rclone'].includes(name)) throw new Error(`unknown tool ${name}`);
	return names as ToolName[];
};

const count = (text: string) => {
	const match = /^(\d+)(k?)$/i.exec(text.trim());
	if (!match) throw new Error(`not a file count: ${text}`);
	return Number(match[1]) * (match[2] ? 1000 : 1);
};

export function readOptions(argv: string[]): Options {
	const {values} = parseArgs({
		args: argv,
		options: {
			set: {type: 'string'}, rounds: {type: 'string', default: '3'}, tools: {type: 'string', default: 'packrat,lftp,rclone'},
			'scale-sizes': {type: 'string', default: '10k,50k,100k'}, 'scale-tools': {type: 'string', default: 'packrat'},
			server: {type: 'string', default: 'vsftpd'}, seed: {type: 'string', default: '20261120'}, keep: {type: 'boolean', default: false},
			rtt: {type: 'string'}, mbit: {type: 'string'}, 'disk-mbps': {type: 'string', default: '100'}, protocols: {type: 'string', default: 'ftp,ftps'},
			write: {type: 'boolean'}, 'no-write': {type: 'boolean'}, help: {type: 'boolean', default: false},
		},
	});
	const wanOnly = values.set === undefined && (values.rtt !== undefined || values.mbit !== undefined);
	const chosen = values.set ? values.set.split(',').map(part => part.trim()) : wanOnly ? ['wan'] : parts.filter(part => !optional.includes(part));
	for (const part of chosen) if (!(parts as readonly string[]).includes(part)) throw new Error(`unknown part ${part}; choose from ${parts.join(', ')}`);
	const rounds = Number(values.rounds);
	if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a whole number of 1 or more');
	if (values.server !== 'vsftpd' && values.server !== 'ftp-srv') throw new Error('--server must be vsftpd or ftp-srv');
	const rttMs = Number(values.rtt ?? '30');
	if (!Number.isFinite(rttMs) || rttMs < 0 || rttMs > 2000) throw new Error('--rtt must be a round-trip time in ms, 0 to 2000 (e.g. --rtt 30)');
	const mbit = Number(values.mbit ?? '100');
	if (!Number.isFinite(mbit) || mbit <= 0 || mbit > 100_000) throw new Error('--mbit must be a rate in Mbit/s above 0 (e.g. --mbit 100)');
	const diskMBps = Number(values['disk-mbps']);
	if (!Number.isFinite(diskMBps) || diskMBps < 1 || diskMBps > 10_000) throw new Error('--disk-mbps must be a write rate in MB/s, 1 to 10000 (e.g. --disk-mbps 100)');
	const protocols = values.protocols.split(',').map(name => name.trim()).filter(Boolean);
	for (const protocol of protocols) if (protocol !== 'ftp' && protocol !== 'ftps') throw new Error(`unknown protocol ${protocol}: --protocols takes ftp, ftps`);
	const tools = toolNames(values.tools);
	if (!tools.includes('packrat')) throw new Error('--tools must include packrat');
	return {
		parts: new Set(chosen as Part[]), rounds, tools,
		scaleSizes: values['scale-sizes'].split(',').map(count), scaleTools: toolNames(values['scale-tools']),
		server: values.server, seed: Number(values.seed), rttMs, mbit, diskMBps, protocols: protocols as Options['protocols'], keep: values.keep,
		write: values['no-write'] ? false : (values.write ?? values.set === undefined), help: values.help,
	};
}
