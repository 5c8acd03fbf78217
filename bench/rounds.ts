/**
 * The timed rounds: in each round every tool pulls `small` into a fresh folder, reruns it with
 * nothing changed, then pulls `large` into a fresh folder; the order of the tools rotates from
 * round to round. Nothing is deleted between timed runs, and dirty pages are flushed (`sync`)
 * before each, so one run's writeback never lands in the next one's time.
 */
import {spawnSync} from 'node:child_process';
import {mkdir, readFile, rm} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {measure, type Measured} from './measure.js';
import {rotate} from './stats.js';
import type {Tool} from './tools.js';
import {compare, describe, identical, packratOwn, type Source} from './verify.js';

export type Kind = 'first' | 'rerun';

export type Sample = Measured & {
	set: string;
	kind: Kind;
	tool: string;
	round: number;
	dest: string;
	/** The verification verdict, one line. */
	check: string;
	identical: boolean;
	/** packrat's summary line (Done: … downloaded, … unchanged …). */
	summary?: string;
};

export type Target = {
	name: string;
	remote: string;
	source: Source;
	rerun: boolean;
	serverCpu?: () => Promise<number | undefined>;
	/** Share of the files hashed after every pull, every tool's; by default all of packrat's first pull, 5% of its rerun, none of the peers'. */
	hash?: number;
	/** Memory to touch right before each pull (bench/warm.ts): the set's size and room for the tool. */
	warmBytes?: number;
};

export type RoundOptions = {
	tools: Tool[];
	targets: Target[];
	rounds: number;
	work: string;
	log: (line: string) => void;
	firstRound?: number;
	/** Remove a pull of a set without rerun (large: ten big files) once checked, so the page cache does not fill up round after round. */
	dropLarge?: boolean;
};

export async function summaryOf(logFile: string): Promise<string | undefined> {
	const text = await readFile(logFile, 'utf8').catch(() => '');
	return text.split('\n').reverse().find(line => /^(Done|Failed|Cancelled):/.test(line));
}

/** One timed pull of `target` by `tool` into `dest`, then its check. */
export async function timedPull(tool: Tool, target: Target, kind: Kind, round: number, dest: string, work: string): Promise<Sample> {
	const logs = join(work, 'logs');
	await mkdir(logs, {recursive: true});
	// Only the parent: packrat makes the backup folder itself, one level, like a user's first run.
	await mkdir(dirname(dest), {recursive: true});
	const logFile = join(logs, `${target.name}-${kind}-${tool.name}-r${round}.log`);
	spawnSync('sync');
	const measured = await measure(tool.pull(target.remote, dest), logFile, target.serverCpu, target.warmBytes);
	const isPackrat = tool.name.startsWith('packrat');
	// packrat's copies are checked byte for byte; the peers' for files, sizes and times only (unless the target says otherwise).
	const sample = target.hash ?? (!isPackrat ? 0 : target.source.tree.size > 20_000 ? 0.01 : kind === 'rerun' ? 0.05 : 1);
	const verdict = await compare(target.source, dest, sample, isPackrat ? packratOwn : () => false);
	return {
		...measured, set: target.name, kind, tool: tool.name, round, dest,
		check: describe(verdict), identical: identical(verdict),
		summary: isPackrat ? await summaryOf(logFile) : undefined,
	};
}

export const percent = (fraction: number | undefined) => (fraction === undefined ? '?' : `${(fraction * 100).toFixed(0)}%`);

export function sampleLine(sample: Sample): string {
	const rss = sample.rssKiB === undefined ? '' : `, peak RSS ${(sample.rssKiB / 1024).toFixed(0)} MiB`;
	const sys = sample.sysMs === undefined || sample.cpuMs === undefined ? '' : ` (user ${((sample.cpuMs - sample.sysMs) / 1000).toFixed(2)}, sys ${(sample.sysMs / 1000).toFixed(2)})`;
	const cpu = sample.cpuMs === undefined ? '' : `, CPU ${(sample.cpuMs / 1000).toFixed(2)} s${sys}`;
	const exit = sample.exitCode === 0 ? '' : `, EXIT ${sample.exitCode}`;
	const server = sample.serverCpuMs === undefined ? '' : `, server CPU ${(sample.serverCpuMs / 1000).toFixed(2)} s`;
	const machine = sample.busyDuring === undefined ? '' : `, machine ${percent(sample.busyBefore)} busy before, ${percent(sample.busyDuring)} during`;
	return `  r${sample.round} ${sample.set} ${sample.kind.padEnd(5)} ${sample.tool.padEnd(7)} ${(sample.wallMs / 1000).toFixed(2).padStart(7)} s${rss}${cpu}${server}${machine}${exit} — ${sample.check}${sample.summary ? ` — ${sample.summary}` : ''}`;
}

export async function runRounds(options: RoundOptions): Promise<Sample[]> {
	const samples: Sample[] = [];
	const first = options.firstRound ?? 1;
	for (let round = first; round < first + options.rounds; round++) {
		options.log(`round ${round - first + 1} of ${options.rounds}: ${rotate(options.tools, round - first).map(tool => tool.name).join(', ')}`);
		for (const target of options.targets) {
			for (const tool of rotate(options.tools, round - first)) {
				const dest = join(options.work, 'pulls', target.name, `${tool.name}-r${round}`);
				const pull = await timedPull(tool, target, 'first', round, dest, options.work);
				samples.push(pull);
				options.log(sampleLine(pull));
				if (!target.rerun) {
					// A few big files: removing them is quick, and unlike thousands of small ones it does not slow later file creation.
					if (options.dropLarge && target.source.tree.size <= 100) await rm(dest, {recursive: true, force: true});
					continue;
				}

				const rerun = await timedPull(tool, target, 'rerun', round, dest, options.work);
				samples.push(rerun);
				options.log(sampleLine(rerun));
			}
		}
	}

	return samples;
}
