/**
 * The plan: for every file found, what this run does with it — download it, leave it (its
 * version is already there), hard-link it from the newest snapshot, or skip it — and where it
 * goes. Pure decisions on what the scan and the local folder say; no transfer happens here.
 */
import type {Stats} from 'node:fs';
import type {FileStatus, RunEvent} from './events.js';
import type {RemoteFile, ScanResult} from './listing.js';
import {latestOfProjects, versionMatcher} from './versions.js';

export type Action = 'download' | 'unchanged' | 'link' | 'skip';

export type PlannedFile = {file: RemoteFile; action: Action; reason?: string; status?: FileStatus};

/** Same version: same size, same modification time to the second. */
export function sameVersion(stat: Pick<Stats, 'size' | 'mtimeMs'> | undefined, file: RemoteFile): boolean {
	return stat !== undefined && stat.size === file.size && Math.floor(stat.mtimeMs / 1000) === file.mtime;
}

export type PlanInput = {
	/** The files to plan: the whole scan's, or one folder's as the scan finds them (Latest only chooses within a folder). */
	scan: Pick<ScanResult, 'files'>;
	latestOnly: boolean;
	versionPattern?: string;
	/** The local copy at the file's place in the target, if any (a regular file). */
	local: (file: RemoteFile) => Promise<Stats | undefined>;
	/** The copy in the newest complete snapshot, when linkUnchanged applies. */
	previous?: (file: RemoteFile) => Promise<Stats | undefined>;
};

/** The `plan` event: what the run is about to do. */
export function planEvent(planned: readonly PlannedFile[], scan: ScanResult): Extract<RunEvent, {type: 'plan'}> {
	const count = (action: Action) => planned.filter(item => item.action === action).length;
	const downloads = planned.filter(item => item.action === 'download');
	return {
		type: 'plan',
		files: planned.length,
		bytes: planned.reduce((sum, item) => sum + item.file.size, 0),
		toDownload: downloads.length,
		bytesToDownload: downloads.reduce((sum, item) => sum + item.file.size, 0),
		unchanged: count('unchanged') + count('link'),
		skipped: count('skip') + scan.skipped.filter(entry => entry.status === 'skipped').length,
	};
}

export async function plan(input: PlanInput): Promise<PlannedFile[]> {
	const match = versionMatcher(input.versionPattern);
	const latest = input.latestOnly
		? latestOfProjects(
				input.scan.files.map(file => ({file, directory: file.parts.slice(0, -1).join('/'), name: file.parts.at(-1)!, mtime: file.mtime})),
				match,
			)
		: undefined;
	const isLatest = new Set([...(latest ?? [])].map(entry => entry.file));

	/** What to do with a file whose local copy is not the same version. */
	const decide = async (file: RemoteFile): Promise<PlannedFile> => {
		if (latest && !isLatest.has(file)) return {file, action: 'skip', reason: 'not the latest version of its project'};
		if (input.previous && sameVersion(await input.previous(file), file)) return {file, action: 'link'};
		return {file, action: 'download'};
	};

	// Local look-ups in batches: the disk answers several at once, and memory stays flat. A batch
	// found unchanged (every batch of a rerun) is planned without a promise for each file.
	const planned: PlannedFile[] = [];
	const {files} = input.scan;
	for (let start = 0; start < files.length; start += 64) {
		const batch = files.slice(start, start + 64);
		const locals = await Promise.all(batch.map(input.local));
		const same = batch.map((file, index) => sameVersion(locals[index], file));
		if (same.every(Boolean)) {
			for (const file of batch) planned.push({file, action: 'unchanged'});
		} else {
			planned.push(...(await Promise.all(batch.map(async (file, index): Promise<PlannedFile> => (same[index] ? {file, action: 'unchanged'} : decide(file))))));
		}
	}

	return planned;
}
