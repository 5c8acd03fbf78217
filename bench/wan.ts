/**
 * The WAN part: the `wan` set pulled through an emulated link (bench/wan-proxy.ts) by every tool
 * in turn, first pull then no-change rerun, over plain FTP (the benchmark's server) and explicit
 * FTPS (a second vsftpd that announces the proxy's address, 127.0.0.2), 4 connections each.
 */
import {readFileSync} from 'node:fs';
import {mkdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {sampleLine, timedPull, type Sample, type Target} from './rounds.js';
import {startServer, type Server} from './servers.js';
import {rotate} from './stats.js';
import {loadTools, packratAuto, type Tool, type ToolName} from './tools.js';
import type {Source} from './verify.js';
import {writeCertificate} from './wan-certificate.js';
import {emptyStats, type LinkStats} from './wan-link.js';
import {startWanProxy, type WanProxy} from './wan-proxy.js';

export type Protocol = 'ftp' | 'ftps';

export type WanSample = Sample & {protocol: Protocol; link: LinkStats; reason?: string};

export type WanResult = {
	rttMs: number;
	mbit: number;
	rounds: number;
	files: number;
	bytes: number;
	samples: WanSample[];
	/** Lines about the run: the set, servers, tools, the machine's load, what was left out. */
	notes: string[];
};

export type WanOptions = {
	repo: string;
	work: string;
	/** The benchmark's plain-FTP server, serving `sets`. */
	server: Server;
	sets: string;
	source: Source;
	set: {line: string; files: number; bytes: number};
	tools: ToolName[];
	protocols: Protocol[];
	rounds: number;
	rttMs: number;
	mbit: number;
	log: (line: string) => void;
};

type Leg = {protocol: Protocol; proxy: WanProxy; tools: Tool[]; target: Target};

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
	try {
		return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
	} catch {
		return 'unknown';
	}
}

/** Why a run failed, from its log: the first error line and the list under it (rclone's "* …"), else the last line. */
async function failure(logFile: string): Promise<string> {
	const lines = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').map(line => line.trim()).filter(Boolean);
	const first = lines.findIndex(text => /error|fail|fatal/i.test(text));
	const picked = first === -1 ? lines.slice(-1) : [lines[first]!, ...lines.slice(first + 1, first + 4).filter(text => text.startsWith('*'))];
	return (picked.join(' ') || 'no output').replace(/pass=[^,:]+/g, 'pass=…').slice(0, 300);
}

/** The tools, and packrat once more as it is by default (`connections: auto`), right after packrat. */
const withAuto = (tools: Tool[]) => tools.flatMap(tool => (tool.name === 'packrat' ? [tool, packratAuto(tool)] : [tool]));

async function plainLeg(options: WanOptions, stops: Array<() => Promise<void>>): Promise<Leg> {
	const proxy = await startWanProxy({rttMs: options.rttMs, mbit: options.mbit, target: {host: options.server.host, port: options.server.port}, host: '127.0.0.1', passive: 'rewrite'});
	stops.push(() => proxy.close());
	const work = join(options.work, 'wan-ftp');
	await mkdir(work, {recursive: true});
	const tools = withAuto(await loadTools(options.tools, {repo: options.repo, work, server: {...options.server, host: proxy.host, port: proxy.port}, checkers: 4}, options.log));
	return {protocol: 'ftp', proxy, tools, target: {name: 'wan-ftp', remote: '/wan', source: options.source, rerun: true, serverCpu: options.server.cpuMs, hash: 1}};
}

/** Explicit FTPS: a vsftpd of its own whose passive replies announce 127.0.0.2, where the proxy listens on the same ports. */
async function tlsLeg(options: WanOptions, stops: Array<() => Promise<void>>, notes: string[]): Promise<Leg> {
	const work = join(options.work, 'wan-ftps');
	await mkdir(work, {recursive: true});
	const certificate = await writeCertificate(work);
	// Below Linux's ephemeral ports and apart from the plain server's range (20000-29999).
	const min = 30_000 + Math.floor(Math.random() * 10) * 200;
	const passive = {address: '127.0.0.2', min, max: min + 199};
	const server = await startServer({root: options.sets, prefer: 'vsftpd', tls: certificate, passive, log: options.log});
	stops.push(() => server.stop());
	notes.push(`FTPS server: ${server.describe}, passive replies announcing ${passive.address} (ports ${passive.min}-${passive.max})`);
	const proxy = await startWanProxy({rttMs: options.rttMs, mbit: options.mbit, target: {host: server.host, port: server.port}, host: passive.address, passive});
	stops.push(() => proxy.close());
	const tls = {fingerprint: certificate.fingerprint, caFile: certificate.cert};
	const tools = withAuto(await loadTools(options.tools, {repo: options.repo, work, server: {...server, host: proxy.host, port: proxy.port}, tls, checkers: 4}, options.log));
	return {protocol: 'ftps', proxy, tools, target: {name: 'wan-ftps', remote: '/wan', source: options.source, rerun: true, serverCpu: server.cpuMs, hash: 1}};
}

const describeLink = (stats: LinkStats, files: number) =>
	`link: ${stats.connections.control} control + ${stats.connections.data} data connections, ${(stats.turns.control / files).toFixed(2)} control turns a file, ` +
	`${(stats.bytesDown / 1e6).toFixed(1)} MB down, timers late ${(stats.lateMs.sum / Math.max(1, stats.lateMs.count)).toFixed(2)} ms on average (${stats.lateMs.max.toFixed(0)} ms at most)`;

export async function runWan(options: WanOptions): Promise<WanResult> {
	const notes = [
		`Data: ${options.set.line} (the spec's layout: users' folders, projects, versions)`,
		`Load average (1, 5, 15 min) at the start: ${loadAverage()}`,
	];
	const samples: WanSample[] = [];
	const stops: Array<() => Promise<void>> = [];
	try {
		const legs: Leg[] = [];
		for (const protocol of options.protocols) {
			if (protocol === 'ftp') legs.push(await plainLeg(options, stops));
			else if (options.server.kind !== 'vsftpd') notes.push('FTPS left out: it needs vsftpd, and the benchmark runs on ftp-srv');
			else legs.push(await tlsLeg(options, stops, notes));
		}

		if (legs[0]) notes.push(`Tools: ${legs[0].tools.map(tool => tool.version).join('; ')}`);
		options.log(`WAN: ${options.rttMs} ms RTT, ${options.mbit} Mbit/s down, ${legs.map(leg => leg.protocol).join(' and ')}, ${options.rounds} round(s)`);
		for (let round = 1; round <= options.rounds; round++) {
			for (const leg of legs) {
				for (const tool of rotate(leg.tools, round - 1)) {
					const dest = join(options.work, 'pulls', leg.target.name, `${tool.name}-r${round}`);
					for (const kind of ['first', 'rerun'] as const) {
						leg.proxy.link.stats = emptyStats();
						const sample: WanSample = {...(await timedPull(tool, leg.target, kind, round, dest, options.work)), protocol: leg.protocol, link: leg.proxy.link.stats};
						if (sample.exitCode !== 0) sample.reason = await failure(join(options.work, 'logs', `${leg.target.name}-${kind}-${tool.name}-r${round}.log`));
						samples.push(sample);
						options.log(`${sampleLine(sample)}${sample.reason ? ` — ${sample.reason}` : ''}`);
						options.log(`    ${describeLink(sample.link, options.set.files)}`);
						// Nothing to rerun after a failed first pull.
						if (sample.exitCode !== 0) break;
					}
				}
			}
		}
	} finally {
		for (const stop of stops.reverse()) await stop();
	}

	notes.push(`Load average at the end: ${loadAverage()}`);
	return {rttMs: options.rttMs, mbit: options.mbit, rounds: options.rounds, files: options.set.files, bytes: options.set.bytes, samples, notes};
}
