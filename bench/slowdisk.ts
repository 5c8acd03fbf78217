/**
 * The slowdisk part (`--set slowdisk`): every tool pulls `large` onto a disk slower than the
 * network (bench/slow-device.ts), in rotating order; wall, CPU and peak RSS, and packrat's pulls
 * checked byte for byte. What it shows: that packrat's memory stays bounded while the disk sets
 * the pace, and that no transfer is failed for being slow when it is packrat that holds the
 * socket for the disk. Skipped with a line when the machine cannot make the device.
 */
import {rm} from 'node:fs/promises';
import {join} from 'node:path';
import {stallCheck, type StallResult} from './disk-stall.js';
import {sampleLine, timedPull, type Sample, type Target} from './rounds.js';
import {cannotSlow, makeSlowDevice} from './slow-device.js';
import {median, mib, seconds, rotate} from './stats.js';
import type {Tool} from './tools.js';

export type SlowDiskOptions = {tools: Tool[]; target: Target; work: string; rounds: number; limitMBps: number; log: (line: string) => void};

/** Run the part; its Markdown section (a one-line reason when skipped). */
export async function runSlowDisk(options: SlowDiskOptions): Promise<string> {
	const {tools, target, work, rounds, limitMBps, log} = options;
	const heading = '## A slow backup disk (`--set slowdisk`)';
	const reason = cannotSlow();
	if (reason) {
		log(`slowdisk: skipped: ${reason}`);
		return `${heading}\n\nSkipped: ${reason}.\n`;
	}

	const device = await makeSlowDevice(work, limitMBps);
	log(`slowdisk: ${device.describe}`);
	const samples: Sample[] = [];
	let stall: StallResult | undefined;
	try {
		for (let round = 1; round <= rounds; round++) {
			for (const tool of rotate(tools, round - 1)) {
				const dest = join(device.mount, `${tool.name}-r${round}`);
				const sample = await timedPull(tool, {...target, name: `${target.name}-slowdisk`}, 'first', round, dest, work);
				samples.push(sample);
				log(sampleLine(sample));
				await rm(dest, {recursive: true, force: true});
			}
		}

		const packrat = tools.find(tool => tool.name === 'packrat');
		if (packrat) {
			stall = await stallCheck(packrat, target, device, work);
			log(`  stall: packrat ${seconds(stall.wallMs)} s, exit ${stall.exitCode}, ${stall.givenUp.length} transfer(s) given up for the stall — ${stall.check} — ${stall.summary ?? 'no summary'}`);
		}
	} finally {
		await device.remove();
	}

	const bytes = target.source.tree.size;
	const lines = [
		heading, '',
		`Every tool pulls \`${target.name}\` (${bytes} files) onto ${device.describe}. The network (loopback) is several times faster, so the disk sets the pace. Median of ${rounds}; the rate a pull can reach is ${limitMBps} MB/s; packrat's pulls checked byte for byte.`, '',
		'| tool | wall (s) | CPU user+sys (s) | of it sys (s) | peak RSS (MiB) | exit codes | checks |',
		'|---|---:|---:|---:|---:|---|---|',
	];
	for (const tool of tools) {
		const runs = samples.filter(sample => sample.tool === tool.name);
		const pick = (value: (sample: Sample) => number | undefined) => median(runs.map(value).filter((item): item is number => item !== undefined));
		const checks = [...new Set(runs.map(sample => (sample.identical || !tool.name.startsWith('packrat') ? sample.check : `**${sample.check}**`)))].join('; ');
		lines.push(`| ${tool.name} | ${seconds(pick(sample => sample.wallMs))} | ${seconds(pick(sample => sample.cpuMs))} | ${seconds(pick(sample => sample.sysMs))} | ${mib(pick(sample => sample.rssKiB))} | ${runs.map(sample => sample.exitCode).join(', ')} | ${checks} |`);
	}

	const summaries = samples.filter(sample => sample.summary).map(sample => `r${sample.round}: ${sample.summary}`);
	if (summaries.length > 0) lines.push('', `packrat: ${summaries.join('; ')}.`);
	if (stall) {
		lines.push('', `The disk stopping: packrat pulls \`${target.name}\` with \`timeoutSeconds\` ${stall.timeoutSeconds}; from its 3rd second the disk takes 4 KB/s for ${stall.stallSeconds} s, then its rate again. packrat holds its sockets while the disk is behind, so no transfer may be given up meanwhile.`, '');
		lines.push('| wall (s) | peak RSS (MiB) | exit | transfers given up during the stall | check | summary |', '|---:|---:|---:|---|---|---|');
		const givenUp = stall.givenUp.length === 0 ? 'none' : `**${stall.givenUp.length}**: ${stall.givenUp.slice(0, 2).join('; ')}`;
		lines.push(`| ${seconds(stall.wallMs)} | ${mib(stall.rssKiB)} | ${stall.exitCode} | ${givenUp.replace(/\|/g, '\\|')} | ${stall.check} | ${stall.summary ?? ''} |`);
	}

	return `${lines.join('\n')}\n`;
}
