/**
 * `packrat-export.tsv`: one row per file on the server at this run, with a header, tabs and
 * newlines inside a field escaped, written atomically at the end of the run.
 */
import writeFileAtomic from 'write-file-atomic';
import type {FileStatus} from './events.js';

export const exportName = 'packrat-export.tsv';

export const exportColumns = ['user', 'project', 'version', 'remote path', 'size', 'modified', 'status', 'local path'] as const;

export type ExportRow = {
	user: string;
	project: string;
	version: string;
	remotePath: string;
	size: number;
	/** Seconds since the epoch, or undefined when the server gave none. */
	mtime?: number;
	status: FileStatus;
	localPath: string;
};

/** Backslash, tab, newline and carriage return as `\\`, `\t`, `\n`, `\r`. */
export function escapeField(value: string): string {
	return value.replace(/[\\\t\n\r]/g, char => ({'\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r'})[char]!);
}

export function formatRow(row: ExportRow): string {
	const modified = row.mtime === undefined ? '' : new Date(row.mtime * 1000).toISOString().replace('.000Z', 'Z');
	return [row.user, row.project, row.version, row.remotePath, String(row.size), modified, row.status, row.localPath].map(escapeField).join('\t');
}

export async function writeExport(path: string, rows: readonly ExportRow[]): Promise<void> {
	const lines = [exportColumns.join('\t'), ...rows.map(formatRow)];
	await writeFileAtomic(path, `${lines.join('\n')}\n`, {mode: 0o644});
}
