/**
 * Checks a pulled tree against the source tree: the same files, sizes and modification times
 * (to the second), and the same bytes for all files or for a sample.
 */
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {lstat, readdir} from 'node:fs/promises';
import {join} from 'node:path';

export type Entry = {size: number; mtime: number};
export type Tree = Map<string, Entry>;

export type Verdict = {
	files: number;
	missing: string[];
	extra: string[];
	size: string[];
	mtime: string[];
	hashed: number;
	content: string[];
};

/** packrat's own files at the top of a backup folder. */
export const packratOwn = (name: string) => name === '.packrat' || /^packrat-(transfer|errors)\.log(\.\d+)?$/.test(name) || name === 'packrat-export.tsv';

export async function walk(root: string, skipTop: (name: string) => boolean = () => false): Promise<Tree> {
	const tree: Tree = new Map();
	const visit = async (folder: string, prefix: string) => {
		const entries = await readdir(folder, {withFileTypes: true}).catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT' && !prefix) return [];
			throw error;
		});
		await Promise.all(entries.map(async entry => {
			if (!prefix && skipTop(entry.name)) return;
			const path = prefix ? `${prefix}/${entry.name}` : entry.name;
			if (entry.isDirectory()) return visit(join(folder, entry.name), path);
			const stat = await lstat(join(folder, entry.name));
			tree.set(path, {size: stat.size, mtime: Math.floor(stat.mtimeMs / 1000)});
		}));
	};

	await visit(root, '');
	return tree;
}

export async function hashFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path, {highWaterMark: 1024 * 1024})) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** The source side, walked once; its hashes are computed when first needed and kept. */
export class Source {
	private readonly hashes = new Map<string, Promise<string>>();
	private constructor(readonly root: string, readonly tree: Tree) {}

	static async load(root: string): Promise<Source> {
		return new Source(root, await walk(root));
	}

	hash(path: string): Promise<string> {
		let hash = this.hashes.get(path);
		if (!hash) {
			hash = hashFile(join(this.root, path));
			this.hashes.set(path, hash);
		}

		return hash;
	}
}

async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
	const queue = [...items];
	await Promise.all(Array.from({length: width}, async () => {
		for (let item = queue.pop(); item !== undefined; item = queue.pop()) await work(item);
	}));
}

/**
 * `sample`: 1 hashes every file, 0.05 about one file in twenty (spread evenly over the sorted
 * paths), 0 none. `ignoreTop` names files at the top of the pull that are not part of the copy.
 */
export async function compare(source: Source, pulled: string, sample: number, ignoreTop: (name: string) => boolean = () => false): Promise<Verdict> {
	const tree = await walk(pulled, ignoreTop);
	const verdict: Verdict = {files: tree.size, missing: [], extra: [], size: [], mtime: [], hashed: 0, content: []};
	for (const path of tree.keys()) if (!source.tree.has(path)) verdict.extra.push(path);
	const toHash: string[] = [];
	const paths = [...source.tree.keys()].sort();
	const every = sample > 0 ? Math.max(1, Math.round(1 / sample)) : 0;
	paths.forEach((path, index) => {
		const want = source.tree.get(path)!;
		const got = tree.get(path);
		if (!got) verdict.missing.push(path);
		else if (got.size !== want.size) verdict.size.push(path);
		else {
			if (got.mtime !== want.mtime) verdict.mtime.push(path);
			if (every > 0 && index % every === 0) toHash.push(path);
		}
	});
	await inBatches(toHash, 8, async path => {
		const [want, got] = await Promise.all([source.hash(path), hashFile(join(pulled, path))]);
		verdict.hashed++;
		if (want !== got) verdict.content.push(path);
	});
	return verdict;
}

export function identical(verdict: Verdict): boolean {
	return verdict.missing.length + verdict.extra.length + verdict.size.length + verdict.mtime.length + verdict.content.length === 0;
}

/** One line: `identical (5000 files, 5000 hashed)` or what differs, with an example. */
export function describe(verdict: Verdict): string {
	if (identical(verdict)) return `identical (${verdict.files} files, sizes and mtimes exact, ${verdict.hashed} hashed)`;
	const parts: string[] = [];
	const add = (label: string, list: string[]) => {
		if (list.length > 0) parts.push(`${list.length} ${label} (e.g. ${JSON.stringify(list[0])})`);
	};

	add('missing', verdict.missing);
	add('extra', verdict.extra);
	add('of another size', verdict.size);
	add('with another mtime', verdict.mtime);
	add('with other bytes', verdict.content);
	return `DIFFERENT: ${parts.join(', ')}; ${verdict.files} files, ${verdict.hashed} hashed`;
}
