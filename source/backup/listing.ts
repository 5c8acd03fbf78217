/**
 * Initializing: walk the source tree on every connection at once, MLSD where the server has it,
 * else LIST plus MDTM for times exact to the second. Names are checked before they become
 * paths; refused names and symlinks are kept aside for the logs and the export. A folder deeper
 * than `maxDepth`, one that lists as its own ancestor (loops.ts), and one whose listing holds a
 * line that cannot be read are errors: the tree was not wholly listed.
 */
import {PackratError, ftpCode, replyText} from './errors.js';
import {clip} from './ftp/limits.js';
import {parseListing, type ListedEntry} from './listing-parse.js';
import {LoopWatch, defaultMaxDepth, type Ancestor, type Folder, type Listing} from './loops.js';
import {joinRemote} from './names.js';
import type {Pool, Slot} from './pool.js';
import {ReadyFolders} from './ready-folders.js';
import type {RemoteFile, ScanHooks, ScanResult} from './scan-types.js';
import {drain} from './work-queue.js';

export type {RemoteFile, ScanHooks, ScanResult, SkippedEntry} from './scan-types.js';

type Work = {kind: 'list'; folder: Folder} | {kind: 'mdtm'; files: RemoteFile[]};

/** Folders listed together with pipelined STATs, and MDTMs asked together, per round trip. */
const statBatch = 32;
const mdtmBatch = 100;

/** Unreadable lines of one listing written to the transfer log; the rest are counted. */
const unparsedLogged = 10;

/**
 * `STAT <folder>` answers with the LIST lines on the control connection, without a data
 * connection; it is used only for paths no server could read as options or patterns, and only
 * once the root's STAT was seen to match its LIST.
 */
export function statSafe(path: string): boolean {
	return !/^-|[*?[\]{}~\\]|^\s|\s$|\/\s|\s\//.test(path);
}

/** Same entries (names, kinds, sizes) in two listings of one folder. */
function sameEntries(a: Listing, b: Listing): boolean {
	const key = ({entries, unparsed}: Listing) => JSON.stringify([entries.map(entry => `${entry.kind} ${entry.size} ${entry.name}`).sort(), unparsed.length]);
	return key(a) === key(b);
}

export async function scan(pool: Pool, root: string, hooks: ScanHooks, {maxDepth = defaultMaxDepth} = {}): Promise<ScanResult> {
	const result: ScanResult = {files: [], skipped: [], folders: 0, folderParts: [], unlisted: []};
	let bytes = 0;
	const mlsd = pool.listing === 'MLSD';
	let useStat = false;
	let timeless: RemoteFile[] = [];

	// The folders one step made whole go to `ready` together once the step is done: a call per
	// folder (1,601 in the bench's small set, most holding a few files) cost about 25 ms of CPU.
	let whole: RemoteFile[][] = [];
	const ready = new ReadyFolders(hooks.ready && (async (files: RemoteFile[]) => void whole.push(files)));
	const flush = async () => {
		await ready.flush();
		if (whole.length === 0) return;
		const files = whole.length === 1 ? whole[0]! : whole.flat();
		whole = [];
		await hooks.ready!(files);
	};
	const addEntry = (entry: ListedEntry, directory: string, parts: string[], node: Ancestor, queue: Work[], mine: RemoteFile[]) => {
		const path = joinRemote(directory, entry.name);
		// concat, not a spread: a spread gives the array room for 22 elements (192 bytes a file at 100,000 files).
		const childParts = parts.concat(entry.name);
		if (entry.refused || entry.kind === 'symlink') {
			const reason = entry.refused ? `refused name: ${entry.refused}` : 'symlink, not followed';
			result.skipped.push({path, parts: childParts, size: entry.size, mtime: entry.mtime, reason, status: 'skipped', refused: Boolean(entry.refused)});
			hooks.log('WARN', entry.refused ? 'refused' : 'symlink', path, {reply: reason});
			return;
		}

		if (entry.kind === 'directory') {
			if (childParts.length > maxDepth) {
				notEntered(path, `it is ${childParts.length} folders below the root, deeper than maxDepth (${maxDepth}): not entered (packrat config set maxDepth N to go deeper)`, 'depth');
			} else {
				queue.push({kind: 'list', folder: {path, parts: childParts, parent: node}});
			}

			return;
		}

		const file: RemoteFile = {path, parts: childParts, size: entry.size, mtime: entry.mtime ?? Number.NaN};
		result.files.push(file);
		mine.push(file);
		bytes += entry.size;
		if (entry.mtime === undefined) {
			timeless.push(file);
			if (timeless.length >= mdtmBatch) {
				queue.push({kind: 'mdtm', files: timeless});
				timeless = [];
			}
		}
	};

	const notEntered = (path: string, reason: string, event: string) => {
		result.unlisted.push({path, reason});
		hooks.log('ERROR', event, path, {reply: reason});
	};

	/** A folder listed and taken as it is: its entries become files, skipped entries and folders to list. */
	const enter = (folder: Folder, {entries, unparsed}: Listing, node: Ancestor, started: number, queue: Work[], probed?: string) => {
		// The log cuts each line (limits.logField); the reason, shown in the error pane, quotes a shorter part.
		for (const line of unparsed.slice(0, unparsedLogged)) hooks.log('ERROR', 'unparsed', folder.path, {reply: line});
		if (unparsed.length > 0) {
			result.unlisted.push({path: folder.path, reason: `${unparsed.length} line(s) of its listing could not be read, so entries may be missing (first: "${clip(unparsed[0]!, 200)}")`});
		}

		result.folders++;
		if (folder.parts.length > 0) result.folderParts.push(folder.parts);
		hooks.log('INFO', 'list', folder.path, {bytes: entries.length, ms: Date.now() - started});
		const mine: RemoteFile[] = [];
		for (const entry of entries) {
			// The child a probe already listed is entered from there.
			if (entry.kind === 'directory' && entry.name === probed) probed = undefined;
			else addEntry(entry, folder.path, folder.parts, node, queue, mine);
		}

		ready.listed(mine);

		if (queue.length === 0 && timeless.length > 0) {
			queue.push({kind: 'mdtm', files: timeless});
			timeless = [];
		}

		hooks.onProgress(result.folders, result.files.length, bytes);
	};

	const loops = new LoopWatch<Work[]>(maxDepth, {
		enter: (held, queue) => enter(held.folder, held.listing, held.node, held.started, queue, held.probed),
		list: (folder, queue) => queue.push({kind: 'list', folder}),
		loop: (path, reason) => notEntered(path, reason, 'loop'),
	});
	const listed = (folder: Folder, listing: Listing, started: number, queue: Work[]) => loops.listed(folder, listing, started, queue);

	const refused = (folder: Folder, error: unknown, started: number, queue: Work[]) => {
		if (ftpCode(error) === undefined) throw error;
		loops.failed(folder, queue);
		if (folder.parts.length === 0) {
			throw new PackratError(`the root path ${folder.path} cannot be listed on the server (${replyText(error)}): check server.root`, 'config', 'server.root');
		}

		result.unlisted.push({path: folder.path, reason: replyText(error)});
		hooks.log('ERROR', 'list', folder.path, {ms: Date.now() - started, reply: replyText(error)});
	};

	const askTimes = async (files: RemoteFile[], slot: Slot) => {
		const started = Date.now();
		const times = await pool.attempt(slot, `MDTM ${files[0]!.path}`, async client => client.times(files.map(file => file.path)));
		files.forEach((file, index) => {
			const time = times[index]!;
			if (typeof time === 'number') file.mtime = time;
			else hooks.log('ERROR', 'mdtm', file.path, {ms: Date.now() - started, reply: replyText(time)});
		});
		ready.answered(files);
	};

	// The root is listed over a data connection, as LIST always works; where the server also
	// lists it by STAT, identically, the other folders are listed by STAT, several per round trip.
	const rootStarted = Date.now();
	const rootFolder: Folder = {path: root, parts: []};
	const queue: Work[] = [];
	const [first] = pool.slots;
	try {
		const listing = parseListing(await pool.attempt(first!, `list ${root}`, async client => client.listText(root, mlsd)), mlsd);
		if (!mlsd && statSafe(root)) {
			const [stat] = await pool.attempt(first!, `STAT ${root}`, async client => client.statListings([root]));
			useStat = typeof stat === 'string' && sameEntries(listing, parseListing(stat, false));
		}

		hooks.log('INFO', 'listing', root, {reply: mlsd ? 'MLSD' : useStat ? 'STAT (the control connection; LIST for the root)' : 'LIST'});
		hooks.root?.(listing.entries.filter(entry => !entry.refused).map(entry => entry.name));
		listed(rootFolder, listing, rootStarted, queue);
	} catch (error) {
		refused(rootFolder, error, rootStarted, queue);
	}

	await flush();
	const step = async (work: Work, slot: Slot, queue: Work[]) => {
		if (work.kind === 'mdtm') {
			await askTimes(work.files, slot);
			return;
		}

		const started = Date.now();
		if (!useStat || !statSafe(work.folder.path)) {
			let text: string;
			try {
				text = await pool.attempt(slot, `list ${work.folder.path}`, async client => client.listText(work.folder.path, mlsd));
			} catch (error) {
				refused(work.folder, error, started, queue);
				return;
			}

			listed(work.folder, parseListing(text, mlsd), started, queue);
			return;
		}

		const folders = [work.folder];
		while (folders.length < statBatch && queue.at(-1)?.kind === 'list' && statSafe((queue.at(-1) as {folder: Folder}).folder.path)) {
			folders.push((queue.pop() as {folder: Folder}).folder);
		}

		try {
			const texts = await pool.attempt(slot, `STAT ${work.folder.path}`, async client => client.statListings(folders.map(folder => folder.path)));
			folders.forEach((folder, index) => {
				const text = texts[index]!;
				if (typeof text === 'string') listed(folder, parseListing(text, mlsd), started, queue);
				else refused(folder, text, started, queue);
			});
		} catch (error) {
			queue.push(...folders.slice(1).map(folder => ({kind: 'list' as const, folder})));
			refused(work.folder, error, started, queue);
		}
	};

	await drain<Work, unknown>(pool, queue, async (work, slot, queue) => {
		await step(work, slot, queue);
		await flush();
	}, hooks.spare);

	if (timeless.length > 0) {
		await drain<Work, unknown>(pool, [{kind: 'mdtm', files: timeless}], async (work, slot) => {
			await askTimes((work as {files: RemoteFile[]}).files, slot);
			await flush();
		}, hooks.spare);
	}

	// A file whose time the server would not give cannot be compared: it is left out with its reason.
	const missing = result.files.filter(file => Number.isNaN(file.mtime));
	if (missing.length > 0) {
		result.files = result.files.filter(file => !Number.isNaN(file.mtime));
		for (const file of missing) {
			result.skipped.push({path: file.path, parts: file.parts, size: file.size, reason: 'the server gave no modification time (MDTM)', status: 'failed', refused: false});
		}
	}

	hooks.onProgress(result.folders, result.files.length, bytes);
	return result;
}
