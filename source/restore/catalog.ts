/**
 * The catalogue of a backup folder: every distinct version of a file it holds, newest first,
 * from the current copy in the mirror, the older copies kept beside it, and the copies in the
 * complete Full snapshots (one row per size and mtime, so hard-linked copies count once). A
 * folder is catalogued file by file, with the times it can be restored to: every time at which
 * one of its files took a new version (at such a time T, each file is at its newest version not
 * later than T). No window code here: the command line and the Versions screen both call it.
 */
import {join} from 'node:path';
import {groupKept, ownersOf} from './kept.js';
import {entriesOf, folderIn, foldersAt, isOutsideMirror, isOwnName, lstatOrNothing, placesOf, relativeWhere, type Place, type Skipped} from './places.js';

export type Where = 'current' | 'kept' | 'snapshot';

/** One copy found: where it lies (relative to the backup folder, with `/`), its size and mtime in seconds. */
export type Copy = {where: string; place: Where; snapshot?: string; size: number; mtime: number; shared: boolean};

/** A distinct version, numbered from 1 for the newest; `also` names the other places holding the same version. */
export type FileVersion = Copy & {number: number; also: string[]};

export type FileCatalog = {kind: 'file'; parts: string[]; versions: FileVersion[]; skipped: Skipped[]};

/** A time a folder can be restored to: how many of its files existed then, and their bytes. */
export type FolderTime = {number: number; mtime: number; files: number; bytes: number};

export type FolderCatalog = {kind: 'folder'; parts: string[]; files: Map<string, FileVersion[]>; times: FolderTime[]; skipped: Skipped[]};

const outside = (place: Place, name: string) => (place.snapshot ? isOwnName(name) : isOutsideMirror(name));

type FolderScan = {files: Map<string, Copy[]>; folders: string[]};

/** The files of one real folder of a place (or only `wanted`), each with its copies; symlinks reported. */
export async function scanFolder(place: Place, path: string, parts: readonly string[], skipped: Skipped[], wanted?: string): Promise<FolderScan> {
	const regular: string[] = [];
	const folders: string[] = [];
	const links: string[] = [];
	for (const entry of await entriesOf(path)) {
		if (parts.length === 0 && outside(place, entry.name)) continue;
		if (entry.isFile()) regular.push(entry.name);
		else if (entry.isDirectory()) folders.push(entry.name);
		else if (entry.isSymbolicLink()) links.push(entry.name);
	}

	const present = new Set(regular);
	for (const name of links) {
		if (wanted === undefined || name === wanted || ownersOf(name, [...regular, wanted]).includes(wanted)) {
			skipped.push({where: relativeWhere(place, [...parts, name]), reason: 'a symlink, not followed'});
		}
	}

	const copyOf = async (name: string, kind: Where, shared: boolean): Promise<Copy | undefined> => {
		const stat = await lstatOrNothing(join(path, name));
		if (!stat?.isFile()) return undefined;
		const where = relativeWhere(place, [...parts, name]);
		return {where, place: kind, ...(place.snapshot ? {snapshot: place.snapshot} : {}), size: stat.size, mtime: Math.floor(stat.mtimeMs / 1000), shared};
	};

	const files = new Map<string, Copy[]>();
	for (const [name, kept] of groupKept(regular, wanted).files) {
		if (wanted !== undefined && name !== wanted) continue;
		const copies: Array<Copy | undefined> = [];
		if (present.has(name)) copies.push(await copyOf(name, place.snapshot ? 'snapshot' : 'current', false));
		for (const copy of kept.sort((a, b) => (a.name < b.name ? 1 : -1))) copies.push(await copyOf(copy.name, 'kept', copy.shared));
		const found = copies.filter(copy => copy !== undefined);
		if (found.length > 0) files.set(name, found);
	}

	return {files, folders};
}

/** Copies in place order → distinct versions, newest first (same time: the earlier place first), numbered. */
export function toVersions(copies: readonly Copy[]): FileVersion[] {
	const byVersion = new Map<string, FileVersion>();
	for (const copy of copies) {
		const key = `${copy.size}:${copy.mtime}`;
		const known = byVersion.get(key);
		if (known) {
			known.also.push(copy.where);
			known.shared &&= copy.shared;
		} else {
			byVersion.set(key, {...copy, number: 0, also: []});
		}
	}

	const versions = [...byVersion.values()].sort((a, b) => b.mtime - a.mtime);
	versions.forEach((version, index) => (version.number = index + 1));
	return versions;
}

/** Names in code-unit order, the same on every machine (no locale). */
export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Add `list` to the copies gathered under `key` from the places before. */
export function addCopies(copies: Map<string, Copy[]>, key: string, list: readonly Copy[]): void {
	copies.set(key, [...(copies.get(key) ?? []), ...list]);
}

/** Every version of the file at `parts` (below the server root), newest first. */
export async function fileVersions(backup: string, parts: readonly string[]): Promise<FileCatalog> {
	const skipped: Skipped[] = [];
	const copies: Copy[] = [];
	const name = parts.at(-1)!;
	for (const place of await placesOf(backup, skipped)) {
		if (outside(place, parts[0]!)) continue;
		const folder = await folderIn(place, parts.slice(0, -1), skipped);
		if (!folder) continue;
		const scan = await scanFolder(place, folder, parts.slice(0, -1), skipped, name);
		copies.push(...(scan.files.get(name) ?? []));
	}

	return {kind: 'file', parts: [...parts], versions: toVersions(copies), skipped};
}

/** The times a folder can be restored to, newest first, from its files' versions. */
export function folderTimes(files: ReadonlyMap<string, readonly FileVersion[]>): FolderTime[] {
	const events: Array<{mtime: number; rank: number; file: string; size: number}> = [];
	for (const [file, versions] of files) versions.forEach((version, rank) => events.push({mtime: version.mtime, rank, file, size: version.size}));
	// Oldest first; at one time the preferred version (lower rank) comes last, so it is the one kept.
	events.sort((a, b) => a.mtime - b.mtime || b.rank - a.rank);
	const chosen = new Map<string, number>();
	let bytes = 0;
	const times: FolderTime[] = [];
	for (let index = 0; index < events.length; index++) {
		const event = events[index]!;
		bytes += event.size - (chosen.get(event.file) ?? 0);
		chosen.set(event.file, event.size);
		if (events[index + 1]?.mtime !== event.mtime) times.push({number: 0, mtime: event.mtime, files: chosen.size, bytes});
	}

	times.reverse().forEach((time, index) => (time.number = index + 1));
	return times;
}

/**
 * Every file below the folder at `parts` (relative paths with `/`), each with its versions, or
 * undefined when no place holds such a folder. `[]` is the whole backup.
 */
export async function folderVersions(backup: string, parts: readonly string[]): Promise<FolderCatalog | undefined> {
	const skipped: Skipped[] = [];
	const copies = new Map<string, Copy[]>();
	const held = await foldersAt(backup, parts, skipped);
	for (const {place, folder: top} of held) {
		const stack: string[][] = [[]];
		while (stack.length > 0) {
			const below = stack.pop()!;
			const scan = await scanFolder(place, join(top, ...below), [...parts, ...below], skipped);
			for (const [name, list] of scan.files) addCopies(copies, [...below, name].join('/'), list);

			for (const folder of scan.folders.sort().reverse()) stack.push([...below, folder]);
		}
	}

	if (held.length === 0) return undefined;
	const files = new Map([...copies].sort(([a], [b]) => byName(a, b)).map(([key, list]) => [key, toVersions(list)]));
	return {kind: 'folder', parts: [...parts], files, times: folderTimes(files), skipped};
}

/** A file's version at a time: the newest whose mtime is not later than `at` (seconds). */
export function versionAt(versions: readonly FileVersion[], at: number): FileVersion | undefined {
	return versions.find(version => version.mtime <= at);
}

/**
 * What the backup holds at `parts`: a file's versions, or a folder's. `folder` (a PATH ending
 * in `/`) asks for the folder only; otherwise a file wins when both were held at that path.
 */
export async function catalogue(backup: string, parts: readonly string[], folder = false): Promise<FileCatalog | FolderCatalog | undefined> {
	if (!folder && parts.length > 0) {
		const file = await fileVersions(backup, parts);
		if (file.versions.length > 0) return file;
		const asFolder = await folderVersions(backup, parts);
		if (asFolder) asFolder.skipped.unshift(...file.skipped.filter(item => !asFolder.skipped.some(other => other.where === item.where)));
		return asFolder ?? (file.skipped.length > 0 ? file : undefined);
	}

	return folderVersions(backup, parts);
}
