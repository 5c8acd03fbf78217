/**
 * Finishing: the export of everything on the server at this run, written atomically into the
 * backup folder (in a Full run, inside the snapshot).
 */
import {join} from 'node:path';
import {exportName, writeExport, type ExportRow} from './export.js';
import type {ScanResult} from './listing.js';
import type {SafeTree} from './local.js';
import type {PlannedFile} from './plan.js';
import type {RunContext} from './job.js';
import {versionMatcher} from './versions.js';

type FinishInput = {found: ScanResult; planned: PlannedFile[]; tree: SafeTree; snapshot?: string; started: Date};

export async function finish(context: RunContext, input: FinishInput): Promise<{exportPath: string}> {
	const match = versionMatcher(context.job.versionPattern);
	const local = (parts: readonly string[]) => [...(input.snapshot ? [input.snapshot] : []), ...parts].join('/');
	const row = (parts: readonly string[], remotePath: string, size: number, mtime: number | undefined, status: ExportRow['status'], localPath: string): ExportRow => {
		const name = parts.at(-1) ?? '';
		const {project, marker} = match(name);
		return {user: parts.length > 1 ? parts[0]! : '', project, version: marker, remotePath, size, mtime, status, localPath};
	};

	// Sorted by remote path, then formatted one row at a time as the file is written.
	type Entry = {path: string; planned?: PlannedFile; skipped?: ScanResult['skipped'][number]};
	const entries: Entry[] = [
		...input.planned.map(item => ({path: item.file.path, planned: item})),
		...input.found.skipped.map(entry => ({path: entry.path, skipped: entry})),
	].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	function * rows(): Generator<ExportRow> {
		for (const {planned: item, skipped: entry} of entries) {
			if (item) {
				const status = item.status ?? 'failed';
				yield row(item.file.parts, item.file.path, item.file.size, item.file.mtime, status, status === 'skipped' || status === 'failed' ? '' : local(item.file.parts));
			} else if (entry) {
				yield row(entry.refused ? [] : entry.parts, entry.path, entry.size, entry.mtime, entry.status, '');
			}
		}
	}

	const exportPath = join(input.tree.root, exportName);
	const count = await writeExport(exportPath, rows());
	context.logs.transfer('INFO', 'export', exportPath, {bytes: count});
	return {exportPath};
}
