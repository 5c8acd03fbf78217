/**
 * Scale: first pull and no-change rerun of 10k, 50k and 100k tiny files, each into a fresh
 * folder, to see that time grows linearly and memory stays bounded.
 */
import {join} from 'node:path';
import {sampleLine, timedPull, type Sample, type Target} from './rounds.js';
import type {Tool} from './tools.js';

export type ScaleSample = Sample & {files: number};

export async function runScale(tools: Tool[], targets: Array<Target & {files: number}>, work: string, log: (line: string) => void): Promise<ScaleSample[]> {
	const samples: ScaleSample[] = [];
	for (const target of targets) {
		for (const tool of tools) {
			const dest = join(work, 'pulls', target.name, tool.name);
			for (const kind of ['first', 'rerun'] as const) {
				const sample = {...(await timedPull(tool, target, kind, 1, dest, work)), files: target.files};
				samples.push(sample);
				log(sampleLine(sample));
			}
		}
	}

	return samples;
}
