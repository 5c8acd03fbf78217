/** Runs the built command line (`npm test` builds first) with its own settings folders. */
import {spawn, type ChildProcess, type StdioOptions} from 'node:child_process';
import {join} from 'node:path';

export const cliPath = join(import.meta.dirname, '..', '..', 'dist', 'source', 'cli.js');

export type CliResult = {code: number | null; stdout: string; stderr: string};

type Where = {home: string; env?: Record<string, string>; cwd?: string};

/** A clean environment whose settings and state live under `home`. */
export function cliEnv({home, env}: Where): Record<string, string> {
	return {PATH: process.env['PATH'] ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), ...env};
}

/** Start packrat as a child process, for tests that signal or kill it. */
export function spawnCli(args: string[], options: Where & {stdio?: StdioOptions}): ChildProcess {
	return spawn(process.execPath, [cliPath, ...args], {env: cliEnv(options), cwd: options.cwd, stdio: options.stdio ?? ['pipe', 'pipe', 'pipe']});
}

export async function runCli(args: string[], options: Where & {input?: string}): Promise<CliResult> {
	const child = spawnCli(args, options);
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', chunk => (stdout += String(chunk)));
	child.stderr!.on('data', chunk => (stderr += String(chunk)));
	child.stdin!.end(options.input ?? '');
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	return {code, stdout, stderr};
}

/** `packrat config set` for each key; throws with packrat's own words if one is refused. */
export async function configure(home: string, settings: Record<string, string>): Promise<void> {
	for (const [key, value] of Object.entries(settings)) {
		const result = await runCli(['config', 'set', key, value], {home});
		if (result.code !== 0 || result.stderr !== '') throw new Error(`config set ${key} failed (${result.code}): ${result.stderr}`);
	}
}
