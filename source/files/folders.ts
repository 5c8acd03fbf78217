/**
 * The file system side of the folder chooser: the folders in a folder (bounded), where browsing
 * starts, and making a new folder from a typed name.
 */
import {mkdir, readdir, stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import {dirname, join, resolve} from 'node:path';

export const maxEntries = 2000;

export type Listing = {folders: string[]; more: number; error?: string};

/** The folders directly in `folder` (links to folders included), visible ones first, each group sorted. */
export async function listFolders(folder: string): Promise<Listing> {
	let entries;
	try {
		entries = await readdir(folder, {withFileTypes: true});
	} catch (error) {
		return {folders: [], more: 0, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message};
	}

	const folders: string[] = [];
	for (const entry of entries) {
		if (entry.isDirectory()) folders.push(entry.name);
		else if (entry.isSymbolicLink()) {
			const target = await stat(join(folder, entry.name)).catch(() => undefined);
			if (target?.isDirectory()) folders.push(entry.name);
		}
	}

	const order = (a: string, b: string) => Number(a.startsWith('.')) - Number(b.startsWith('.')) || a.localeCompare(b);
	folders.sort(order);
	return {folders: folders.slice(0, maxEntries), more: Math.max(0, folders.length - maxEntries)};
}

/** Where browsing starts: the backup folder, or the nearest folder above it that exists, or home. */
export async function startFolder(backupFolder: string | undefined): Promise<string> {
	let candidate = backupFolder ? resolve(backupFolder) : homedir();
	for (;;) {
		const found = await stat(candidate).catch(() => undefined);
		if (found?.isDirectory()) return candidate;
		const parent = dirname(candidate);
		if (parent === candidate) return homedir();
		candidate = parent;
	}
}

/** Why a typed name cannot be a new folder, or undefined. */
export function refuseFolderName(name: string): string | undefined {
	if (name.trim() === '') return 'type a name';
	if (name === '.' || name === '..') return 'that name is taken by the folder itself or its parent';
	if (name.includes('/') || name.includes('\0')) return 'a folder name cannot hold "/"';
	if (Buffer.byteLength(name) > 255) return 'the name is longer than 255 bytes';
	return undefined;
}

/** Make `name` in `parent`; returns its path, or throws an Error whose message is one line. */
export async function makeFolder(parent: string, name: string): Promise<string> {
	const refused = refuseFolderName(name);
	if (refused) throw new Error(refused);
	const path = join(parent, name);
	try {
		await mkdir(path, {mode: 0o755});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new Error(code === 'EEXIST' ? `${name} already exists` : `cannot make ${path} (${code ?? (error as Error).message})`);
	}

	return path;
}
