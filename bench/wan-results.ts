/** The WAN section of bench/RESULTS.md: times against the peers and the floors, targets, what crossed the link, every run. */
import type {Kind} from './rounds.js';
import {median, mib, ratio, seconds} from './stats.js';
import type {Protocol, WanResult, WanSample} from './wan.js';

const labels: Record<Protocol, string> = {ftp: 'FTP', ftps: 'explicit FTPS'};
const kinds: Array<{kind: Kind; label: string; limit: number}> = [{kind: 'first', label: 'first pull', limit: 0.6}, {kind: 'rerun', label: 'no-change rerun', limit: 0.25}];
const good = (sample: WanSample) => sample.exitCode === 0 && sample.identical;

type Cell = {text: string; value?: number};

/** The median of `pick` over the tool's runs; a tool with a failed run has no value, only what failed. */
function cell(runs: WanSample[], pick: (sample: WanSample) => number | undefined, format: (value: number) => string): Cell {
	if (runs.length === 0) return {text: '–'};
	const values = runs.filter(good).map(pick).filter((value): value is number => value !== undefined);
	const failed = runs.filter(sample => !good(sample)).length;
	const value = median(values);
	if (failed === 0) return {text: value === undefined ? '–' : format(value), value};
	const what = runs.every(sample => sample.exitCode !== 0) ? `exit ${runs[0]!.exitCode}` : 'not identical or exit ≠ 0';
	return {text: `failed ${failed} of ${runs.length} (${what})${value === undefined ? '' : `; ok: ${format(value)}`}`};
}

const roundTrips = (result: WanResult) => (sample: WanSample) => (sample.wallMs * 4) / result.rttMs / result.files;

function mainTable(result: WanResult, tools: string[], protocols: Protocol[], verdicts: string[]): string[] {
	const peers = tools.filter(tool => !tool.startsWith('packrat'));
	const ofPeers = <T>(all: T[]) => all.filter((_, index) => peers.includes(tools[index]!));
	const runs = (protocol: Protocol, kind: Kind, tool: string) => result.samples.filter(sample => sample.protocol === protocol && sample.kind === kind && sample.tool === tool);
	const lines = [
		`| measure (median of ${result.rounds}) | ${tools.join(' | ')} | ${peers.map(peer => `packrat / ${peer}`).join(' | ')} | packrat / faster peer | target |`,
		`|---|${[...tools, ...peers].map(() => '---:').join('|')}|---:|---|`,
	];
	const plainFirst = cell(runs('ftp', 'first', 'packrat'), sample => sample.wallMs, seconds).value;
	for (const protocol of protocols) {
		for (const {kind, label, limit} of kinds) {
			const cells = tools.map(tool => cell(runs(protocol, kind, tool), sample => sample.wallMs, seconds));
			const packrat = cells[0]!.value;
			const peerValues = ofPeers(cells).map(peer => peer.value).filter((value): value is number => value !== undefined);
			const faster = peerValues.length > 0 ? Math.min(...peerValues) : undefined;
			const toFaster = packrat !== undefined && faster !== undefined ? packrat / faster : undefined;
			const perPeer = ofPeers(cells).map(peer => (packrat !== undefined && peer.value !== undefined ? ratio(packrat / peer.value) : '–'));
			const auto = cells[tools.indexOf('packrat-auto')]?.value;
			if (protocol === 'ftp' && kind === 'first' && tools.includes('packrat-auto')) {
				const toFasterAuto = auto !== undefined && faster !== undefined ? auto / faster : undefined;
				verdicts.push(verdict('FTP first pull with connections: auto ≤ 0.35× the faster peer (at its 4 connections)', ratio(toFasterAuto), '≤ 0.35×', toFasterAuto === undefined ? undefined : toFasterAuto <= 0.35));
			}

			const target = protocol === 'ftp' ? `≤ ${limit}×` : kind === 'first' ? "≤ 1.3× packrat's FTP first pull" : '';
			lines.push(`| ${labels[protocol]}: ${label} (s) | ${[...cells.map(one => one.text), ...perPeer].join(' | ')} | ${ratio(toFaster)} | ${target} |`);
			if (protocol === 'ftp') verdicts.push(verdict(`FTP ${label} ≤ ${limit}× the faster peer`, ratio(toFaster), `≤ ${limit}×`, toFaster === undefined ? undefined : toFaster <= limit));
			if (protocol === 'ftps' && kind === 'first') {
				const own = packrat !== undefined && plainFirst !== undefined ? packrat / plainFirst : undefined;
				verdicts.push(verdict("explicit FTPS first pull ≤ 1.3× packrat's own FTP first pull", ratio(own), '≤ 1.3×', own === undefined ? undefined : own <= 1.3));
			}
		}
	}

	for (const protocol of protocols) {
		for (const {kind, label} of kinds) {
			lines.push(`| ${labels[protocol]}: ${label}: peak RSS (MiB) | ${[...tools.map(tool => cell(runs(protocol, kind, tool), sample => sample.rssKiB, kib => mib(kib)).text), ...peers.map(() => '')].join(' | ')} | | |`);
		}
	}

	for (const protocol of protocols) {
		lines.push(`| ${labels[protocol]}: first pull: CPU user+sys (s) | ${[...tools.map(tool => cell(runs(protocol, 'first', tool), sample => sample.cpuMs, seconds).text), ...peers.map(() => '')].join(' | ')} | | |`);
		lines.push(`| ${labels[protocol]}: first pull: round trips a file (wall × 4 connections / RTT / files) | ${[...tools.map(tool => cell(runs(protocol, 'first', tool), roundTrips(result), value => value.toFixed(2)).text), ...peers.map(() => '')].join(' | ')} | | |`);
	}

	return lines;
}

const verdict = (label: string, value: string, limit: string, met: boolean | undefined) => `| ${label} | ${value} | ${limit} | ${met === undefined ? 'not measured' : met ? 'met' : '**MISSED**'} |`;

/** What the proxy saw, averaged over the rounds that went well. */
function linkTable(result: WanResult, tools: string[], protocols: Protocol[]): string[] {
	const lines = [
		'| protocol | tool | run | control connections | data connections | control turns a file | data-connection turns a file | FTP commands a file | MB down | MB up | proxy timers late, mean / max (ms) |',
		'|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
	for (const protocol of protocols) {
		for (const tool of tools) {
			for (const {kind, label} of kinds) {
				const runs = result.samples.filter(sample => sample.protocol === protocol && sample.tool === tool && sample.kind === kind && good(sample));
				if (runs.length === 0) continue;
				const of = (pick: (sample: WanSample) => number) => mean(runs.map(pick));
				const commands = protocol === 'ftp' ? (of(sample => Object.values(sample.link.commands).reduce((sum, count) => sum + count, 0)) / result.files).toFixed(2) : 'unseen (TLS)';
				lines.push(`| ${labels[protocol]} | ${tool} | ${label} | ${of(s => s.link.connections.control).toFixed(0)} | ${of(s => s.link.connections.data).toFixed(0)} | ${(of(s => s.link.turns.control) / result.files).toFixed(2)} | ${(of(s => s.link.turns.data) / result.files).toFixed(2)} | ${commands} | ${(of(s => s.link.bytesDown) / 1e6).toFixed(1)} | ${(of(s => s.link.bytesUp) / 1e6).toFixed(2)} | ${of(s => s.link.lateMs.sum / Math.max(1, s.link.lateMs.count)).toFixed(2)} / ${Math.max(...runs.map(s => s.link.lateMs.max)).toFixed(0)} |`);
			}
		}
	}

	return lines;
}

function everyRun(result: WanResult): string[] {
	const lines = [
		'| round | protocol | run | tool | wall (s) | peak RSS (MiB) | CPU (s) | machine busy before / during | exit | check | packrat summary or failure |',
		'|---:|---|---|---|---:|---:|---:|---:|---:|---|---|',
	];
	const percent = (value?: number) => (value === undefined ? '?' : `${(value * 100).toFixed(0)}%`);
	for (const sample of result.samples) {
		const note = (sample.reason ?? sample.summary ?? '').replace(/\|/g, '\\|');
		lines.push(`| ${sample.round} | ${labels[sample.protocol]} | ${sample.kind} | ${sample.tool} | ${seconds(sample.wallMs)} | ${mib(sample.rssKiB)} | ${seconds(sample.cpuMs)} | ${percent(sample.busyBefore)} / ${percent(sample.busyDuring)} | ${sample.exitCode} | ${sample.check.replace(/\|/g, '\\|')} | ${note} |`);
	}

	return lines;
}

export function renderWan(result: WanResult, command: string, date: string): string {
	// packrat first, packrat-auto next, then the peers.
	const rank = (tool: string) => (tool === 'packrat' ? 0 : tool.startsWith('packrat') ? 1 : 2);
	const tools = [...new Set(result.samples.map(sample => sample.tool))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
	const protocols = (['ftp', 'ftps'] as const).filter(protocol => result.samples.some(sample => sample.protocol === protocol));
	const verdicts: string[] = [];
	const main = mainTable(result, tools, protocols, verdicts);
	const packratRuns = result.samples.filter(sample => sample.tool.startsWith('packrat'));
	const rss = Math.max(0, ...packratRuns.map(sample => sample.rssKiB ?? 0));
	verdicts.push(verdict('peak RSS of packrat ≤ 100 MiB (highest of its WAN runs)', `${mib(rss)} MiB`, '≤ 100 MiB', packratRuns.length === 0 ? undefined : rss <= 100 * 1024));
	const finished = result.samples.filter(sample => sample.exitCode === 0);
	const failed = result.samples.length - finished.length;
	const identical = finished.filter(sample => sample.identical).length;
	verdicts.push(verdict(
		'every WAN pull that finished (exit 0) byte-identical with exact mtimes, every file hashed',
		`${identical} of ${finished.length}${failed > 0 ? ` (${failed} failed runs, above)` : ''}`, 'all', identical === finished.length,
	));
	const bandwidthFloor = (result.bytes * 8) / (result.mbit * 1e6);
	const tripFloor = (result.files * 2 * result.rttMs) / 1000 / 4;
	const toFloor = protocols.map(protocol => {
		const first = cell(result.samples.filter(sample => sample.protocol === protocol && sample.kind === 'first' && sample.tool === 'packrat'), sample => sample.wallMs, seconds).value;
		return first === undefined ? undefined : `${labels[protocol]} ${ratio(first / 1000 / tripFloor)}`;
	}).filter(Boolean).join(', ');
	return [
		`## WAN: ${result.rttMs} ms RTT, ${result.mbit} Mbit/s downlink (emulated)`,
		'',
		`- Date: ${date}; command: \`${command}\``,
		...result.notes.map(note => `- ${note}`),
		`- Link: the tools reach the server through a proxy in the benchmark's process (bench/wan-proxy.ts; this kernel has no netem). Every chunk is delivered ${result.rttMs / 2} ms after it reached the proxy, in order; server-to-client chunks first wait in one queue shared by all connections, drained at ${result.mbit} Mbit/s; a new connection reaches the server ${(result.rttMs * 1.5).toFixed(0)} ms after the client's connect (SYN, SYN-ACK, ACK), so no first byte arrives sooner than over a real link. Plain FTP: the proxy rewrites the 227/229 replies to ports of its own. Explicit FTPS (it cannot read those): vsftpd announces 127.0.0.2, where the proxy listens on vsftpd's passive ports and relays each to the same port on 127.0.0.1; TLS passes through untouched.`,
		`- Method: ${result.rounds} round(s); in each, every tool (in an order that rotates) pulls the set into a fresh folder and then reruns it unchanged, over FTP, then the same over explicit FTPS; 4 connections each (packrat \`--connections 4\`, and packrat-auto: packrat with \`--connections auto\`, which starts at 4; lftp \`mirror --parallel=4\`, rclone \`copy --transfers 4 --checkers 4\`); FTPS: packrat pins the certificate's fingerprint, lftp and rclone trust it as their only authority, host name checked (lftp \`ssl:ca-file\`, rclone \`SSL_CERT_FILE\`). Every pull is checked: the same files, sizes and mtimes to the second, every file's bytes hashed.`,
		`- Floors: bandwidth ${bandwidthFloor.toFixed(2)} s (${(result.bytes / 1e6).toFixed(1)} MB at ${result.mbit} Mbit/s); round trips ${tripFloor.toFixed(2)} s (${result.files.toLocaleString('en')} files × 2 RTT / 4 connections: a passive reply, then the data connection and its first bytes). packrat's first pull against the round-trip floor: ${toFloor || '–'}.`,
		'',
		...main,
		'',
		'| target | measured | limit | |',
		'|---|---:|---:|---|',
		...verdicts,
		'',
		`What the proxy saw (mean of the rounds that went well). A turn is the client speaking after it heard from the server; for plain FTP a control connection also hears what reaches the client on its data connections. Over FTPS the proxy cannot tell which control connection a data connection serves, so control turns count what the control connection heard only, and the data connections' turns are their TLS handshakes. Timer lateness adds to the emulated delay on a busy machine.`,
		'',
		...linkTable(result, tools, protocols),
		'',
		'### Every WAN run',
		'',
		...everyRun(result),
		'',
	].join('\n');
}

/** `markdown` (a whole RESULTS.md) with its WAN section replaced by `section`, or `section` added before "Every run". */
export function spliceWan(markdown: string, section: string): string {
	const lines = markdown.split('\n');
	const start = lines.findIndex(line => line.startsWith('## WAN'));
	const next = (from: number) => {
		const index = lines.findIndex((line, at) => at > from && line.startsWith('## '));
		return index === -1 ? lines.length : index;
	};

	const body = section.replace(/\n+$/, '').split('\n').concat('');
	if (start !== -1) lines.splice(start, next(start) - start, ...body);
	else {
		const every = lines.findIndex(line => line.startsWith('## Every run'));
		lines.splice(every === -1 ? lines.length : every, 0, ...body);
	}

	return lines.join('\n');
}
