/**
 * `npm run bench`: generates the data sets, serves them from vsftpd (else ftp-srv) on
 * 127.0.0.1, times packrat against lftp and rclone, checks every packrat pull, and writes
 * bench/RESULTS.md. See `node dist/bench/run.js --help`.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runChanges} from './changes.js';
import {runLoopbackFtps} from './ftps.js';
import {ensureSet} from './generate.js';
import {scaleName, setSpec} from './layout.js';
import {machine} from './machine.js';
import {peakRssMethod} from './measure.js';
import {readOptions, usage} from './options.js';
import {runProfile} from './profile.js';
import {render, type Report} from './results.js';
import {runRounds, type Target} from './rounds.js';
import {runScale} from './scale.js';
import {runSlowDisk} from './slowdisk.js';
import {startServer} from './servers.js';
import {loadTools, type ToolName} from './tools.js';
import {Source} from './verify.js';
import {runWan} from './wan.js';
import {renderWan, spliceWan} from './wan-results.js';
import {measureWindow} from './window.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = join(repo, 'bench', 'data');
const started = Date.now();
const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);

async function main(): Promise<number> {
	const options = readOptions(process.argv.slice(2));
	if (options.help) {
		process.stdout.write(usage);
		return 0;
	}

	process.umask(0o022);
	const {parts} = options;
	const names = [
		...(parts.has('small') || parts.has('profile') || parts.has('window') || parts.has('ftps') ? ['small'] : []),
		...(parts.has('large') || parts.has('slowdisk') ? ['large'] : []),
		...(parts.has('scale') ? options.scaleSizes.map(scaleName) : []),
		...(parts.has('wan') ? ['wan'] : []),
	];
	const sets = new Map<string, {root: string; files: number; bytes: number; line: string}>();
	for (const name of names) {
		const {root, manifest} = await ensureSet(dataDir, setSpec(name, options.seed), options.seed, log);
		const line = `${name}: ${manifest.files.toLocaleString('en')} files in ${manifest.folders.toLocaleString('en')} folders, ${(manifest.bytes / 1024 / 1024).toFixed(1)} MiB`;
		log(line);
		sets.set(name, {root, files: manifest.files, bytes: manifest.bytes, line});
	}

	const server = await startServer({root: join(dataDir, 'sets'), prefer: options.server, log});
	const work = await mkdtemp(join(tmpdir(), 'packrat-bench-'));
	log(`pulls and logs under ${work}`);
	const report: Report = {
		date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC', machine: machine(), server: server.describe,
		tools: [], rssMethod: peakRssMethod(), seed: options.seed, rounds: options.rounds,
		sets: [...sets.values()].map(set => set.line), samples: [], scale: [], sections: [],
		command: ['node dist/bench/run.js', ...process.argv.slice(2)].join(' '),
	};
	try {
		const context = {repo, work, server};
		const tools = await loadTools(options.tools, context, log);
		report.tools = tools.map(tool => tool.version);
		const target = async (name: string): Promise<Target & {files: number}> => ({
			name, remote: `/${name}`, source: await Source.load(sets.get(name)!.root), rerun: name !== 'large', files: sets.get(name)!.files, serverCpu: server.cpuMs,
			warmBytes: sets.get(name)!.bytes + 512 * 1024 * 1024,
		});

		const timed = [...(parts.has('small') ? ['small'] : []), ...(parts.has('large') ? ['large'] : [])];
		if (timed.length > 0) {
			const targets = await Promise.all(timed.map(target));
			report.samples = await runRounds({tools, targets, rounds: options.rounds, work, log, dropLarge: !options.keep});
		}

		if (parts.has('scale')) {
			const scaleTools = tools.filter(tool => options.scaleTools.includes(tool.name as ToolName));
			const targets = await Promise.all(options.scaleSizes.map(count => target(scaleName(count))));
			report.scale = await runScale(scaleTools, targets, work, log);
		}

		if (parts.has('slowdisk')) {
			report.sections.push(await runSlowDisk({tools, target: await target('large'), work, rounds: options.rounds, limitMBps: options.diskMBps, log}));
		}

		if (parts.has('changes')) report.sections.push(await runChanges({repo, tools, work, seed: options.seed, prefer: options.server, log}));
		if (parts.has('profile')) report.sections.push(await runProfile({repo, work, tools, server, sets: join(dataDir, 'sets'), prefer: options.server, log}, options.rounds));
		if (parts.has('window')) {
			const packrat = tools.find(tool => tool.name === 'packrat')!;
			report.sections.push(await measureWindow(repo, work, packrat, await target('small'), options.rounds, log));
		}

		if (parts.has('ftps')) {
			if (server.kind === 'vsftpd') report.sections.push(await runLoopbackFtps({repo, work, sets: join(dataDir, 'sets'), plain: server, target: await target('small'), rounds: options.rounds, log}));
			else report.sections.push('## Explicit FTPS on loopback\n\nLeft out: it needs vsftpd, and the benchmark runs on ftp-srv.');
		}

		if (parts.has('wan')) {
			const set = sets.get('wan')!;
			report.wan = await runWan({
				repo, work, server, sets: join(dataDir, 'sets'), source: await Source.load(set.root), set, tools: options.tools,
				protocols: options.protocols, rounds: options.rounds, rttMs: options.rttMs, mbit: options.mbit, log,
			});
		}
	} finally {
		await server.stop();
		if (!options.keep) {
			log(`removing ${work} …`);
			await rm(work, {recursive: true, force: true});
		}
	}

	const wanOnly = parts.size === 1 && report.wan !== undefined;
	const markdown = wanOnly ? renderWan(report.wan!, report.command, report.date) : render(report);
	process.stdout.write(`\n${markdown}`);
	if (options.write) {
		const file = join(repo, 'bench', 'RESULTS.md');
		// The WAN part alone replaces its own section and leaves the others as they were.
		await writeFile(file, wanOnly ? spliceWan(await readFile(file, 'utf8').catch(() => '# packrat benchmark results\n'), markdown) : markdown);
		log(`wrote ${wanOnly ? 'the WAN section of ' : ''}bench/RESULTS.md`);
	}

	return 0;
}

main().then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`bench: ${(error as Error)?.stack ?? String(error)}\n`);
		process.exitCode = 1;
	},
);
