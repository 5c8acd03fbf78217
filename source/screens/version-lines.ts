/**
 * What the Versions screen draws: the entries of a folder of the backup (its folders, its files
 * with how many versions each has), a file's versions (number, time, size, where), a folder's
 * times to restore to, and what a restore did (where it went, names already taken, failures).
 */
import {dirname, relative} from 'node:path';
import {escapeControl} from '../backup/names.js';
import {bytes} from '../format.js';
import type {Piece} from '../components/line.js';
import {mark} from '../components/line.js';
import type {Theme} from '../components/theme.js';
import type {Browsed, BrowsedFile} from '../restore/browse.js';
import type {FileVersion, FolderTime} from '../restore/catalog.js';
import type {RestoreResult} from '../restore/restore.js';
import {localTime} from '../restore/times.js';

/** The path as it is on the server: the root, then the parts below it. */
export function onServer(root: string, parts: readonly string[]): string {
	const base = root === '/' ? '' : root.replace(/\/+$/, '');
	return `${base}/${parts.join('/')}`;
}

export type Entry = {kind: 'restore'} | {kind: 'parent'} | {kind: 'folder'; name: string} | {kind: 'file'; file: BrowsedFile};

/** The list's entries: restore this folder, its parent (below the root), its folders, its files. */
export function entriesOf(listing: Browsed | undefined, parts: readonly string[]): Entry[] {
	return [
		{kind: 'restore'},
		...(parts.length > 0 ? [{kind: 'parent'} as const] : []),
		...(listing?.folders ?? []).map(name => ({kind: 'folder', name}) as const),
		...(listing?.files ?? []).map(file => ({kind: 'file', file}) as const),
	];
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function entryLine(entry: Entry, theme: Theme, parts: readonly string[]): Piece[] {
	const g = theme.glyph;
	if (entry.kind === 'restore') return [mark(g.retry, parts.length > 0 ? 'Restore this folder as of a time' : 'Restore the whole backup as of a time', 'accent', false)];
	if (entry.kind === 'parent') return [`${g.folder} ..`, {text: ' (parent folder)', tone: 'muted'}];
	if (entry.kind === 'folder') return [`${g.folder} ${escapeControl(entry.name)}/`];
	const newest = entry.file.versions[0];
	return [`  ${escapeControl(entry.file.name)}`, {text: `  ${plural(entry.file.versions.length, 'version')}${newest ? `, newest ${localTime(newest.mtime)}` : ''}`, tone: 'muted'}];
}

/** Where a version lies, in words; the path itself is on the status line. */
export function placeOf(version: FileVersion): string {
	const where = version.place === 'current' ? 'current copy' : version.place === 'kept' ? 'kept copy' : `snapshot ${version.snapshot ?? ''}`;
	const also = version.also.length > 0 ? ` (+${plural(version.also.length, 'more place')})` : '';
	return `${where}${also}${version.shared ? ' (a cut name another file may own)' : ''}`;
}

export const versionHeader = `${'#'.padStart(3)}  ${'Modified'.padEnd(19)}  ${'Size'.padStart(9)}  Where`;

export function versionRow(version: FileVersion): Piece[] {
	return [`${String(version.number).padStart(3)}  ${localTime(version.mtime)}  ${bytes(version.size).padStart(9)}  `, {text: placeOf(version), tone: 'muted'}];
}

export const timeHeader = `${'#'.padStart(3)}  ${'As of'.padEnd(19)}  ${'Files'.padStart(6)}  ${'Size'.padStart(9)}`;

export function timeRow(time: FolderTime): Piece[] {
	return [`${String(time.number).padStart(3)}  ${localTime(time.mtime)}  ${String(time.files).padStart(6)}  ${bytes(time.bytes).padStart(9)}`];
}

/** What a restore did, most important first: what went where, then names already taken, failures, and what was skipped. */
export function resultLines(result: RestoreResult, shown: string, theme: Theme): Piece[][] {
	const g = theme.glyph;
	const count = result.restored.length;
	const total = result.restored.reduce((sum, item) => sum + item.size, 0);
	const what = result.kind === 'file'
		? `Restored ${escapeControl(shown)}${result.version === undefined ? '' : `, version ${result.version}`}${result.asOf === undefined ? '' : ` of ${localTime(result.asOf)}`}`
		: `Restored ${plural(count, 'file')} of ${escapeControl(shown)}${result.asOf === undefined ? '' : ` as it stood at ${localTime(result.asOf)}`}`;
	const done = result.failed.length === 0 && (count > 0 || result.kind === 'folder');
	const lines: Piece[][] = [[done ? mark(g.ok, what, 'ok') : mark(g.bad, result.kind === 'file' ? `Not restored: ${escapeControl(shown)}` : `${what}; ${result.failed.length} not restored`, 'bad')]];
	if (count > 0 || result.kind === 'folder') lines.push([{text: `   to ${escapeControl(result.top)}`, bold: true}, {text: ` (${bytes(total)})`, tone: 'muted'}]);
	// Named from the folder the restore went to, which the line above shows.
	const near = (path: string) => escapeControl(relative(dirname(result.top), path));
	for (const item of result.restored) {
		if (item.taken) lines.push([mark(g.warn, `${near(item.taken)} was already there: restored as ${near(item.to)}`, 'warn', false)]);
	}

	for (const item of result.failed) lines.push([mark(g.bad, `not restored: ${escapeControl(item.path)}: ${escapeControl(item.reason)}`, 'bad', false)]);
	for (const item of result.skipped) lines.push([mark(g.warn, `skipped ${escapeControl(item.where)}: ${item.reason}`, 'warn', false)]);
	return lines;
}
