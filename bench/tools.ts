/**
 * The three tools the benchmark compares, each as the command line that pulls a remote folder
 * into a local one with 4 transfers at once: packrat (headless), lftp mirror, rclone copy.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {accessSync, constants, existsSync, readFileSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import {delimiter, dirname, join} from 'node:path';
import type {Command} from './measure.js';
import type {Server} from './servers.js';

export type ToolName = 'packrat' | 'lftp' | 'rclone';

export type Tool = {
	/** packrat, lftp, rclone, or a reference such as lean. */
	name: string;
	version: string;
	/** The command that pulls `remote` (e.g. `/small`) into `dest`. */
	pull(remote: string, dest: string): Command;
};

export type ToolContext = {
	repo: string;
	work: string;
	/** Where the tools connect: the server, or a proxy in front of it. */
	server: Server;
	/** Explicit FTPS: packrat pins the certificate's fingerprint, lftp and rclone trust it as their only authority (`caFile`). */
	tls?: {fingerprint: string; caFile: string};
	/** rclone's --checkers (default: rclone's own, 8). */
	checkers?: number;
};

function onPath(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0;
}

function firstLine(command: string, args: string[]): string {
	const result = spawnSync(command, args, {encoding: 'utf8'});
	return `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? '';
}

const lftpQuote = (text: string) => `"${text.replace(/(["\\])/g, '\\$1')}"`;

async function packrat(context: ToolContext): Promise<Tool> {
	const cli = join(context.repo, 'dist', 'source', 'cli.js');
	if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);
	try {
		accessSync(cli, constants.X_OK);
	} catch {
		throw new Error(`${cli} is not executable: run npm run build`);
	}

	const config = join(context.work, 'config');
	await mkdir(config, {recursive: true});
	// packrat is run as its bin is, by its shebang (which gives node its V8 flags), with this node first on PATH.
	const env = {XDG_CONFIG_HOME: config, PACKRAT_PASSWORD: context.server.password, PATH: [dirname(process.execPath), process.env['PATH']].filter(Boolean).join(delimiter)};
	const profiles = new Set<string>();
	const profileFor = (remote: string) => {
		const profile = `bench-${remote.replace(/[^A-Za-z0-9-]+/g, '') || 'root'}`;
		if (profiles.has(profile)) return profile;
		const settings: Array<[string, string]> = [
			['server.host', context.server.host], ['server.port', String(context.server.port)], ['server.user', context.server.user],
			['server.tls', context.tls ? 'explicit' : 'none'], ['server.root', remote], ['backupFolder', join(context.work, 'unused')], ['connections', '4'],
			...(context.tls ? [['server.fingerprint', context.tls.fingerprint] as [string, string]] : []),
		];
		for (const [key, value] of settings) {
			execFileSync(cli, ['config', 'set', key, value, '--profile', profile], {env: {...process.env, ...env}, stdio: 'pipe'});
		}

		profiles.add(profile);
		return profile;
	};

	const shebang = readFileSync(cli, 'utf8').split('\n', 1)[0]!;
	const {version} = JSON.parse(readFileSync(join(context.repo, 'package.json'), 'utf8')) as {version: string};
	const commit = spawnSync('git', ['-C', context.repo, 'rev-parse', '--short', 'HEAD'], {encoding: 'utf8'}).stdout.trim();
	const dirty = spawnSync('git', ['-C', context.repo, 'status', '--porcelain', 'source'], {encoding: 'utf8'}).stdout.trim() ? ', source/ modified' : '';
	return {
		name: 'packrat',
		version: `packrat ${version} (${commit || 'no git'}${dirty}), node ${process.version}, started by its shebang ${shebang}`,
		pull: (remote, dest) => ({
			command: cli,
			args: ['run', '--profile', profileFor(remote), '--folder', dest, '--connections', '4'],
			env,
		}),
	};
}

function lftp(context: ToolContext): Tool {
	const {server, tls} = context;
	// Over FTPS: TLS for the login and every data connection, the certificate checked against the bench's own, host name included.
	const ssl = tls
		? ['set ftp:ssl-force yes', 'set ftp:ssl-protect-data yes', 'set ftp:ssl-protect-list yes', `set ssl:ca-file ${lftpQuote(tls.caFile)}`, 'set ssl:verify-certificate yes', 'set ssl:check-hostname yes']
		: ['set ftp:ssl-allow no'];
	return {
		name: 'lftp',
		version: firstLine('lftp', ['--version']).replace(/\s*\|\s*Copyright.*/, '').replace(/\s*\|\s*/g, ' '),
		pull: (remote, dest) => ({
			command: 'lftp',
			args: ['-c', [
				'set cmd:fail-exit yes', ...ssl, 'set net:max-retries 3', 'set net:reconnect-interval-base 1',
				`open -u ${server.user},${server.password} -p ${server.port} ftp://${server.host}`,
				`mirror --parallel=4 ${lftpQuote(remote)} ${lftpQuote(dest)}`,
			].join('; ')],
		}),
	};
}

async function rclone(context: ToolContext): Promise<Tool> {
	const {server, tls} = context;
	const obscured = execFileSync('rclone', ['obscure', server.password], {encoding: 'utf8'}).trim();
	const config = join(context.work, 'rclone.conf');
	await writeFile(config, '');
	return {
		name: 'rclone',
		version: firstLine('rclone', ['version']),
		pull: (remote, dest) => ({
			command: 'rclone',
			args: [
				'copy', '--transfers', '4', ...(context.checkers ? ['--checkers', String(context.checkers)] : []), '--config', config,
				`:ftp,host=${server.host},port=${server.port},user=${server.user},pass=${obscured}${tls ? ',explicit_tls=true' : ''}:${remote}`, dest,
			],
			// Go reads its trusted authorities from SSL_CERT_FILE: the bench's certificate only.
			env: tls ? {SSL_CERT_FILE: tls.caFile} : undefined,
		}),
	};
}

/** packrat as it is set up by default, `--connections auto` (it starts at 4 and adds connections while they help). */
export function packratAuto(packrat: Tool): Tool {
	return {
		name: 'packrat-auto',
		version: `${packrat.version}, --connections auto`,
		pull(remote, dest) {
			const command = packrat.pull(remote, dest);
			return {...command, args: command.args.map((arg, index) => (command.args[index - 1] === '--connections' ? 'auto' : arg))};
		},
	};
}

/** bench/lean.ts: the least a Node pull over basic-ftp does per file, as a reference; `extra` tries its options. */
export function lean(context: ToolContext, name = 'lean', extra: string[] = []): Tool {
	const {server} = context;
	const script = join(context.repo, 'dist', 'bench', 'lean.js');
	return {
		name,
		version: `bench/lean.ts ${extra.join(' ')}`.trim(),
		pull: (remote, dest) => ({
			command: process.execPath,
			args: [script, '--host', server.host, '--port', String(server.port), '--user', server.user, '--password', server.password, '--root', remote, '--dest', dest, '--connections', '4', ...extra],
		}),
	};
}

/** The tools asked for that are installed, and a line for each that is not. */
export async function loadTools(names: ToolName[], context: ToolContext, log: (line: string) => void): Promise<Tool[]> {
	const tools: Tool[] = [];
	for (const name of names) {
		if (name !== 'packrat' && !onPath(name)) {
			log(`${name} is not installed: left out (apt-get install ${name})`);
			continue;
		}

		tools.push(name === 'packrat' ? await packrat(context) : name === 'lftp' ? lftp(context) : await rclone(context));
	}

	return tools;
}
