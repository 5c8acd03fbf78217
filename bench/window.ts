/**
 * The window's extra CPU (target: ≤ 10% over a headless run of the same backup): the same
 * first pull of `small`, once by `packrat run` and once by the Backup window on a pseudo-terminal
 * (util-linux `script`), where `n` starts it and `q` quits once the run is in the history.
 * Two figures for the window: its whole process (start-up and the idle seconds around the run
 * included), and the backup alone, from the key press to the run in the history, read from the
 * CPU clocks of the window's threads (/proc/PID/task/TID/schedstat). The window is left open for
 * days and pays its start-up once; each backup pays the second figure.
 * Measured only when source/window.tsx is a real window.
 */
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {mkdir, readFile, rm} from 'node:fs/promises';
import {delimiter, dirname, join} from 'node:path';
import {historyPath} from '../source/backup/history.js';
import {median} from './stats.js';
import {gnuTimeFigures, measure} from './measure.js';
import {leafOf, threadsCpuMs} from './proc.js';
import {timedPull, sampleLine, type Target} from './rounds.js';
import type {Tool} from './tools.js';
import {compare, describe, identical, packratOwn} from './verify.js';

export function windowBuilt(repo: string): boolean {
	try {
		return !/not built yet/.test(readFileSync(join(repo, 'source', 'window.tsx'), 'utf8'));
	} catch {
		return false;
	}
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

type WindowRun = {wallMs: number; cpuMs?: number; backupCpuMs?: number; rssKiB?: number; check: string; ok: boolean};

/** One backup by the window: start it, press n, wait for the run in the history, press q. */
async function windowPull(repo: string, work: string, target: Target, dest: string, round: number): Promise<WindowRun> {
	const cli = join(repo, 'dist', 'source', 'cli.js');
	const profile = `bench-${target.name}`;
	// Started as the headless run is, by its shebang (the same V8 flags), with this node first on PATH.
	const env = {
		...process.env, XDG_CONFIG_HOME: join(work, 'config'), XDG_STATE_HOME: join(work, 'state'), PACKRAT_PASSWORD: 'bench@example.com', TERM: 'xterm-256color',
		PATH: [dirname(process.execPath), process.env['PATH']].filter(Boolean).join(delimiter),
	};
	await mkdir(dirname(dest), {recursive: true});
	spawnSync(process.execPath, [cli, 'config', 'set', 'backupFolder', dest, '--profile', profile], {env});
	const timeFile = join(work, 'logs', `window-r${round}.time`);
	const inner = `stty rows 30 cols 100; exec /usr/bin/time -v -o ${shellQuote(timeFile)} ${shellQuote(cli)} --profile ${profile}`;
	spawnSync('sync');
	const started = process.hrtime.bigint();
	const child = spawn('script', ['-q', '-e', '-c', inner, '/dev/null'], {env, stdio: ['pipe', 'ignore', 'ignore']});
	const exited = new Promise<void>(resolve => child.once('close', () => resolve()));
	let done = false;
	void exited.then(() => (done = true));
	await sleep(1500);
	const windowPid = child.pid === undefined ? undefined : leafOf(child.pid);
	const before = windowPid === undefined ? undefined : threadsCpuMs(windowPid);
	child.stdin.write('n');
	const deadline = Date.now() + 300_000;
	while (!done && Date.now() < deadline && !(await readFile(historyPath(dest), 'utf8').catch(() => '')).trim()) await sleep(20);
	const after = windowPid === undefined ? undefined : threadsCpuMs(windowPid);
	const backupCpuMs = before !== undefined && after !== undefined ? after - before : undefined;
	await sleep(300);
	child.stdin.write('q');
	for (let tries = 0; tries < 30 && !done; tries++) {
		await sleep(100);
		if (tries === 10) child.stdin.write('y');
	}

	if (!done) child.kill('SIGTERM');
	await exited;
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const text = await readFile(timeFile, 'utf8').catch(() => '');
	await rm(timeFile, {force: true});
	const verdict = await compare(target.source, dest, 0.05, packratOwn);
	return {wallMs, ...gnuTimeFigures(text), backupCpuMs, check: describe(verdict), ok: identical(verdict)};
}

export async function measureWindow(repo: string, work: string, packrat: Tool, target: Target, rounds: number, log: (line: string) => void): Promise<string> {
	const heading = '## Window CPU (target: ≤ 10% more CPU than a headless run)\n\n';
	if (!windowBuilt(repo)) return `${heading}Not measured yet: source/window.tsx is still a stub ("the Backup window is not built yet"), so there is no window to compare with a headless run.\n`;
	if (!existsSync('/usr/bin/time') || spawnSync('sh', ['-c', 'command -v script'], {stdio: 'ignore'}).status !== 0) {
		return `${heading}Not measured: needs /usr/bin/time and util-linux script.\n`;
	}

	const headless: number[] = [];
	const whole: number[] = [];
	const backup: number[] = [];
	const lines: string[] = [];
	const seconds = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(2));
	for (let round = 1; round <= rounds; round++) {
		const sample = await timedPull(packrat, target, 'first', round, join(work, 'pulls', 'window', `headless-r${round}`), work);
		log(sampleLine(sample));
		if (sample.cpuMs !== undefined) headless.push(sample.cpuMs);
		const run = await windowPull(repo, work, target, join(work, 'pulls', 'window', `window-r${round}`), round);
		log(`  r${round} ${target.name} first window  ${(run.wallMs / 1000).toFixed(2)} s, CPU ${seconds(run.cpuMs)} s, the backup alone ${seconds(run.backupCpuMs)} s — ${run.check}`);
		lines.push(`| ${round} | ${seconds(sample.cpuMs)} | ${seconds(run.backupCpuMs)} | ${seconds(run.cpuMs)} | ${(run.wallMs / 1000).toFixed(2)} | ${run.check} |`);
		if (run.ok && run.cpuMs !== undefined) whole.push(run.cpuMs);
		if (run.ok && run.backupCpuMs !== undefined) backup.push(run.backupCpuMs);
	}

	const startup = await headlessStartup(packrat, work);
	const warm = warmFrames(repo, log);
	const a = median(headless);
	const verdict = (b: number | undefined, base = a, than = 'headless') => {
		if (base === undefined || b === undefined) return 'could not be measured (see the rows)';
		const ratio = b / base;
		const percent = Math.round((ratio - 1) * 100);
		return `${Math.abs(percent)}% ${percent < 0 ? 'less' : 'more'} CPU than ${than}: ${ratio <= 1.1 ? 'met' : '**MISSED**'}`;
	};

	return [
		heading.trimEnd(), '',
		`The same first pull of \`${target.name}\` by \`packrat run\` and by the window on a pseudo-terminal (100×30, \`n\`, then \`q\` once the run is in the history). CPU = user+sys by GNU time for whole processes; for the backup alone, the CPU clocks of all the window's threads (/proc/PID/task/TID/schedstat) from the key press to the run in the history. The window is left open for days and starts once, so each backup costs the backup-alone figure; the whole process adds the window's start-up and about 2 s idle.`, '',
		'| round | headless CPU (s) | window: the backup alone (s) | window: whole process (s) | window wall (s) | window check |', '|---:|---:|---:|---:|---:|---|', ...lines, '',
		`Medians. The backup in an open window: ${verdict(median(backup))}. The window's whole process, start-up and idle included: ${verdict(median(whole))}.`,
		...(startup !== undefined && a !== undefined ? [`The headless figure includes packrat's own start-up, ${(startup / 1000).toFixed(2)} s (\`packrat run\` into a folder whose parent is missing, which stops right after the settings are read); against the headless run without it, the backup in an open window costs ${verdict(median(backup), a - startup, 'that')}.`] : []), '',
		...warm,
	].join('\n');
}

/**
 * bench/frames.ts at the two sizes the window is tried at: what the window adds per second of a
 * long run once its code is warm (a few seconds of the first pull above also pay for V8 compiling it).
 */
function warmFrames(repo: string, log: (line: string) => void): string[] {
	const lines = ['What the window adds to a longer run, warm (`node dist/bench/frames.js`: a fake engine feeds the real window the events of 400 files a second on 4 connections for 20 s; CPU over the last 15 s, against the same events folded without a window):', ''];
	for (const [columns, rows] of [[100, 30], [80, 24]] as const) {
		const result = spawnSync(process.execPath, [join(repo, 'dist', 'bench', 'frames.js'), '--seconds', '20', '--columns', String(columns), '--rows', String(rows)], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
		const text = result.stdout.trim();
		log(`  frames ${columns}×${rows}: ${text.split('\n').at(-1) ?? '?'}`);
		lines.push(...(result.status === 0 && text ? text.split('\n').map(line => `    ${line}`) : [`    ${columns}×${rows}: could not be measured (exit ${result.status})`]), '');
	}

	return lines;
}

/** CPU of a headless packrat that starts, reads its settings and stops at once (a backup folder whose parent is missing): median of 3, in ms. */
async function headlessStartup(packrat: Tool, work: string): Promise<number | undefined> {
	const cpu: number[] = [];
	for (let round = 1; round <= 3; round++) {
		const command = packrat.pull('/small', join(work, 'no-such-parent', 'backup'));
		const measured = await measure(command, join(work, 'logs', `startup-r${round}.log`));
		if (measured.exitCode === 2 && measured.cpuMs !== undefined) cpu.push(measured.cpuMs);
	}

	return median(cpu);
}
