/**
 * One folder of the backup as the Versions screen browses it: by the server's paths, one level
 * at a time, the mirror and every complete Full snapshot merged. Its sub-folders are those any
 * place holds; its files each come with their distinct versions (kept copies folded under their
 * file, hard-linked snapshot copies counted once), as `packrat versions` lists them.
 */
import {addCopies, byName, scanFolder, toVersions, type Copy, type FileVersion} from './catalog.js';
import {foldersAt, type Skipped} from './places.js';

export type BrowsedFile = {name: string; versions: FileVersion[]};

export type Browsed = {
	/** Path components below the server root; empty for the root. */
	parts: string[];
	/** No place holds such a folder. */
	missing: boolean;
	/** Sorted by name. */
	folders: string[];
	/** Sorted by name. */
	files: BrowsedFile[];
	skipped: Skipped[];
};

/** The folders and files directly in the backup's folder at `parts` (below the server root). */
export async function browse(backup: string, parts: readonly string[]): Promise<Browsed> {
	const skipped: Skipped[] = [];
	const folders = new Set<string>();
	const copies = new Map<string, Copy[]>();
	const held = await foldersAt(backup, parts, skipped);
	for (const {place, folder} of held) {
		const scan = await scanFolder(place, folder, parts, skipped);
		for (const name of scan.folders) folders.add(name);
		for (const [name, list] of scan.files) addCopies(copies, name, list);
	}

	const files = [...copies].sort(([a], [b]) => byName(a, b)).map(([name, list]) => ({name, versions: toVersions(list)}));
	return {parts: [...parts], missing: held.length === 0, folders: [...folders].sort(byName), files, skipped};
}
