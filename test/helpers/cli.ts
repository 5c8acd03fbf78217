/** Runs the built command line (`npm test` builds first) with its own settings folders. */
import {spawn} from 'node:child_process';
import {join} from 'node:path';

export const cliPath = join(import.meta.dirname, '..', '..', 'dist', 'source', 'cli.js');

export type CliResult = {code: number | null; stdout: string; stderr: string};

export async function runCli(args: string[], options: {env?: Record<string, string>; input?: string; home: string}): Promise<CliResult> {
	const child = spawn(process.execPath, [cliPath, ...args], {
		env: {
			PATH: process.env['PATH'] ?? '',
			HOME: options.home,
			XDG_CONFIG_HOME: join(options.home, 'config'),
			XDG_STATE_HOME: join(options.home, 'state'),
			...options.env,
		},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', chunk => (stdout += String(chunk)));
	child.stderr.on('data', chunk => (stderr += String(chunk)));
	child.stdin.end(options.input ?? '');
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	return {code, stdout, stderr};
}
