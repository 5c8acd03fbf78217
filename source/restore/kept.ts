/**
 * Which file a kept older copy belongs to. An older copy is named `<stem> (<stamp>[ N])<ext>`
 * (backup/local.ts, olderCopyName), its stem cut on a character boundary when the whole name
 * would pass 255 bytes. So a kept name belongs to a file of the same folder with the same
 * extension whose stem is exactly its stem, or, for a cut name, begins with it; an exact stem
 * wins over a cut one. A cut name that several files could claim equally is shared by them and
 * marked as such: the name alone cannot tell which one it was.
 */
import {splitExtension} from '../backup/versions.js';

/** `Plan v2 (2026-11-20 030000 2).dh` → stem `Plan v2`, extension `.dh`. */
const keptPattern = /^(.*) \((\d{4}-\d{2}-\d{2} \d{6})(?: ([1-9]\d*))?\)((?:\.[^.]*)?)$/s;

export type KeptName = {stem: string; stamp: string; extension: string; suffix: string};

/** The parts of a kept copy's name, or undefined when the name is not one. */
export function parseKept(name: string): KeptName | undefined {
	const match = keptPattern.exec(name);
	if (!match) return undefined;
	const [, stem, stamp, , extension] = match as unknown as [string, string, string, string | undefined, string];
	return {stem, stamp, extension, suffix: name.slice(stem.length)};
}

/**
 * Below this many bytes an uncut name never needed cutting: a stem shorter than its file's is
 * a cut only when the whole name would have come near the 255-byte limit (the margin leaves
 * room for how a cut name is made unique).
 */
const cutNear = 240;

/** How strongly `file` claims the kept copy: 2 exact, 1 cut, 0 not at all. */
export function claim(kept: KeptName, file: string): number {
	const [stem, extension] = splitExtension(file);
	if (extension !== kept.extension) return 0;
	if (stem === kept.stem) return 2;
	if (kept.stem.length >= stem.length || !stem.startsWith(kept.stem)) return 0;
	// A cut falls between two characters, never inside a surrogate pair.
	const next = stem.charCodeAt(kept.stem.length);
	if (next >= 0xdc00 && next <= 0xdfff) return 0;
	return Buffer.byteLength(stem + kept.suffix) > cutNear ? 1 : 0;
}

/** The files (of `files`, the kept name itself left out) that claim `name` most strongly; empty when it is not a kept copy. */
export function ownersOf(name: string, files: Iterable<string>): string[] {
	const kept = parseKept(name);
	if (!kept) return [];
	let best = 0;
	let owners: string[] = [];
	for (const file of files) {
		if (file === name) continue;
		const strength = claim(kept, file);
		if (strength === 0 || strength < best) continue;
		if (strength > best) {
			best = strength;
			owners = [];
		}

		owners.push(file);
	}

	return owners;
}

export type Grouped = {
	/** Each file of the folder with its kept copies (and whether each is shared with another file). */
	files: Map<string, Array<{name: string; shared: boolean}>>;
};

/**
 * A folder's file names sorted into files and the kept copies beside them. A kept-looking name
 * that no file of the folder claims is a file of its own (the server may have a file so named).
 * `wanted` is a file asked for by name: it claims its copies even when it is not there itself.
 */
export function groupKept(names: readonly string[], wanted?: string): Grouped {
	const all = new Set(names);
	if (wanted !== undefined) all.add(wanted);
	const files = new Map<string, Array<{name: string; shared: boolean}>>();
	const keptOf = new Map<string, string[]>();
	for (const name of names) {
		const owners = ownersOf(name, all);
		if (owners.length > 0) keptOf.set(name, owners);
	}

	for (const name of all) {
		if (!keptOf.has(name) || name === wanted) files.set(name, []);
	}

	// Shorter names first: an exact owner is shorter than its copy, so a copy's owner is settled before it.
	for (const [name, owners] of [...keptOf].sort(([a], [b]) => a.length - b.length)) {
		if (name === wanted) continue;
		// Owned only by names that are kept copies themselves: then it is a file of its own.
		const found = owners.filter(owner => files.has(owner));
		if (found.length === 0) files.set(name, []);
		for (const owner of found) files.get(owner)!.push({name, shared: found.length > 1});
	}

	return {files};
}
