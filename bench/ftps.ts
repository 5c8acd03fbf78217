/**
 * Explicit FTPS on loopback: packrat pulls `small` over plain FTP and over explicit FTPS (vsftpd
 * requiring TLS and session reuse on data connections, the certificate pinned), at 4 connections
 * and under `connections: auto`, in an order that rotates each round, every pull into a fresh
 * folder and checked: what TLS costs packrat when the network costs nothing (target: FTPS first
 * pull ≤ 1.3× packrat's own plain FTP, peak RSS ≤ 100 MiB).
 */
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {sampleLine, timedPull, type Sample, type Target} from './rounds.js';
import {startServer, type Server} from './servers.js';
import {median, mib, ratio, rotate, seconds} from './stats.js';
import {loadTools, packratAuto, type Tool} from './tools.js';
import {writeCertificate} from './wan-certificate.js';

export type FtpsOptions = {
	repo: string;
	work: string;
	/** The folder vsftpd serves (bench/data/sets). */
	sets: string;
	/** The plain server the other parts use. */
	plain: Server;
	/** `small`, as the other parts pull it. */
	target: Target;
	rounds: number;
	log: (line: string) => void;
};

type Leg = {protocol: 'FTP' | 'explicit FTPS'; tool: Tool; target: Target};
type FtpsSample = Sample & {protocol: Leg['protocol']};

const protocols = ['FTP', 'explicit FTPS'] as const;

export async function runLoopbackFtps(options: FtpsOptions): Promise<string> {
	const work = join(options.work, 'ftps');
	await mkdir(work, {recursive: true});
	const certificate = await writeCertificate(work);
	const server = await startServer({root: options.sets, prefer: 'vsftpd', tls: certificate, log: options.log});
	const samples: FtpsSample[] = [];
	try {
		const [plain] = await loadTools(['packrat'], {repo: options.repo, work: join(work, 'plain'), server: options.plain}, options.log);
		const tlsContext = {repo: options.repo, work: join(work, 'tls'), server, tls: {fingerprint: certificate.fingerprint, caFile: certificate.cert}};
		const [tls] = await loadTools(['packrat'], tlsContext, options.log);
		const tlsTarget = {...options.target, name: `${options.target.name}-ftps`, serverCpu: server.cpuMs};
		const legs: Leg[] = [
			{protocol: 'FTP', tool: plain!, target: options.target}, {protocol: 'FTP', tool: packratAuto(plain!), target: options.target},
			{protocol: 'explicit FTPS', tool: tls!, target: tlsTarget}, {protocol: 'explicit FTPS', tool: packratAuto(tls!), target: tlsTarget},
		];
		options.log(`loopback FTPS: ${server.describe}; ${options.rounds} round(s)`);
		for (let round = 1; round <= options.rounds; round++) {
			for (const leg of rotate(legs, round - 1)) {
				const dest = join(work, 'pulls', `${leg.target.name}-${leg.tool.name}-r${round}`);
				const sample = {...(await timedPull(leg.tool, leg.target, 'first', round, dest, work)), protocol: leg.protocol};
				samples.push(sample);
				options.log(`${sampleLine(sample)} (${leg.protocol})`);
			}
		}

		return render(samples, server.describe, options.rounds);
	} finally {
		await server.stop();
	}
}

const pick = (samples: FtpsSample[], protocol: string, tool: string, value: (sample: FtpsSample) => number | undefined) =>
	median(samples.filter(sample => sample.protocol === protocol && sample.tool === tool && sample.exitCode === 0).map(value).filter((figure): figure is number => figure !== undefined));

function render(samples: FtpsSample[], server: string, rounds: number): string {
	const lines = [
		'## Explicit FTPS on loopback (target: first pull ≤ 1.3× packrat\'s own plain FTP, peak RSS ≤ 100 MiB)',
		'',
		`- Server: ${server}, the plain one of the other parts for FTP; \`small\` pulled by packrat at 4 connections and under \`connections: auto\`, the certificate pinned; ${rounds} round(s), the order rotating, every pull into a fresh folder (\`sync\` before each) and checked byte for byte.`,
		'',
		`| measure (median of ${rounds}) | FTP | explicit FTPS | FTPS / FTP | target |`,
		'|---|---:|---:|---:|---|',
	];
	const verdicts: string[] = [];
	for (const tool of ['packrat', 'packrat-auto']) {
		const label = tool === 'packrat' ? '4 connections' : 'connections: auto';
		const [ftp, ftps] = protocols.map(protocol => pick(samples, protocol, tool, sample => sample.wallMs));
		const share = ftp && ftps ? ftps / ftp : undefined;
		lines.push(`| small: first pull, ${label} (s) | ${seconds(ftp)} | ${seconds(ftps)} | ${ratio(share)} | ≤ 1.3× |`);
		const [cpuFtp, cpuFtps] = protocols.map(protocol => pick(samples, protocol, tool, sample => sample.cpuMs));
		lines.push(`| CPU user+sys, ${label} (s) | ${seconds(cpuFtp)} | ${seconds(cpuFtps)} | ${ratio(cpuFtp && cpuFtps ? cpuFtps / cpuFtp : undefined)} | |`);
		const [serverFtp, serverFtps] = protocols.map(protocol => pick(samples, protocol, tool, sample => sample.serverCpuMs));
		lines.push(`| the server's CPU, ${label} (s) | ${seconds(serverFtp)} | ${seconds(serverFtps)} | | |`);
		verdicts.push(`| explicit FTPS first pull ≤ 1.3× packrat's FTP, ${label} | ${ratio(share)} | ≤ 1.3× | ${share === undefined ? 'not measured' : share <= 1.3 ? 'met' : '**MISSED**'} |`);
	}

	const rss = Math.max(...samples.map(sample => sample.rssKiB ?? 0));
	lines.push(`| peak RSS, highest of all pulls (MiB) | | ${mib(rss)} | | ≤ 100 MiB |`);
	verdicts.push(`| peak RSS of packrat over FTPS and FTP ≤ 100 MiB | ${mib(rss)} MiB | ≤ 100 MiB | ${rss / 1024 <= 100 ? 'met' : '**MISSED**'} |`);
	const checked = samples.filter(sample => sample.identical).length;
	verdicts.push(`| every pull byte-identical with exact mtimes | ${checked} of ${samples.length} | all | ${checked === samples.length ? 'met' : '**MISSED**'} |`);
	lines.push('', '| target | measured | limit | |', '|---|---:|---:|---|', ...verdicts, '');
	lines.push('| round | protocol | tool | wall (s) | CPU (s) | peak RSS (MiB) | exit | check |', '|---:|---|---|---:|---:|---:|---:|---|');
	for (const sample of samples) {
		lines.push(`| ${sample.round} | ${sample.protocol} | ${sample.tool} | ${seconds(sample.wallMs)} | ${seconds(sample.cpuMs)} | ${mib(sample.rssKiB)} | ${sample.exitCode} | ${sample.check} |`);
	}

	return lines.join('\n');
}
