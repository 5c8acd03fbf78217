/**
 * What each data set holds — paths, sizes and modification times — decided by the seed alone.
 * The layout follows the spec: one folder per user under the root, projects below, files in
 * groups of versions (` v3`, `_v2`, `-2026-11-20`, …), a few files directly under the root.
 */
import {derive, type Random} from './random.js';

export type FileSpec = {
	/** Relative POSIX path below the set's root. */
	path: string;
	size: number;
	/** Seconds since the epoch. */
	mtime: number;
};

export type SetSpec = {name: string; files: FileSpec[]; folders: string[]};

const KiB = 1024;
const MiB = 1024 * KiB;
const day = 86_400;
/** Times are spread before this fixed instant (2026-11-01 00:00 UTC), so they never depend on the clock. */
export const anchor = Date.UTC(2026, 10, 1) / 1000;

const users = ['alice', 'bob', 'Carmen Ruiz', 'dmitri', 'eve', 'François', 'grace', 'hiro', 'ines', 'jamal', 'kofi', 'lena', 'mateo', 'nadia', 'olga', 'pavel'];
const places = ['Harbor', 'Elm St', 'Riverside', 'North Gate', 'Old Mill', 'Cedar', 'Summit', 'Bay View', 'Lakeside', 'Market'];
const kinds = ['bridge', 'house', 'school', 'clinic', 'tower', 'depot', 'library', 'plaza', 'annex', 'station'];
const subfolders = ['drawings', 'docs', 'photos', 'exports', 'archive', 'site visits', 'models', 'invoices', '2025', 'renders', 'specs', 'old'];
const bases = ['Plan', 'Budget', 'Site survey', 'Floor plan', 'Elevation', 'Contract', 'Minutes', 'Schedule', 'Section A', 'Detail', 'Report', 'Notes', 'Estimate', 'Facade'];
const extensions = ['.dh', '.pdf', '.dwg', '.xlsx', '.txt', '.docx', '.png'];

/** Version markers of the spec, by style; `n` counts versions within a group. */
const markers: Array<(n: number, random: Random) => string> = [
	n => ` v${n}`,
	n => `_v${n}`,
	n => `-v1.${n}.0`,
	n => ` (${n})`,
	n => `-2026-${String((n % 12) + 1).padStart(2, '0')}-20`,
	n => `_2025${String((n % 12) + 1).padStart(2, '0')}15`,
	n => `-202611${String(n + 10).padStart(2, '0')}T0300`,
	() => '',
];

function unique(taken: Set<string>, name: string): string {
	let candidate = name;
	for (let count = 2; taken.has(candidate); count++) candidate = `${name} ${count}`;
	taken.add(candidate);
	return candidate;
}

/** A time before the anchor: mostly within 150 days (LIST shows HH:MM), a third older than 200 days (LIST shows the year). */
function pastTime(random: Random): number {
	const days = random.chance(0.35) ? random.int(200, 1000) : random.int(0, 150);
	return anchor - days * day - random.int(0, day - 1);
}

function folderTree(random: Random, target: number, userCount: number): string[] {
	const folders = users.slice(0, userCount).map(user => ({path: user, depth: 1, names: new Set<string>()}));
	while (folders.length < target) {
		const parent = random.chance(0.3) ? random.pick(folders.slice(0, userCount)) : random.pick(folders);
		if (parent.depth >= 5) continue;
		const name = parent.depth === 1 ? `${random.pick(places)} ${random.pick(kinds)}` : random.pick(subfolders);
		folders.push({path: `${parent.path}/${unique(parent.names, name)}`, depth: parent.depth + 1, names: new Set()});
	}

	return folders.map(folder => folder.path);
}

export function smallSet(seed: number, fileCount = 5000, folderCount = 1600, name = 'small', userCount = users.length): SetSpec {
	const random = derive(seed, name);
	const folders = folderTree(random, folderCount, userCount);
	const names = new Map<string, Set<string>>();
	const files: FileSpec[] = [];
	const add = (folder: string, name: string, mtime: number) => {
		const taken = names.get(folder) ?? new Set<string>();
		names.set(folder, taken);
		if (taken.has(name)) return;
		taken.add(name);
		files.push({path: folder ? `${folder}/${name}` : name, size: random.int(2 * KiB, 64 * KiB), mtime});
	};

	for (let i = 0; i < 20; i++) add('', `${random.pick(bases)} ${i}${random.pick(extensions)}`, pastTime(random));
	// Empty folders do occur, but most hold at least one group: walk the folders once, then at random.
	let index = 0;
	while (files.length < fileCount) {
		const folder = index < folders.length ? folders[index++]! : random.pick(folders);
		const base = random.pick(bases);
		const extension = random.pick(extensions);
		const marker = random.pick(markers);
		const versions = random.int(1, 4);
		let mtime = pastTime(random);
		for (let n = 1; n <= versions && files.length < fileCount; n++) {
			add(folder, `${base}${marker(n, random)}${extension}`, mtime);
			mtime += random.int(60, 20 * day);
		}
	}

	return {name, files, folders};
}

/** The WAN runs' set: like `small`, a fifth of it, in 10 users' folders (about 1,000 files, 33 MiB). */
export const wanSet = (seed: number) => smallSet(seed, 1000, 320, 'wan', 10);

export function largeSet(seed: number, count = 10, size = 100 * MiB): SetSpec {
	const random = derive(seed, 'large');
	const folders = ['media', 'media/Launch film', 'media/Harbor flyover'];
	const files: FileSpec[] = [];
	for (let n = 1; n <= count; n++) {
		const folder = n <= count / 2 ? folders[1]! : folders[2]!;
		const name = n <= count / 2 ? `Render v${n}.mov` : `flyover_v${n}.mp4`;
		files.push({path: `${folder}/${name}`, size, mtime: pastTime(random)});
	}

	return {name: 'large', files, folders};
}

/** `count` tiny files, 100 to a folder, under 10 users: for the scale runs. */
export function scaleSet(seed: number, count: number): SetSpec {
	const random = derive(seed, `scale-${count}`);
	const files: FileSpec[] = [];
	for (let i = 0; i < count; i++) {
		const f = Math.floor(i / 100);
		const folder = `user${f % 10}/project ${String(Math.floor(f / 100)).padStart(3, '0')}/part ${Math.floor(f / 10) % 10}`;
		files.push({path: `${folder}/file ${String(i).padStart(6, '0')} v${(i % 3) + 1}.dat`, size: random.int(16, 1024), mtime: pastTime(random)});
	}

	return {name: `scale-${count}`, files, folders: []};
}

export const scaleName = (count: number) => `scale-${count % 1000 === 0 ? `${count / 1000}k` : count}`;

export function setSpec(name: string, seed: number): SetSpec {
	if (name === 'small') return smallSet(seed);
	if (name === 'large') return largeSet(seed);
	if (name === 'wan') return wanSet(seed);
	const scale = /^scale-(\d+)(k?)$/.exec(name);
	if (scale) return {...scaleSet(seed, Number(scale[1]) * (scale[2] ? 1000 : 1)), name};
	throw new Error(`unknown data set ${name}: small, large, wan, scale-10k, scale-50k, scale-100k`);
}
