/**
 * The window's extra CPU (target: ≤ 10% over a headless run of the same backup): the same
 * first pull of `small`, once by `packrat run` and once by the Backup window on a pseudo-terminal
 * (util-linux `script`), where `n` starts it and `q` quits once the run is in the history.
 * Measured only when source/window.tsx is a real window.
 */
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {mkdir, readFile, rm} from 'node:fs/promises';
import {delimiter, dirname, join} from 'node:path';
import {historyPath} from '../source/backup/history.js';
import {median} from './stats.js';
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

type WindowRun = {wallMs: number; cpuMs?: number; rssKiB?: number; check: string; ok: boolean};

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
	child.stdin.write('n');
	const deadline = Date.now() + 300_000;
	while (!done && Date.now() < deadline && !(await readFile(historyPath(dest), 'utf8').catch(() => '')).trim()) await sleep(100);
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
	const field = (name: string) => Number(new RegExp(`${name}:\\s*([\\d.]+)`).exec(text)?.[1] ?? Number.NaN);
	const cpu = (field('User time \\(seconds\\)') + field('System time \\(seconds\\)')) * 1000;
	const verdict = await compare(target.source, dest, 0.05, packratOwn);
	return {wallMs, cpuMs: Number.isFinite(cpu) ? cpu : undefined, rssKiB: field('Maximum resident set size \\(kbytes\\)') || undefined, check: describe(verdict), ok: identical(verdict)};
}

export async function measureWindow(repo: string, work: string, packrat: Tool, target: Target, rounds: number, log: (line: string) => void): Promise<string> {
	const heading = '## Window CPU (target: ≤ 10% more CPU than a headless run)\n\n';
	if (!windowBuilt(repo)) return `${heading}Not measured yet: source/window.tsx is still a stub ("the Backup window is not built yet"), so there is no window to compare with a headless run.\n`;
	if (!existsSync('/usr/bin/time') || spawnSync('sh', ['-c', 'command -v script'], {stdio: 'ignore'}).status !== 0) {
		return `${heading}Not measured: needs /usr/bin/time and util-linux script.\n`;
	}

	const headless: number[] = [];
	const window: number[] = [];
	const lines: string[] = [];
	for (let round = 1; round <= rounds; round++) {
		const sample = await timedPull(packrat, target, 'first', round, join(work, 'pulls', 'window', `headless-r${round}`), work);
		log(sampleLine(sample));
		if (sample.cpuMs !== undefined) headless.push(sample.cpuMs);
		const run = await windowPull(repo, work, target, join(work, 'pulls', 'window', `window-r${round}`), round);
		log(`  r${round} ${target.name} first window  ${(run.wallMs / 1000).toFixed(2)} s, CPU ${run.cpuMs === undefined ? '?' : (run.cpuMs / 1000).toFixed(2)} s — ${run.check}`);
		lines.push(`| ${round} | ${(sample.cpuMs! / 1000).toFixed(2)} | ${run.cpuMs === undefined ? '–' : (run.cpuMs / 1000).toFixed(2)} | ${(run.wallMs / 1000).toFixed(2)} | ${run.check} |`);
		if (run.cpuMs !== undefined && run.ok) window.push(run.cpuMs);
	}

	const a = median(headless);
	const b = median(window);
	const ratio = a !== undefined && b !== undefined ? b / a : undefined;
	const verdict = ratio === undefined ? 'could not be measured (see the rows)' : `${((ratio - 1) * 100).toFixed(0)}% more CPU than headless: ${ratio <= 1.1 ? 'met' : '**MISSED**'}`;
	return [
		heading.trimEnd(), '',
		`The same first pull of \`${target.name}\` by \`packrat run\` and by the window on a pseudo-terminal (100×30, \`n\`, then \`q\` once the run is in the history; the window's CPU includes its start and about 2 s idle). CPU = user+sys by GNU time.`, '',
		'| round | headless CPU (s) | window CPU (s) | window wall (s) | window check |', '|---:|---:|---:|---:|---|', ...lines, '',
		`Median: window ${verdict}.`, '',
	].join('\n');
}
