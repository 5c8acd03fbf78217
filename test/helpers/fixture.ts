/** Shared test set-up: temp folders, a job for an in-process server, and what a folder holds. */
import {mkdtemp, readdir, readFile, rm, lstat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {afterAll} from 'vitest';
import type {Job} from '../../source/backup/run.js';
import type {FtpTestServer} from '../../devtools/ftp-server.js';

const made: string[] = [];

afterAll(async () => {
	await Promise.all(made.map(async folder => rm(folder, {recursive: true, force: true})));
});

export async function tempDir(prefix = 'packrat-test-'): Promise<string> {
	const folder = await mkdtemp(join(tmpdir(), prefix));
	made.push(folder);
	return folder;
}

export function makeJob(server: Pick<FtpTestServer, 'port'>, backupFolder: string, overrides: Partial<Job> = {}): Job {
	const {server: serverOverrides, ...rest} = overrides;
	return {
		server: {host: '127.0.0.1', port: server.port, user: 'anonymous', password: 'x', tls: 'none', root: '/', timeoutMs: 10_000, ...serverOverrides},
		backupFolder,
		mode: 'incremental',
		latestOnly: false,
		connections: 3,
		keepSnapshots: 0,
		linkUnchanged: false,
		retries: 2,
		...rest,
	};
}

export type Held = Record<string, {text: string; mtime: number}>;

/** Every regular file below `folder` (packrat's own files left out unless asked), with text and mtime in seconds. */
export async function tree(folder: string, options: {own?: boolean} = {}): Promise<Held> {
	const result: Held = {};
	const walk = async (directory: string) => {
		for (const entry of await readdir(directory, {withFileTypes: true})) {
			const path = join(directory, entry.name);
			const rel = relative(folder, path);
			if (!options.own && (rel === '.packrat' || /^packrat-(transfer|errors)\.log|^packrat-export\.tsv$/.test(rel))) continue;
			if (entry.isDirectory()) await walk(path);
			else if (entry.isFile()) {
				const stat = await lstat(path);
				result[rel] = {text: await readFile(path, 'utf8'), mtime: Math.floor(stat.mtimeMs / 1000)};
			}
		}
	};

	await walk(folder);
	return result;
}

/** The export as rows of columns, header first. */
export async function exportRows(path: string): Promise<string[][]> {
	const text = await readFile(path, 'utf8');
	return text.trimEnd().split('\n').map(line => line.split('\t'));
}

export const seconds = (iso: string) => Date.parse(iso) / 1000;
