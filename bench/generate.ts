/**
 * Writes a data set to disk once and reuses it while its manifest matches the spec. File bytes
 * come from AES-256-CTR keyed by the seed and the path: deterministic, incompressible and fast.
 */
import {createCipheriv, createHash} from 'node:crypto';
import {mkdir, open, readFile, rm, utimes, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import type {FileSpec, SetSpec} from './layout.js';

const chunk = 4 * 1024 * 1024;
const zeros = Buffer.alloc(chunk);
const generatorVersion = 1;

export type Manifest = {version: number; seed: number; digest: string; files: number; folders: number; bytes: number};

function keystream(seed: number, path: string) {
	const key = createHash('sha256').update(`${seed}/${path}`).digest();
	return createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
}

function digestOf(spec: SetSpec): string {
	const hash = createHash('sha256');
	for (const file of spec.files) hash.update(`${file.path}\0${file.size}\0${file.mtime}\n`);
	for (const folder of spec.folders) hash.update(`${folder}/\n`);
	return hash.digest('hex');
}

async function writeOne(root: string, seed: number, file: FileSpec): Promise<void> {
	const target = join(root, file.path);
	const cipher = keystream(seed, file.path);
	if (file.size <= chunk) {
		await writeFile(target, cipher.update(zeros.subarray(0, file.size)), {mode: 0o644});
	} else {
		const handle = await open(target, 'w', 0o644);
		try {
			for (let done = 0; done < file.size; done += chunk) {
				await handle.write(cipher.update(zeros.subarray(0, Math.min(chunk, file.size - done))));
			}
		} finally {
			await handle.close();
		}
	}

	await utimes(target, file.mtime, file.mtime);
}

/** The bytes a file of the set must hold (for checks). */
export function expectedBytes(seed: number, file: FileSpec): Buffer {
	return keystream(seed, file.path).update(Buffer.alloc(file.size));
}

/** Every folder of the set, parents included. */
function allFolders(spec: SetSpec): Set<string> {
	const folders = new Set<string>();
	for (const path of [...spec.folders, ...spec.files.map(file => dirname(file.path))]) {
		for (let folder = path; folder !== '.' && folder !== '' && !folders.has(folder); folder = dirname(folder)) folders.add(folder);
	}

	return folders;
}

export async function ensureSet(dataDir: string, spec: SetSpec, seed: number, log: (line: string) => void): Promise<{root: string; manifest: Manifest}> {
	const root = join(dataDir, 'sets', spec.name);
	const manifestPath = `${root}.json`;
	const manifest: Manifest = {
		version: generatorVersion, seed, digest: digestOf(spec), files: spec.files.length,
		folders: allFolders(spec).size,
		bytes: spec.files.reduce((sum, file) => sum + file.size, 0),
	};
	const existing = await readFile(manifestPath, 'utf8').then(text => JSON.parse(text) as Manifest, () => undefined);
	if (existing && existing.digest === manifest.digest && existing.version === generatorVersion) return {root, manifest};

	const started = Date.now();
	log(`generating ${spec.name}: ${manifest.files} files in ${manifest.folders} folders, ${(manifest.bytes / 1024 / 1024).toFixed(0)} MiB …`);
	await rm(manifestPath, {force: true});
	await rm(root, {recursive: true, force: true});
	await mkdir(root, {recursive: true, mode: 0o755});
	for (const folder of [...allFolders(spec)].sort()) await mkdir(join(root, folder), {mode: 0o755});
	const queue = [...spec.files];
	await Promise.all(Array.from({length: 16}, async () => {
		for (let file = queue.pop(); file; file = queue.pop()) await writeOne(root, seed, file);
	}));
	await writeFile(manifestPath, JSON.stringify(manifest));
	log(`generated ${spec.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return {root, manifest};
}
