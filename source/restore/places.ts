/**
 * The places of a backup folder that hold copies of the server's files: the mirror
 * (`<backup>/<user>/<path>`, incremental runs) and each complete Full snapshot
 * (`<backup>/<YYYY-MM-DD HHmmss>/<user>/<path>`). Everything is looked at with lstat: a symlink
 * found on the way is never followed, only reported.
 */
import type {Dirent, Stats} from 'node:fs';
import {lstat, readdir} from 'node:fs/promises';
import {join} from 'node:path';

/** A Full snapshot's name: exactly a local stamp, `2026-11-20 030000`. */
export const snapshotName = /^\d{4}-\d{2}-\d{2} \d{6}$/;

/**
 * packrat's own names at the top of the backup folder (and of a snapshot), never versions of a
 * server file: `.packrat`, `packrat-*.log` (rotated ones too), `packrat-export.tsv`,
 * `packrat-verify.tsv`.
 */
export function isOwnName(name: string): boolean {
	return name === '.packrat' || /^packrat-.*\.log(\.\d+)?$/s.test(name) || name === 'packrat-export.tsv' || name === 'packrat-verify.tsv';
}

/** A name at the top of the backup folder that is not part of the mirror: packrat's own, a snapshot, an incomplete one. */
export function isOutsideMirror(name: string): boolean {
	return isOwnName(name) || snapshotName.test(name) || name.endsWith('.incomplete');
}

/** Where a copy was found, and why something was passed over. */
export type Skipped = {where: string; reason: string};

/** One place: its folder, its path relative to the backup folder ('' for the mirror), its snapshot stamp if it is one. */
export type Place = {root: string; prefix: string; snapshot?: string};

/** Relative path inside the backup folder, always with `/`. */
export function relativeWhere(place: Place, parts: readonly string[]): string {
	return [...(place.prefix ? [place.prefix] : []), ...parts].join('/');
}

/** What is at `path`, never through a symlink; undefined when nothing is. */
export async function lstatOrNothing(path: string): Promise<Stats | undefined> {
	try {
		return await lstat(path);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
		throw error;
	}
}

/** The entries of a folder, or none when it cannot be read (gone since, or not a folder). */
export async function entriesOf(folder: string): Promise<Dirent[]> {
	try {
		return await readdir(folder, {withFileTypes: true});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return [];
		throw error;
	}
}

/** The mirror, then the complete snapshots newest first. A snapshot that is a symlink is reported, not used. */
export async function placesOf(backup: string, skipped: Skipped[]): Promise<Place[]> {
	const snapshots: string[] = [];
	for (const entry of await entriesOf(backup)) {
		if (!snapshotName.test(entry.name)) continue;
		if (entry.isDirectory()) snapshots.push(entry.name);
		else if (entry.isSymbolicLink()) skipped.push({where: entry.name, reason: 'a symlink, not followed'});
	}

	snapshots.sort().reverse();
	return [{root: backup, prefix: ''}, ...snapshots.map(name => ({root: join(backup, name), prefix: name, snapshot: name}))];
}

/**
 * The real folder at `place/parts…`, walked one component at a time with lstat; undefined when
 * it is not there, or when a component is a symlink (then reported in `skipped`). At the top of
 * the mirror, packrat's own names and snapshots are not part of it.
 */
export async function folderIn(place: Place, parts: readonly string[], skipped: Skipped[]): Promise<string | undefined> {
	if (parts.length > 0 && (place.snapshot ? isOwnName(parts[0]!) : isOutsideMirror(parts[0]!))) return undefined;
	let path = place.root;
	for (let index = 0; index < parts.length; index++) {
		path = join(path, parts[index]!);
		const stat = await lstatOrNothing(path);
		if (stat?.isSymbolicLink()) {
			skipped.push({where: relativeWhere(place, parts.slice(0, index + 1)), reason: 'a symlink, not followed'});
			return undefined;
		}

		if (!stat?.isDirectory()) return undefined;
	}

	return path;
}

/** Every place that holds a folder at `parts` (below the server root), with that folder's path. */
export async function foldersAt(backup: string, parts: readonly string[], skipped: Skipped[]): Promise<Array<{place: Place; folder: string}>> {
	const held: Array<{place: Place; folder: string}> = [];
	for (const place of await placesOf(backup, skipped)) {
		const folder = await folderIn(place, parts, skipped);
		if (folder) held.push({place, folder});
	}

	return held;
}
