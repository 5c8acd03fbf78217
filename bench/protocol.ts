/**
 * The FTP commands each tool sends for a pull of `small`, counted from vsftpd's own protocol log
 * (a second vsftpd with log_ftp_protocol=YES, so the timed server stays unlogged).
 */
import {mkdir, open, stat} from 'node:fs/promises';
import {join} from 'node:path';
import type {ProfileOptions} from './profile.js';
import {timedPull, sampleLine} from './rounds.js';
import {startServer} from './servers.js';
import {loadTools, type ToolName} from './tools.js';
import {Source} from './verify.js';

async function readFrom(path: string, offset: number): Promise<string> {
	const handle = await open(path, 'r');
	try {
		const {size} = await handle.stat();
		const buffer = Buffer.alloc(size - offset);
		await handle.read(buffer, 0, buffer.length, offset);
		return buffer.toString('utf8');
	} finally {
		await handle.close();
	}
}

type Counted = {connections: number; verbs: Map<string, number>};

function countCommands(text: string): Counted {
	const verbs = new Map<string, number>();
	let connections = 0;
	for (const line of text.split('\n')) {
		if (line.includes('CONNECT: Client')) connections++;
		const match = /FTP command: Client "[^"]*", "([A-Za-z]+)/.exec(line);
		if (match) verbs.set(match[1]!.toUpperCase(), (verbs.get(match[1]!.toUpperCase()) ?? 0) + 1);
	}

	return {connections, verbs};
}

export async function protocolCounts(options: ProfileOptions, files: number): Promise<string[]> {
	const dir = join(options.work, 'profile-protocol');
	await mkdir(dir, {recursive: true});
	const logFile = join(dir, 'vsftpd-protocol.log');
	const server = await startServer({root: options.sets, prefer: 'vsftpd', protocolLog: logFile, log: options.log});
	if (server.kind !== 'vsftpd') {
		await server.stop();
		return ['(vsftpd is not available: no protocol log.)', ''];
	}

	const rows: Array<{tool: string; kind: string; counted: Counted; wallMs: number}> = [];
	try {
		const tools = await loadTools(options.tools.map(tool => tool.name as ToolName), {repo: options.repo, work: dir, server}, options.log);
		const target = {name: 'small', remote: '/small', source: await Source.load(join(options.sets, 'small')), rerun: true};
		for (const tool of tools) {
			for (const kind of ['first', 'rerun'] as const) {
				const offset = await stat(logFile).then(info => info.size, () => 0);
				const sample = await timedPull(tool, target, kind, 0, join(dir, 'pulls', tool.name), dir);
				options.log(`${sampleLine(sample)} (vsftpd logging every command)`);
				rows.push({tool: tool.name, kind, counted: countCommands(await readFrom(logFile, offset)), wallMs: sample.wallMs});
			}
		}
	} finally {
		await server.stop();
	}

	const verbs = [...new Set(rows.flatMap(row => [...row.counted.verbs.keys()]))].sort((a, b) => {
		const order = ['LIST', 'MDTM', 'SIZE', 'EPSV', 'PASV', 'RETR', 'CWD', 'TYPE'];
		const rank = (verb: string) => (order.includes(verb) ? order.indexOf(verb) : order.length);
		return rank(a) - rank(b) || a.localeCompare(b);
	});
	const lines = [
		`FTP commands seen by vsftpd (protocol log on) for \`small\` (${files} files): what each tool asks per file.`,
		'',
		`| tool | run | control connections | ${verbs.join(' | ')} | commands per file |`,
		`|---|---|---:|${verbs.map(() => '---:').join('|')}|---:|`,
	];
	for (const row of rows) {
		const total = [...row.counted.verbs.values()].reduce((sum, count) => sum + count, 0);
		lines.push(`| ${row.tool} | ${row.kind} | ${row.counted.connections} | ${verbs.map(verb => row.counted.verbs.get(verb) ?? 0).join(' | ')} | ${(total / files).toFixed(2)} |`);
	}

	return [...lines, ''];
}

