/**
 * Finishing: the export of everything on the server at this run, written atomically into the
 * backup folder (in a Full run, inside the snapshot).
 */
import {join} from 'node:path';
import {exportName, writeExport, type ExportRow} from './export.js';
import type {ScanResult} from './listing.js';
import type {SafeTree} from './local.js';
import type {PlannedFile} from './plan.js';
import type {RunContext} from './run.js';
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

	const rows: ExportRow[] = [
		...input.planned.map(item => row(item.file.parts, item.file.path, item.file.size, item.file.mtime, item.status ?? 'failed', item.status === 'skipped' || item.status === 'failed' ? '' : local(item.file.parts))),
		...input.found.skipped.map(entry => row(entry.refused ? [] : entry.parts, entry.path, entry.size, entry.mtime, entry.status, '')),
	].sort((a, b) => (a.remotePath < b.remotePath ? -1 : a.remotePath > b.remotePath ? 1 : 0));

	const exportPath = join(input.tree.root, exportName);
	await writeExport(exportPath, rows);
	context.logs.transfer('INFO', 'export', exportPath, {bytes: rows.length});
	return {exportPath};
}
