/**
 * Projects and version markers (SPEC: Words, "Project"). A file name is split into the project
 * name and its version marker; of each project the latest version wins under Latest only.
 */

/**
 * The default markers, just before the extension, case-insensitive:
 * ` v12`, `_v12`, `-v1.2.3`, ` (3)`, `-2026-11-20`, `_20261120`, `-20261120T0300`.
 */
export const defaultVersionPattern =
	'[ _-](?<version>v\\d+(?:\\.\\d+)*|\\(\\d+\\)|\\d{4}-\\d{2}-\\d{2}|\\d{8}(?:T\\d{4,6})?)$';

export type Parsed = {project: string; marker: string; extension: string};

export type VersionMatcher = (name: string) => Parsed;

/** The extension is the last `.xxx` of the name, unless the name starts with its only dot. */
export function splitExtension(name: string): [stem: string, extension: string] {
	const dot = name.lastIndexOf('.');
	if (dot <= 0) return [name, ''];
	return [name.slice(0, dot), name.slice(dot)];
}

/**
 * Build a matcher from a pattern with a named group `version` (the configured
 * `versionPattern`) or the default markers. The pattern is applied to the name without its
 * extension; what it matches is removed to give the project name.
 */
export function versionMatcher(pattern?: string): VersionMatcher {
	const regex = new RegExp(pattern ?? defaultVersionPattern, 'i');
	return (name: string) => {
		const [stem, extension] = splitExtension(name);
		const match = regex.exec(stem);
		const marker = match?.groups?.['version'];
		if (!match || marker === undefined || match[0] === stem) return {project: name, marker: '', extension};
		return {project: stem.slice(0, match.index) + stem.slice(match.index + match[0].length) + extension, marker, extension};
	};
}

/** The numbers of a marker, in order: `v1.2.3` → [1, 2, 3], `-20261120T0300` → [20261120, 300]. */
export function markerNumbers(marker: string): number[] {
	return (marker.match(/\d+/g) ?? []).map(Number);
}

/** Compare two markers number by number; a marker that runs out first is the smaller. */
export function compareMarkers(a: string, b: string): number {
	const left = markerNumbers(a);
	const right = markerNumbers(b);
	for (let index = 0; index < Math.max(left.length, right.length); index++) {
		const difference = (left[index] ?? -1) - (right[index] ?? -1);
		if (difference !== 0) return difference;
	}

	return 0;
}

export type Versioned = {directory: string; name: string; mtime: number};

/**
 * Group files by folder and project, and return the set of the latest of each project: the
 * greatest marker, then the newest modification time (then the name, so the choice is stable).
 */
export function latestOfProjects<T extends Versioned>(files: readonly T[], match: VersionMatcher): Set<T> {
	const best = new Map<string, {file: T; marker: string}>();
	for (const file of files) {
		const {project, marker} = match(file.name);
		const key = `${file.directory}\0${project.toLowerCase()}`;
		const current = best.get(key);
		if (!current) {
			best.set(key, {file, marker});
			continue;
		}

		const order = compareMarkers(marker, current.marker) || file.mtime - current.file.mtime || (file.name < current.file.name ? 1 : -1);
		if (order > 0) best.set(key, {file, marker});
	}

	return new Set([...best.values()].map(entry => entry.file));
}
