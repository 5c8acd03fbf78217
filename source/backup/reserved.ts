/**
 * packrat's own names at the top of the backup folder (and at the top of a Full snapshot, where
 * the export is written): `.packrat`, `packrat-*.log` and its rotations `packrat-*.log.N`,
 * `packrat-*.tsv` and the temporary `packrat-*.tsv.<pid>.tmp` it is written through. A server
 * entry at the top with such a name, file or whole folder, is stored under
 * `<name> (server copy)` (`<name> (server copy 2)` when the server also has that name), and
 * logged; nothing of packrat's is ever moved for it. Compared without case, as a disk that
 * ignores case would.
 */
import {lstat} from 'node:fs/promises';
import {join} from 'node:path';
import type {DiskPace} from './disk-pace.js';
import {serverCopyName} from './kept-names.js';
import type {ScanResult} from './listing.js';
import {joinRemote} from './names.js';
import {kindOf, moveNoReplace} from './no-replace.js';

const reserved = /^(?:\.packrat|packrat-.*\.log(?:\.\d+)?|packrat-.*\.tsv(?:\.\d+\.tmp)?)$/is;

/** True for a name at the top of the backup folder that belongs to packrat itself. */
export function isReserved(name: string): boolean {
	return reserved.test(name);
}

/** A server entry renamed: its remote path and the name it is stored under at the top. */
export type Renamed = {path: string; storedAs: string};

/**
 * Give every top-level server entry with a reserved name (a file, or a folder with all below
 * it) its safe alternative name in the scan's local parts; the remote paths are left as they are.
 */
export function protectReserved(found: ScanResult, root: string): Renamed[] {
	const entries: Array<{parts: string[]}> = [...found.files, ...found.skipped.filter(entry => !entry.refused)];
	const {rename, renamed} = reservedRenamer([...entries.map(entry => entry.parts[0]), ...found.folderParts.map(parts => parts[0])], root);
	for (const entry of entries) entry.parts = rename(entry.parts);
	found.folderParts = found.folderParts.map(rename);
	return renamed();
}

/**
 * The renaming of reserved names at the top, from the names there (the root's listing): a run
 * that plans files as the scan finds them renames each before its plan. Renaming twice changes
 * nothing (an alternative name is not reserved); `renamed` tells what was given another name.
 */
export function reservedRenamer(topNames: ReadonlyArray<string | undefined>, root: string): {rename: (parts: string[]) => string[]; renamed: () => Renamed[]} {
	const top = new Set(topNames.map(name => name?.toLowerCase()));
	const chosen = new Map<string, string>();
	const alternative = (name: string) => {
		let storedAs = chosen.get(name);
		if (storedAs === undefined) {
			let count = 1;
			while (top.has((storedAs = serverCopyName(name, count)).toLowerCase())) count++;
			top.add(storedAs.toLowerCase());
			chosen.set(name, storedAs);
		}

		return storedAs;
	};

	const rename = (parts: string[]) => (parts.length > 0 && isReserved(parts[0]!) ? [alternative(parts[0]!), ...parts.slice(1)] : parts);
	return {rename, renamed: () => [...chosen].map(([name, storedAs]) => ({path: joinRemote(root, name), storedAs}))};
}

/**
 * Move aside anything but a file that holds one of packrat's own file names at the top of the
 * backup folder (a folder made there by an older packrat from a server folder of that name), to
 * its alternative name, so that the logs and the export can be written. Returns what was moved.
 */
export async function rescueOwnNames(folder: string, names: readonly string[], pace: DiskPace): Promise<Renamed[]> {
	const moved: Renamed[] = [];
	for (const name of names) {
		const stat = await lstat(join(folder, name)).catch(() => undefined);
		if (!stat || stat.isFile() || stat.isSymbolicLink()) continue;
		for (let count = 1; ; count++) {
			const storedAs = serverCopyName(name, count);
			try {
				await moveNoReplace(join(folder, name), join(folder, storedAs), kindOf(stat), {links: false}, pace);
				moved.push({path: name, storedAs});
				break;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
		}
	}

	return moved;
}
