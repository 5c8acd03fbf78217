// A small, deterministic demo data set in the spec's layout (one folder per user), and a helper
// for tests that writes a tree of files with chosen mtimes.
import {mkdir, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';

export type TreeFile = {content: string | Buffer; mtime?: Date};

/** The moment the sample's ages are counted back from (2026-11-20 03:00 UTC). */
export const SAMPLE_NOW = new Date(Date.UTC(2026, 10, 20, 3, 0, 0));

const DAY = 24 * 60 * 60 * 1000;
const KIB = 1024;
const MIB = 1024 * KIB;
const TEXT_EXTENSIONS = new Set(['.txt', '.csv', '.tex', '.bib', '.c', '.h', '.log', '.svg', '.md', '']);

/** path (under the root, `/`-separated) → [size in bytes, age in days before SAMPLE_NOW] */
const SAMPLE: Record<string, [number, number]> = {
	'README.txt': [1200, 1],
	'.welcome': [64, 30],
	'alice/.profile': [220, 400],
	'alice/Website/Homepage v1.dh': [48 * KIB, 120],
	'alice/Website/Homepage v2.dh': [52 * KIB, 60],
	'alice/Website/Homepage v12.dh': [61 * KIB, 2],
	'alice/Website/notes.txt': [3 * KIB, 5],
	'alice/Website/assets/logo_v1.png': [18 * KIB, 210],
	'alice/Website/assets/logo_v2.png': [19 * KIB, 95],
	'alice/Website/assets/logo_v3.png': [21 * KIB, 15],
	'alice/Website/assets/favicon.ico': [4 * KIB, 300],
	'alice/Reports/Budget-2026-09-30.xlsx': [90 * KIB, 51],
	'alice/Reports/Budget-2026-10-31.xlsx': [95 * KIB, 20],
	'alice/Reports/Budget-2026-11-20.xlsx': [101 * KIB, 0.2],
	'alice/Reports/Summary (1).docx': [35 * KIB, 40],
	'alice/Reports/Summary (2).docx': [36 * KIB, 30],
	'alice/Reports/Summary (3).docx': [37 * KIB, 10],
	'alice/Reports/2025/Annual report v1.pdf': [700 * KIB, 330],
	'alice/Reports/2025/Annual report v2.pdf': [760 * KIB, 300],
	'bob/App/release-v1.2.3.zip': [400 * KIB, 150],
	'bob/App/release-v1.9.9.zip': [450 * KIB, 70],
	'bob/App/release-v1.10.0.zip': [480 * KIB, 8],
	'bob/App/build-20261101T0300.log': [12 * KIB, 19],
	'bob/App/build-20261120T0300.log': [13 * KIB, 0.1],
	'bob/App/src/main.c': [6 * KIB, 25],
	'bob/App/src/util.h': [1 * KIB, 90],
	'bob/App/src/.gitignore': [30, 200],
	'bob/Photos/beach_20250715.jpg': [1536 * KIB, 493],
	'bob/Photos/beach_20260801.jpg': [1800 * KIB, 111],
	'bob/Photos/empty.txt': [0, 45],
	'bob/Photos/Holiday album/IMG_0001.jpg': [900 * KIB, 111],
	'bob/Photos/Holiday album/IMG_0002.jpg': [950 * KIB, 111],
	'chloé/Thèse/Chapitre 1 v3.tex': [24 * KIB, 80],
	'chloé/Thèse/Chapitre 1 v4.tex': [27 * KIB, 12],
	'chloé/Thèse/Chapitre 2 v1.tex': [15 * KIB, 6],
	'chloé/Thèse/Références.bib': [8 * KIB, 33],
	'chloé/Thèse/figures/Schéma_v1.svg': [14 * KIB, 70],
	'chloé/Thèse/figures/Schéma_v2.svg': [16 * KIB, 3],
	'chloé/日本語/メモ v1.txt': [2 * KIB, 44],
	'chloé/日本語/メモ v2.txt': [2560, 4],
	'chloé/Musique/Démo (1).mp3': [1200 * KIB, 250],
	'chloé/Musique/Démo (2).mp3': [1300 * KIB, 160],
	'dan smith/Garden plans/Plan v1.dh': [30 * KIB, 200],
	'dan smith/Garden plans/Plan v2.dh': [33 * KIB, 9],
	'dan smith/Garden plans/Seeds list.csv': [2 * KIB, 14],
	'dan smith/Garden plans/Shed_20260301.pdf': [300 * KIB, 264],
	'dan smith/Garden plans/Shed_20261015.pdf': [320 * KIB, 36],
	'dan smith/Video/trailer v1.mp4': [2 * MIB, 75],
	'dan smith/Video/trailer v2.mp4': [2_000_000, 7],
	'dan smith/Archive 2024/old project (2).zip': [240 * KIB, 640],
	'dan smith/Archive 2024/old project (3).zip': [250 * KIB, 600],
};
const EMPTY_FOLDERS = ['alice/Empty folder', 'dan smith/Inbox'];
const EMPTY_FOLDER_AGE = 100;

/** Writes the demo data set under root (which may already exist); same bytes and mtimes on every run. */
export async function seedSample(root: string, options: {now?: Date} = {}): Promise<void> {
	const now = (options.now ?? SAMPLE_NOW).getTime();
	const files: Record<string, TreeFile> = {};
	for (const [name, [size, ageDays]] of Object.entries(SAMPLE)) {
		files[name] = {content: sampleContent(name, size), mtime: new Date(now - Math.round(ageDays * DAY))};
	}
	await writeTree(root, files);
	for (const folder of EMPTY_FOLDERS) await mkdir(path.join(root, folder), {recursive: true});
	await setFolderTimes(root, files, now);
}

/** Writes files (creating folders) under root and sets their mtimes. Names are `/`-separated and relative. */
export async function writeTree(root: string, files: Record<string, TreeFile>): Promise<void> {
	for (const [name, file] of Object.entries(files)) {
		const target = insideRoot(root, name);
		await mkdir(path.dirname(target), {recursive: true});
		await writeFile(target, file.content);
		if (file.mtime) await utimes(target, file.mtime, file.mtime);
	}
}

function insideRoot(root: string, name: string): string {
	const parts = name.split('/');
	if (path.posix.isAbsolute(name) || parts.some((part) => part === '..' || part === '.' || part === '')) {
		throw new Error(`Not a relative path inside the tree: ${JSON.stringify(name)}`);
	}
	return path.join(root, ...parts);
}

/** Each folder gets the newest mtime found below it (empty folders a fixed age), deepest first. */
async function setFolderTimes(root: string, files: Record<string, TreeFile>, now: number): Promise<void> {
	const newest = new Map<string, number>(EMPTY_FOLDERS.map((folder) => [folder, now - EMPTY_FOLDER_AGE * DAY]));
	for (const [name, file] of Object.entries(files)) {
		const time = file.mtime?.getTime() ?? now;
		for (let folder = path.posix.dirname(name); folder !== '.'; folder = path.posix.dirname(folder)) {
			newest.set(folder, Math.max(newest.get(folder) ?? 0, time));
		}
	}
	const deepestFirst = [...newest.keys()].sort((a, b) => b.split('/').length - a.split('/').length);
	for (const folder of deepestFirst) {
		const time = new Date(newest.get(folder) ?? now);
		await utimes(path.join(root, ...folder.split('/')), time, time);
	}
}

function sampleContent(name: string, size: number): Buffer {
	const random = mulberry32(hash(name));
	if (!TEXT_EXTENSIONS.has(path.extname(name).toLowerCase())) return randomBytes(random, size);
	let text = '';
	for (let line = 1; text.length < size; line++) {
		text += `line ${line}: ${Math.floor(random() * 1e9).toString(36)}\n`;
	}
	return Buffer.from(text).subarray(0, size);
}

function randomBytes(random: () => number, size: number): Buffer {
	const buffer = Buffer.alloc(size);
	for (let offset = 0; offset < size; offset++) buffer[offset] = Math.floor(random() * 256);
	return buffer;
}

/** FNV-1a over the UTF-8 bytes. */
function hash(text: string): number {
	let value = 0x811c9dc5;
	for (const byte of Buffer.from(text)) value = Math.imul(value ^ byte, 0x01000193) >>> 0;
	return value;
}

function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
