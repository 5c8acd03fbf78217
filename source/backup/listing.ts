/**
 * Initializing: walk the source tree on every connection at once, MLSD where the server has it,
 * else LIST plus MDTM for times exact to the second. Names are checked before they become
 * paths; refused names and symlinks are kept aside for the logs and the export.
 */
import {PackratError, ftpCode, replyText} from './errors.js';
import {parseFtpTime, parseListing, type ListedEntry} from './listing-parse.js';
import {escapeControl, joinRemote} from './names.js';
import type {Pool, Slot} from './pool.js';
import {drain} from './work-queue.js';

export type RemoteFile = {
	/** The remote path, as the server spells it. */
	path: string;
	/** Path components below the root, each a checked name. */
	parts: string[];
	size: number;
	/** Seconds since the epoch. */
	mtime: number;
};

export type SkippedEntry = {path: string; parts: string[]; size: number; mtime?: number; reason: string; status: 'skipped' | 'failed'; refused: boolean};

export type ScanResult = {
	files: RemoteFile[];
	skipped: SkippedEntry[];
	folders: number;
	/** Every folder listed below the root, as path components, so empty ones are made too. */
	folderParts: string[][];
	/** Folders that could not be listed, with the reason; their files are missing from the estimate. */
	unlisted: Array<{path: string; reason: string}>;
};

export type ScanHooks = {
	onProgress: (folders: number, files: number, bytes: number) => void;
	log: (level: 'INFO' | 'WARN' | 'ERROR', event: string, path: string, detail?: {bytes?: number; ms?: number; reply?: string}) => void;
};

type Work = {kind: 'list'; path: string; parts: string[]} | {kind: 'mdtm'; file: RemoteFile};

async function listRaw(pool: Pool, slot: Slot, path: string): Promise<string> {
	return pool.attempt(slot, `list ${path}`, async client => {
		let text = '';
		client.parseList = (raw: string) => {
			text = raw;
			return [];
		};

		await client.list(path);
		return text;
	});
}

export async function scan(pool: Pool, root: string, hooks: ScanHooks): Promise<ScanResult> {
	const result: ScanResult = {files: [], skipped: [], folders: 0, folderParts: [], unlisted: []};
	let bytes = 0;
	const mlsd = pool.listing === 'MLSD';

	const addEntry = (entry: ListedEntry, directory: string, parts: string[], queue: Work[]) => {
		const path = joinRemote(directory, entry.name);
		const childParts = [...parts, entry.name];
		if (entry.refused || entry.kind === 'symlink') {
			const reason = entry.refused ? `refused name: ${entry.refused}` : 'symlink, not followed';
			result.skipped.push({path, parts: childParts, size: entry.size, mtime: entry.mtime, reason, status: 'skipped', refused: Boolean(entry.refused)});
			hooks.log('WARN', entry.refused ? 'refused' : 'symlink', path, {reply: reason});
			return;
		}

		if (entry.kind === 'directory') {
			queue.push({kind: 'list', path, parts: childParts});
			return;
		}

		const file: RemoteFile = {path, parts: childParts, size: entry.size, mtime: entry.mtime ?? Number.NaN};
		result.files.push(file);
		bytes += entry.size;
		if (entry.mtime === undefined) queue.push({kind: 'mdtm', file});
	};

	await drain<Work>(pool, [{kind: 'list', path: root, parts: []}], async (work, slot, queue) => {
		if (work.kind === 'mdtm') {
			const started = Date.now();
			try {
				const reply = await pool.attempt(slot, `MDTM ${work.file.path}`, async client => client.send(`MDTM ${work.file.path}`));
				work.file.mtime = parseFtpTime(reply.message.slice(4)) ?? Number.NaN;
			} catch (error) {
				if (ftpCode(error) === undefined) throw error;
				hooks.log('ERROR', 'mdtm', work.file.path, {ms: Date.now() - started, reply: replyText(error)});
			}

			return;
		}

		const started = Date.now();
		let text: string;
		try {
			text = await listRaw(pool, slot, work.path);
		} catch (error) {
			const code = ftpCode(error);
			if (code === undefined) throw error;
			if (work.parts.length === 0) {
				throw new PackratError(`the root path ${escapeControl(work.path)} cannot be listed on the server (${replyText(error)}): check server.root`, 'config', 'server.root');
			}

			result.unlisted.push({path: work.path, reason: replyText(error)});
			hooks.log('ERROR', 'list', work.path, {ms: Date.now() - started, reply: replyText(error)});
			return;
		}

		const {entries, unparsed} = parseListing(text, mlsd);
		for (const line of unparsed) hooks.log('WARN', 'unparsed', work.path, {reply: line});
		result.folders++;
		if (work.parts.length > 0) result.folderParts.push(work.parts);
		hooks.log('INFO', 'list', work.path, {bytes: entries.length, ms: Date.now() - started});
		for (const entry of entries) addEntry(entry, work.path, work.parts, queue);
		hooks.onProgress(result.folders, result.files.length, bytes);
	});

	// A file whose time the server would not give cannot be compared: it is left out with its reason.
	const timeless = result.files.filter(file => Number.isNaN(file.mtime));
	if (timeless.length > 0) {
		result.files = result.files.filter(file => !Number.isNaN(file.mtime));
		for (const file of timeless) {
			result.skipped.push({path: file.path, parts: file.parts, size: file.size, reason: 'the server gave no modification time (MDTM)', status: 'failed', refused: false});
		}
	}

	hooks.onProgress(result.folders, result.files.length, bytes);
	return result;
}
