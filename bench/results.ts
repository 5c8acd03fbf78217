/** The report: medians, ratios to the faster peer, targets met or missed, as Markdown. */
import {percent, type Sample} from './rounds.js';
import type {ScaleSample} from './scale.js';
import {median, mib, ratio, seconds} from './stats.js';
import type {WanResult} from './wan.js';
import {renderWan} from './wan-results.js';

export type Report = {
	date: string;
	machine: string;
	server: string;
	tools: string[];
	rssMethod: string;
	seed: number;
	rounds: number;
	sets: string[];
	samples: Sample[];
	scale: ScaleSample[];
	/** Markdown sections written by the other parts (changes, profile, window). */
	sections: string[];
	wan?: WanResult;
	command: string;
};

type Verdict = {label: string; value: string; target: string; met: boolean | undefined};

const metric = (samples: Sample[], set: string, kind: string, tool: string, pick: (sample: Sample) => number | undefined) =>
	median(samples.filter(sample => sample.set === set && sample.kind === kind && sample.tool === tool).map(pick).filter((value): value is number => value !== undefined));

const rows = [
	{label: 'small: first pull', set: 'small', kind: 'first', limit: 0.8},
	{label: 'small: no-change rerun', set: 'small', kind: 'rerun', limit: 0.8},
	{label: 'large: pull', set: 'large', kind: 'first', limit: 1},
];

function mainTable(report: Report, verdicts: Verdict[]): string[] {
	const tools = [...new Set(report.samples.map(sample => sample.tool))];
	const peers = tools.filter(tool => tool !== 'packrat');
	const lines = [
		`| measure (median of ${report.rounds}) | ${tools.join(' | ')} | ${peers.map(peer => `packrat / ${peer}`).join(' | ')}${peers.length > 0 ? ' | ' : ''}packrat / faster peer | target |`,
		`|---|${[...tools, ...peers].map(() => '---:').join('|')}|---:|---|`,
	];
	for (const row of rows) {
		const times = tools.map(tool => metric(report.samples, row.set, row.kind, tool, sample => sample.wallMs));
		if (times.every(value => value === undefined)) continue;
		const peerTimes = peers.map(peer => metric(report.samples, row.set, row.kind, peer, sample => sample.wallMs)).filter((value): value is number => value !== undefined);
		const packrat = times[0];
		const faster = peerTimes.length > 0 ? Math.min(...peerTimes) : undefined;
		const value = packrat !== undefined && faster !== undefined ? packrat / faster : undefined;
		const perPeer = peers.map((_, index) => (packrat !== undefined && times[index + 1] !== undefined ? ratio(packrat / times[index + 1]!) : '–'));
		lines.push(`| ${row.label} (s) | ${[...times.map(seconds), ...perPeer].join(' | ')} | ${ratio(value)} | ≤ ${row.limit.toFixed(1)}× |`);
		verdicts.push({label: `${row.label} ≤ ${row.limit.toFixed(1)}× the faster peer`, value: ratio(value), target: `≤ ${row.limit}×`, met: value === undefined ? undefined : value <= row.limit});
	}

	for (const row of rows) {
		const rss = tools.map(tool => metric(report.samples, row.set, row.kind, tool, sample => sample.rssKiB));
		if (rss.every(value => value === undefined)) continue;
		lines.push(`| ${row.label}: peak RSS (MiB) | ${[...rss.map(mib), ...peers.map(() => '')].join(' | ')} | | |`);
	}

	for (const row of rows) {
		const cpu = tools.map(tool => metric(report.samples, row.set, row.kind, tool, sample => sample.cpuMs));
		if (cpu.every(value => value === undefined)) continue;
		const peerCpu = cpu.slice(1).filter((value): value is number => value !== undefined);
		const cpuRatio = cpu[0] !== undefined && peerCpu.length > 0 ? cpu[0] / Math.min(...peerCpu) : undefined;
		const perPeer = peers.map((_, index) => (cpu[0] !== undefined && cpu[index + 1] !== undefined ? ratio(cpu[0] / cpu[index + 1]!) : '–'));
		lines.push(`| ${row.label}: CPU user+sys (s) | ${[...cpu.map(seconds), ...perPeer].join(' | ')} | ${ratio(cpuRatio)} (CPU) | |`);
	}

	// The kernel's part: in this VM, touching memory the host took back shows up here, whoever pays it.
	for (const row of rows) {
		const sys = tools.map(tool => metric(report.samples, row.set, row.kind, tool, sample => sample.sysMs));
		if (sys.every(value => value === undefined)) continue;
		lines.push(`| ${row.label}: CPU of it in the kernel, sys (s) | ${[...sys.map(seconds), ...peers.map(() => '')].join(' | ')} | | |`);
	}

	// What the machine had left: the server shares its two-or-so CPUs with the tool on 127.0.0.1.
	for (const row of rows) {
		const server = tools.map(tool => metric(report.samples, row.set, row.kind, tool, sample => sample.serverCpuMs));
		if (server.every(value => value === undefined)) continue;
		lines.push(`| ${row.label}: the server's CPU (s) | ${[...server.map(seconds), ...peers.map(() => '')].join(' | ')} | | |`);
	}

	for (const row of rows) {
		const busy = tools.map(tool => metric(report.samples, row.set, row.kind, tool, sample => sample.busyDuring));
		if (busy.every(value => value === undefined)) continue;
		lines.push(`| ${row.label}: machine busy during it | ${[...busy.map(percent), ...peers.map(() => '')].join(' | ')} | | |`);
	}

	const packratRss = report.samples.filter(sample => sample.tool === 'packrat' && sample.rssKiB !== undefined).map(sample => sample.rssKiB!);
	if (packratRss.length > 0) {
		const peak = Math.max(...packratRss);
		verdicts.push({label: 'peak RSS of a headless run ≤ 100 MiB (highest of all packrat runs above)', value: `${mib(peak)} MiB`, target: '≤ 100 MiB', met: peak <= 100 * 1024});
	}

	return lines;
}

function scaleTable(samples: ScaleSample[], verdicts: Verdict[]): string[] {
	if (samples.length === 0) return [];
	const lines = [
		'| tool | files | first pull (s) | ms per 1,000 files | peak RSS (MiB) | rerun (s) | ms per 1,000 files | rerun peak RSS (MiB) | check |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---|',
	];
	for (const tool of new Set(samples.map(sample => sample.tool))) {
		const counts = [...new Set(samples.filter(sample => sample.tool === tool).map(sample => sample.files))].sort((a, b) => a - b);
		const perK: Record<string, number[]> = {first: [], rerun: []};
		let maxRss = 0;
		for (const files of counts) {
			const of = (kind: string) => samples.find(sample => sample.tool === tool && sample.files === files && sample.kind === kind);
			const first = of('first');
			const rerun = of('rerun');
			for (const sample of [first, rerun]) if (sample?.rssKiB) maxRss = Math.max(maxRss, sample.rssKiB);
			if (first) perK['first']!.push(first.wallMs / (files / 1000));
			if (rerun) perK['rerun']!.push(rerun.wallMs / (files / 1000));
			const per = (sample?: Sample) => (sample ? (sample.wallMs / (files / 1000)).toFixed(0) : '–');
			const ok = [first, rerun].every(sample => !sample || (sample.identical && sample.exitCode === 0));
			lines.push(`| ${tool} | ${files.toLocaleString('en')} | ${seconds(first?.wallMs)} | ${per(first)} | ${mib(first?.rssKiB)} | ${seconds(rerun?.wallMs)} | ${per(rerun)} | ${mib(rerun?.rssKiB)} | ${ok ? 'identical, exit 0' : 'FAILED (see runs)'} |`);
		}

		if (tool !== 'packrat' || counts.length === 0) continue;
		const largest = counts.at(-1)!;
		verdicts.push({label: `scale: ${largest.toLocaleString('en')} files with peak RSS ≤ 250 MiB`, value: `${mib(maxRss)} MiB`, target: '≤ 250 MiB', met: maxRss <= 250 * 1024});
		for (const kind of ['first', 'rerun']) {
			const per = perK[kind]!;
			if (per.length < 2) continue;
			const growth = per.at(-1)! / per[0]!;
			verdicts.push({
				label: `scale: time grows linearly, ${kind === 'first' ? 'first pull' : 'rerun'} (time per file at ${largest.toLocaleString('en')} ≤ 1.25× that at ${counts[0]!.toLocaleString('en')})`,
				value: `${growth.toFixed(2)}×`, target: '≤ 1.25×', met: growth <= 1.25,
			});
		}
	}

	return lines;
}

function method(report: Report): string {
	const sets = new Set(report.samples.map(sample => sample.set));
	const steps = [
		...(sets.has('small') ? ['pulls `small` into a fresh folder and reruns it unchanged'] : []),
		...(sets.has('large') ? ['pulls `large` into a fresh folder'] : []),
	];
	const rounds = steps.length > 0 ? `${report.rounds} round(s); in each round every tool ${steps.join(', then ')}; the order of the tools rotates each round; ` : '';
	return `${rounds}every timed run goes into a fresh folder (reruns into their first pull's), with \`sync\` before it and, right before it, the set's size plus 512 MiB of memory filled and freed (bench/warm.ts: this VM's host takes back idle free memory, and filling it again cost whichever tool came first up to 1.7 s of sys time a GB); nothing is deleted between timed runs except each checked \`large\` pull (ten files, so the page cache does not fill with them); 4 connections (packrat \`--connections 4\`, lftp \`mirror --parallel=4\`, rclone \`copy --transfers 4\` with its default 8 checkers); wall time of the whole process, node start-up included; peak RSS by ${report.rssMethod}.`;
}

export function render(report: Report): string {
	const verdicts: Verdict[] = [];
	const main = mainTable(report, verdicts);
	const scale = scaleTable(report.scale, verdicts);
	const packratRuns = [...report.samples, ...report.scale].filter(sample => sample.tool === 'packrat');
	if (packratRuns.length > 0) {
		const bad = packratRuns.filter(sample => !sample.identical || sample.exitCode !== 0);
		verdicts.push({label: 'every benchmarked packrat run byte-identical with exact mtimes', value: `${packratRuns.length - bad.length} of ${packratRuns.length}`, target: 'all', met: bad.length === 0});
	}

	const out = [
		'# packrat benchmark results',
		'',
		`- Date: ${report.date}`,
		`- Machine: ${report.machine}`,
		`- Server: ${report.server}`,
		`- Tools: ${report.tools.join('; ')}`,
		`- Data (seed ${report.seed}): ${report.sets.join('; ')}`,
		`- Method: ${method(report)}`,
		`- Command: \`${report.command}\` (\`npm run bench\` runs everything; \`node dist/bench/run.js --help\` for parts, rounds and tools)`,
		'',
	];
	if (main.length > 2) out.push('## Times and memory', '', ...main, '');
	if (scale.length > 0) out.push('## Scale (tiny files, 100 per folder)', '', ...scale, '');
	if (verdicts.length > 0) {
		out.push('## Targets', '', '| target | measured | limit | |', '|---|---:|---:|---|');
		for (const verdict of verdicts) out.push(`| ${verdict.label} | ${verdict.value} | ${verdict.target} | ${verdict.met === undefined ? 'not measured' : verdict.met ? 'met' : '**MISSED**'} |`);
		out.push('');
	}

	out.push(...report.sections);
	if (report.wan) out.push(renderWan(report.wan, report.command, report.date));
	const all = [...report.samples, ...report.scale];
	if (all.length > 0) {
		out.push(
			'## Every run', '',
			'"Machine busy" is the share of all CPUs in use in the second before the run (the benchmark waits up to 30 s for it to fall to 25% or less) and during the run (the tool, the server and anything else running).', '',
			'| round | set | run | tool | wall (s) | peak RSS (MiB) | CPU (s) | machine busy before / during | exit | check | packrat summary |', '|---:|---|---|---|---:|---:|---:|---:|---:|---|---|',
		);
		for (const sample of all) {
			out.push(`| ${sample.round} | ${sample.set} | ${sample.kind} | ${sample.tool} | ${seconds(sample.wallMs)} | ${mib(sample.rssKiB)} | ${seconds(sample.cpuMs)} | ${percent(sample.busyBefore)} / ${percent(sample.busyDuring)} | ${sample.exitCode} | ${sample.check.replace(/\|/g, '\\|')} | ${(sample.summary ?? '').replace(/\|/g, '\\|')} |`);
		}

		out.push('');
	}

	return `${out.join('\n')}\n`;
}
