/**
 * Where packrat's time goes on the server: the FTP commands each tool sends per file (from
 * vsftpd's protocol log), and, from inside one packrat run, its phases, its FTP requests and its
 * file-system calls with their latencies.
 */
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import type {RunEvent} from '../source/backup/events.js';
import {runBackup} from '../source/backup/run.js';
import {instrument, type Tally} from './instrument.js';
import {timedPull, sampleLine} from './rounds.js';
import {protocolCounts} from './protocol.js';
import type {Server} from './servers.js';
import {lean, type Tool} from './tools.js';
import {median, rotate} from './stats.js';
import {Source} from './verify.js';

export type ProfileOptions = {repo: string; work: string; tools: Tool[]; server: Server; sets: string; prefer: 'vsftpd' | 'ftp-srv'; log: (line: string) => void};

type InProcess = {wallMs: number; cpuMs: number; elu: number; phases: Map<string, number>; ftp: Tally; fs: Tally; events: Map<string, number>; summary: string};

async function inProcess(options: ProfileOptions, dest: string): Promise<InProcess> {
	const {server} = options;
	const events = new Map<string, number>();
	const marks: Array<[string, number]> = [];
	let lastScan = 0;
	const onEvent = (event: RunEvent) => {
		events.set(event.type, (events.get(event.type) ?? 0) + 1);
		if (event.type === 'phase') marks.push([event.phase, performance.now()]);
		if (event.type === 'scan') lastScan = performance.now();
		if (event.type === 'plan') marks.push(['plan-done', performance.now()], ['scan-done', lastScan]);
	};

	const tallies = await instrument();
	const cpu = process.cpuUsage();
	const elu = performance.eventLoopUtilization();
	const started = performance.now();
	let summary;
	try {
		summary = await runBackup({
			job: {
				server: {host: server.host, port: server.port, user: server.user, password: server.password, tls: 'none', root: '/small', timeoutMs: 30_000},
				backupFolder: dest, mode: 'incremental', latestOnly: false, connections: 4, keepSnapshots: 0, linkUnchanged: false, retries: 3,
			},
			onEvent,
		});
	} finally {
		tallies.restore();
	}

	const wallMs = performance.now() - started;
	const used = process.cpuUsage(cpu);
	const at = (name: string) => marks.find(([mark]) => mark === name)?.[1];
	const span = (from: string, to: string) => {
		const start = at(from);
		const end = at(to);
		return start !== undefined && end !== undefined ? end - start : Number.NaN;
	};

	const phases = new Map<string, number>([
		['connecting (prepare folder, lock, 4 logins)', span('connecting', 'initializing')],
		['initializing: listing + MDTM', span('initializing', 'scan-done')],
		['plan: history, local checks of every file', span('scan-done', 'plan-done')],
		['backing up (from the plan)', span('plan-done', 'finishing')],
		['finishing (export, logs, history)', span('finishing', 'done')],
	]);
	const counts = summary.counts;
	return {
		wallMs, cpuMs: (used.user + used.system) / 1000, elu: performance.eventLoopUtilization(elu).utilization, phases,
		ftp: tallies.ftp, fs: tallies.fs, events, summary: `${summary.outcome}: ${counts.downloaded} downloaded, ${counts.unchanged} unchanged, ${counts.failed} failed`,
	};
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function tallyTable(title: string, runs: Array<[string, Tally]>, files: number): string[] {
	const names = [...new Set(runs.flatMap(([, tally]) => [...tally.keys()]))].sort((a, b) => {
		const total = (name: string) => runs.reduce((sum, [, tally]) => sum + (tally.get(name)?.count ?? 0), 0);
		return total(b) - total(a);
	});
	const lines = [
		`| ${title} | ${runs.map(([label]) => `${label}: calls | per file | failed | summed ms | mean ms`).join(' | ')} |`,
		`|---|${runs.map(() => '---:|---:|---:|---:|---:').join('|')}|`,
	];
	for (const name of names) {
		const cells = runs.map(([, tally]) => {
			const entry = tally.get(name);
			if (!entry) return '0 | 0 | 0 | 0 | –';
			return `${entry.count} | ${fixed(entry.count / files)} | ${entry.errors} | ${fixed(entry.ms, 0)} | ${fixed(entry.ms / entry.count, 3)}`;
		});
		lines.push(`| ${name} | ${cells.join(' | ')} |`);
	}

	return lines;
}

/** packrat, the lean reference and the peers, alternated, on the main server: how far the engine is from the protocol's floor in Node. */
async function floor(options: ProfileOptions, rounds: number): Promise<string[]> {
	const dir = join(options.work, 'profile-floor');
	const context = {repo: options.repo, work: dir, server: options.server};
	const tools = [
		...options.tools.filter(tool => tool.name === 'packrat'),
		lean(context),
		lean(context, 'lean + STAT + pipelined MDTM + 4 checkers', ['--stat', '--pipeline', '--checkers', '4']),
		...options.tools.filter(tool => tool.name !== 'packrat'),
	];
	const target = {name: 'small', remote: '/small', source: await Source.load(join(options.sets, 'small')), rerun: true};
	const results = new Map<string, Record<'first' | 'rerun', {wall: number[]; cpu: number[]}>>();
	for (let round = 1; round <= rounds; round++) {
		for (const tool of rotate(tools, round - 1)) {
			for (const kind of ['first', 'rerun'] as const) {
				const sample = await timedPull(tool, target, kind, round, join(dir, 'pulls', `${tool.name}-r${round}`), dir);
				options.log(sampleLine(sample));
				const entry = results.get(tool.name) ?? {first: {wall: [], cpu: []}, rerun: {wall: [], cpu: []}};
				entry[kind].wall.push(sample.wallMs);
				if (sample.cpuMs !== undefined) entry[kind].cpu.push(sample.cpuMs);
				results.set(tool.name, entry);
			}
		}
	}

	const cell = (values: number[]) => {
		const value = median(values);
		return value === undefined ? '–' : (value / 1000).toFixed(2);
	};

	return [
		`The same pulls of \`small\` by packrat, by \`bench/lean.ts\` (the least a Node program on basic-ftp does per file: LIST, MDTM, RETR into \`.part\`, utimes, rename; no resume records, logs or events), by lean with what the engine could adopt (folders listed with \`STAT <folder>\` on the control connection instead of LIST over a data connection, the MDTMs of a folder pipelined in one write, and 4 more connections that only list while 4 transfer, as rclone's checkers do) and by the peers, alternated, median of ${rounds}: the gap between packrat and lean is the engine's own overhead; lean against rclone is Node + basic-ftp against Go.`,
		'',
		'| tool | first pull wall (s) | first pull CPU (s) | rerun wall (s) | rerun CPU (s) |',
		'|---|---:|---:|---:|---:|',
		...[...results].map(([name, entry]) => `| ${name} | ${cell(entry.first.wall)} | ${cell(entry.first.cpu)} | ${cell(entry.rerun.wall)} | ${cell(entry.rerun.cpu)} |`),
		'',
	];
}

export async function runProfile(options: ProfileOptions, rounds = 3): Promise<string> {
	const files = (await Source.load(join(options.sets, 'small'))).tree.size;
	const lines = ['## Where packrat\'s time goes (small, vsftpd)', ''];
	lines.push(...(await protocolCounts(options, files)));
	lines.push(...(await floor(options, rounds)));

	const dest = join(options.work, 'profile-inprocess', 'packrat');
	await mkdir(join(options.work, 'profile-inprocess'), {recursive: true});
	options.log('profile: packrat in process (first pull, then rerun), counting FTP requests and fs calls');
	const first = await inProcess(options, dest);
	options.log(`  first: ${(first.wallMs / 1000).toFixed(2)} s, ${first.summary}`);
	const rerun = await inProcess(options, dest);
	options.log(`  rerun: ${(rerun.wallMs / 1000).toFixed(2)} s, ${rerun.summary}`);
	const runs: Array<[string, InProcess]> = [['first pull', first], ['rerun', rerun]];
	lines.push(
		'packrat run in the benchmark process (`runBackup`, 4 connections; node startup and module loading excluded), FTP requests timed from the write of each command to its final reply (pipelined commands include the wait for those before them; summed over the 4 connections, so the sum can exceed the wall time), node:fs calls (node:fs sync and callback calls, node:fs/promises and FileHandle methods) timed at the call (a callback call\'s time is only its start).',
		'',
		`| | ${runs.map(([label]) => label).join(' | ')} |`,
		`|---|${runs.map(() => '---:').join('|')}|`,
		`| wall (s) | ${runs.map(([, run]) => fixed(run.wallMs / 1000)).join(' | ')} |`,
		...[...first.phases.keys()].map(phase => `| ${phase} (s) | ${runs.map(([, run]) => fixed((run.phases.get(phase) ?? Number.NaN) / 1000)).join(' | ')} |`),
		`| CPU of the process, user+sys (s) | ${runs.map(([, run]) => fixed(run.cpuMs / 1000)).join(' | ')} |`,
		`| event-loop utilisation | ${runs.map(([, run]) => `${(run.elu * 100).toFixed(0)}%`).join(' | ')} |`,
		`| events emitted | ${runs.map(([, run]) => [...run.events.values()].reduce((sum, count) => sum + count, 0)).join(' | ')} |`,
		`| outcome | ${runs.map(([, run]) => run.summary).join(' | ')} |`,
		'',
		...tallyTable('FTP request', runs.map(([label, run]) => [label, run.ftp]), files),
		'',
		...tallyTable('node:fs call', runs.map(([label, run]) => [label, run.fs]), files),
		'',
	);
	return lines.join('\n');
}
