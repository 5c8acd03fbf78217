/**
 * Restoring: one version of a file, or a folder's whole tree as it stood at a time (each file
 * at its newest version not later than that time), copied out of the backup folder into a
 * folder of the user's, with the original modification times. DIR receives the last name of
 * the server path: `index v3.html` for a file, `Website/…` for a folder, the users' folders
 * themselves for the root. Nothing is overwritten and nothing in the backup folder is written.
 */
import {join} from 'node:path';
import {oneLine} from '../backup/errors.js';
import {localStamp} from '../backup/local.js';
import {catalogue, versionAt, type FileVersion} from './catalog.js';
import type {Skipped} from './places.js';
import {localTime} from './times.js';
import {copyVersion, makeFolder, prepareDestination} from './write.js';

export type RestoreRequest = {
	backup: string;
	/** Path components below the server root. */
	parts: string[];
	/** A folder is asked for (the PATH ended in `/`). */
	folder?: boolean;
	/** Version number from `packrat versions` (for a folder: the number of a time). */
	version?: number;
	/** The last second wanted, in seconds since the epoch. */
	at?: number;
	/** DIR, as given. */
	to: string;
	/** How messages name DIR (default `--to DIR`). */
	toNamed?: string;
	/** The path as the user gave it, for messages (default: `/` and the parts). */
	shown?: string;
};

/** One file restored: its path below the root (`alice/Website/index.html`), where it came from, where it went, and the name it wanted when that was taken. */
export type Restored = {path: string; from: string; to: string; size: number; mtime: number; taken?: string};

export type RestoreResult = {
	kind: 'file' | 'folder';
	/** The version restored (a file), or the number of the time the folder was restored to. */
	version?: number;
	/** The newest mtime restored (seconds); undefined for a folder that held no file then. */
	asOf?: number;
	/** The real path of what DIR received: the file, the folder, or DIR itself for the root. */
	top: string;
	restored: Restored[];
	failed: Array<{path: string; reason: string}>;
	skipped: Skipped[];
};

/** Nothing to restore: not in the backup, or no version matches. */
export class NotFoundError extends Error {}

function pick(versions: readonly FileVersion[], request: RestoreRequest, shown: string): FileVersion {
	if (request.version !== undefined) {
		const version = versions[request.version - 1];
		if (!version) throw new NotFoundError(`${shown} has no version ${request.version}: it has ${versions.length} (see packrat versions)`);
		return version;
	}

	if (request.at === undefined) return versions[0]!;
	const version = versionAt(versions, request.at);
	if (!version) throw new NotFoundError(`${shown} has no version from ${localTime(request.at)} or earlier: the oldest is from ${localTime(versions.at(-1)!.mtime)}`);
	return version;
}

/** Restore what `request` names; throws NotFoundError when there is nothing to restore, PackratError for a DIR refused. */
export async function restore(request: RestoreRequest): Promise<RestoreResult> {
	const shown = request.shown ?? `/${request.parts.join('/')}`;
	const found = await catalogue(request.backup, request.parts, request.folder);
	if (!found || (found.kind === 'file' && found.versions.length === 0)) throw new NotFoundError(`${shown} is not in the backup folder ${request.backup}`);
	const result = {kind: found.kind, restored: [], failed: [], skipped: found.skipped} as Omit<RestoreResult, 'top'> & Partial<RestoreResult>;
	const copy = async (path: string, version: FileVersion, folder: string, name: string) => {
		try {
			const taken = await copyVersion(join(request.backup, ...version.where.split('/')), {size: version.size, mtime: version.mtime, stamp: localStamp(new Date(version.mtime * 1000))}, folder, name);
			const restored: Restored = {path, from: version.where, to: join(folder, taken), size: version.size, mtime: version.mtime};
			if (taken !== name) restored.taken = join(folder, name);
			result.restored.push(restored);
		} catch (error) {
			result.failed.push({path, reason: oneLine(error)});
		}
	};

	if (found.kind === 'file') {
		const version = pick(found.versions, request, shown);
		const into = await prepareDestination(request.to, request.backup, request.toNamed);
		await copy(request.parts.join('/'), version, into, request.parts.at(-1)!);
		return {...result, version: version.number, asOf: version.mtime, top: result.restored[0]?.to ?? join(into, request.parts.at(-1)!)};
	}

	let at = request.at ?? Number.POSITIVE_INFINITY;
	if (request.version !== undefined) {
		const time = found.times[request.version - 1];
		if (!time) throw new NotFoundError(`${shown} has no time ${request.version} to restore to: it has ${found.times.length} (see packrat versions)`);
		at = time.mtime;
		result.version = time.number;
	}

	const chosen = [...found.files].map(([file, versions]) => [file, versionAt(versions, at)] as const).filter((entry): entry is readonly [string, FileVersion] => entry[1] !== undefined);
	if (request.at !== undefined && chosen.length === 0 && found.files.size > 0) {
		throw new NotFoundError(`nothing in ${shown} is from ${localTime(request.at)} or earlier: the oldest file is from ${localTime(found.times.at(-1)!.mtime)}`);
	}

	const asOf = chosen.length > 0 ? Math.max(...chosen.map(([, version]) => version.mtime)) : undefined;
	const stamp = localStamp(asOf === undefined ? new Date() : new Date(asOf * 1000));
	const into = await prepareDestination(request.to, request.backup, request.toNamed);
	const top = found.parts.length === 0 ? into : join(into, await makeFolder(into, found.parts.at(-1)!, stamp));
	const made = new Map<string, string>([['', top]]);
	const folderFor = async (parts: readonly string[]): Promise<string> => {
		let path = top;
		for (let index = 0; index < parts.length; index++) {
			const key = parts.slice(0, index + 1).join('/');
			const known = made.get(key);
			path = known ?? join(path, await makeFolder(path, parts[index]!, stamp));
			made.set(key, path);
		}

		return path;
	};

	for (const [file, version] of chosen) {
		const parts = file.split('/');
		const path = [...found.parts, ...parts].join('/');
		try {
			await copy(path, version, await folderFor(parts.slice(0, -1)), parts.at(-1)!);
		} catch (error) {
			result.failed.push({path, reason: oneLine(error)});
		}
	}

	return {...result, asOf, top};
}
