/**
 * The files of the server, judged against the backup: what the plan would download is missing
 * or different (by size and time, told apart here without the server); what it would leave is
 * checked further on the connections (hash, sampled bytes); what it would skip is said so.
 */
import {randomInt} from 'node:crypto';
import {join} from 'node:path';
import type {SafeTree} from '../backup/local.js';
import type {PlannedFile} from '../backup/plan.js';
import type {Pool} from '../backup/pool.js';
import {drain} from '../backup/work-queue.js';
import {checkFile, versionDifference, type HashState} from './compare.js';
import type {VerifyRow} from './report.js';
import type {VerifyEvent} from './report.js';

export type CompareInput = {
	pool: Pool;
	tree: SafeTree;
	planned: readonly PlannedFile[];
	hash: HashState;
	samplePercent: number;
	emit: (event: VerifyEvent) => void;
	/** Rows are added here. */
	rows: VerifyRow[];
};

/** `count` of `items`, chosen at random. */
export function pickRandom<T>(items: readonly T[], count: number): Set<T> {
	const pool = [...items];
	for (let index = 0; index < Math.min(count, pool.length); index++) {
		const other = randomInt(index, pool.length);
		[pool[index], pool[other]] = [pool[other]!, pool[index]!];
	}

	return new Set(pool.slice(0, count));
}

/** How many of `total` files a percentage samples: at least one when the percentage is above 0. */
export function sampleCount(total: number, percent: number): number {
	return percent <= 0 ? 0 : Math.min(total, Math.ceil((total * percent) / 100));
}

export async function comparePlanned(input: CompareInput): Promise<{files: number; bytes: number}> {
	const {tree, rows} = input;
	const same: PlannedFile[] = [];
	for (const item of input.planned) {
		const path = item.file.parts.join('/');
		if (item.action === 'unchanged') {
			same.push(item);
			continue;
		}

		if (item.action === 'skip') {
			rows.push({path, checked: '', result: 'skipped', detail: item.reason ?? ''});
			continue;
		}

		const local = tree.existing(item.file.parts);
		if (local) rows.push({path, checked: 'size+mtime', result: 'different', detail: versionDifference(local, item.file)});
		else rows.push({path, checked: 'listing', result: 'missing', detail: 'on the server, not in the backup'});
	}

	const sampled = pickRandom(same, sampleCount(same.length, input.samplePercent));
	const sample = {files: 0, bytes: 0};
	let done = 0;
	let lastProgress = 0;
	const progress = () => {
		done++;
		if (Date.now() - lastProgress < 200 && done < same.length) return;
		lastProgress = Date.now();
		input.emit({type: 'progress', done, total: same.length});
	};

	// Without a hash or a sample the size and time are all there is to check: no request needed.
	const remote = same.filter(item => input.hash.method || sampled.has(item));
	const asked = new Set(remote);
	for (const item of same) {
		if (asked.has(item)) continue;
		rows.push({path: item.file.parts.join('/'), checked: 'size+mtime', result: 'ok', detail: ''});
		progress();
	}

	await drain(input.pool, [...remote].reverse(), async (item, slot) => {
		rows.push(await checkFile({
			pool: input.pool,
			slot,
			file: item.file,
			localPath: join(tree.root, ...item.file.parts),
			hash: input.hash,
			sample: sampled.has(item),
			onSampled(bytes) {
				sample.files++;
				sample.bytes += bytes;
			},
		}));
		progress();
	});

	return sample;
}
