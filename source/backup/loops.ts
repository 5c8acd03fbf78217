/**
 * Endless trees (SPEC: What a broken or hostile server can never do): the depth limit, and
 * folders that list as one of their own ancestors. A server that follows a link to an ancestor,
 * or answers `LIST <folder>` with the listing of another folder, shows an endless tree; it is
 * told apart from an honest tree that merely repeats itself (`a/a/a`, with identical leaves) by
 * following the repetition down one path before calling it a loop.
 *
 * A folder's listing is compared with its ancestors' by its fingerprint (every entry: kind, name,
 * MLSD `unique` id, and for a file its size and time as the server wrote them), made only for
 * two listings of one shape (as many entries, folders and unreadable lines), the rest cannot be
 * alike: in an honest tree few are, so few fingerprints are ever made. A listing without a folder
 * cannot be an ancestor's (every ancestor holds the folder below it), nor lead anywhere deeper;
 * one with folders is kept by its node until its fingerprint is made, or its descendants are
 * listed (the scan goes depth first, so that is the listings of the folders above the ones
 * being listed), unless it is long: its fingerprint is made at once. A folder whose fingerprint
 * equals an ancestor's is held, not entered, and
 * only the child that mirrors the path below that ancestor is listed (a probe); while each level
 * keeps repeating the level one period up, the probe goes on. The repetition is a loop once it
 * has held for `proofLevels` levels (at once when every entry carries a `unique` id, which no two
 * folders share); the first level that differs proves the tree honest, and everything held is
 * entered as usual. A probe is one path, so a loop costs a few listings, not a tree of them.
 */
import * as crypto from 'node:crypto';
import type {ListedEntry} from './listing-parse.js';
import {joinRemote} from './names.js';

/** Folder levels below the root that are listed when the job sets no `maxDepth`. */
export const defaultMaxDepth = 64;

/**
 * A listed folder as its descendants see it: the shape of its listing, and the listing itself
 * until its fingerprint is made (only for a listing that holds a folder: no other is compared).
 */
export type Ancestor = {path: string; depth: number; shape: Shape; listing?: Listing; fingerprint?: string; parent?: Ancestor};

/** A listing longer than this is fingerprinted at once rather than kept (its subfolders can be many, and listed long after). */
const keptEntries = 256;

/** What two listings alike must have alike: their entries, the folders among them, their unreadable lines. */
export type Shape = {entries: number; folders: number; unparsed: number};

/** A listing as the scan holds it. */
export type Listing = {entries: ListedEntry[]; unparsed: string[]};

/** A folder to list: its ancestors, and the repetition it probes, if any. */
export type Folder = {path: string; parts: string[]; parent?: Ancestor; probe?: Suspicion};

/** A listed folder to enter; `probed` names the child a probe listed already. */
export type Held = {folder: Folder; listing: Listing; node: Ancestor; started: number; probed?: string};

/** The repetition one probe follows: the first folder that repeated, the ancestor it repeats, the period. */
export type Suspicion = {origin: string; ancestor: string; period: number; held: Held[]};

/** Levels of repetition that make a loop; an honest tree that repeats itself less deeply is entered. */
function proofLevels(period: number): number {
	return Math.max(8, 2 * period);
}

/** One entry as the fingerprint sees it. */
function entryKey(entry: ListedEntry): string {
	return entry.kind === 'directory' ? `d\t\t\t${entry.id ?? ''}\t${entry.name}` : `${entry.kind}\t${entry.size}\t${entry.mtime ?? entry.rawDate ?? ''}\t${entry.id ?? ''}\t${entry.name}`;
}

/** Entries by name, then by their whole key (a listing may name an entry twice): one order for any order they came in. */
function ordered(entries: ListedEntry[]): ListedEntry[] {
	// Servers mostly send names sorted: checked in one pass, sorted only when they are not.
	let sorted = true;
	for (let index = 1; index < entries.length && sorted; index++) sorted = entries[index - 1]!.name < entries[index]!.name;
	if (sorted) return entries;
	const keys = new Map(entries.map(entry => [entry, entryKey(entry)]));
	const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
	return [...entries].sort((a, b) => order(a.name, b.name) || order(keys.get(a)!, keys.get(b)!));
}

// One call for the whole text (Node 20.12+), else an object per hash: a call per entry, or a
// hash object per folder, cost more than the hashing.
const sha256 = (crypto as {hash?: typeof crypto.hash}).hash ? (text: string) => crypto.hash('sha256', text, 'base64') : (text: string) => crypto.createHash('sha256').update(text).digest('base64');

/** A listing's shape, counted in one pass. */
function shapeOf(listing: Listing): Shape {
	let folders = 0;
	for (const entry of listing.entries) if (entry.kind === 'directory') folders++;
	return {entries: listing.entries.length, folders, unparsed: listing.unparsed.length};
}

/** The fingerprint of a listing. */
function fingerprint(listing: Listing): string {
	// A folder's own size and time are left out: servers make them up (4096, the time of the
	// listing), and a repeated listing must be seen as one all the same. Each entry is preceded by
	// its length, tabs between its fields: ids holding tabs could make two entries alike, which a
	// server could do as easily by sending one listing twice.
	let text = `${listing.entries.length}\n`;
	for (const entry of ordered(listing.entries)) {
		const key = entryKey(entry);
		text += `${key.length}\n${key}`;
	}

	for (const line of listing.unparsed) text += `${line.length}\n${line}`;
	return sha256(text);
}

/** Every entry carries a `unique` id, which no two folders share. */
function identified(listing: Listing): boolean {
	return listing.entries.length > 0 && listing.entries.every(entry => entry.id !== undefined && entry.id !== '');
}

/** A node's fingerprint, made the first time it is asked for; its listing is let go then. */
function fingerprintOf(node: Ancestor): string {
	if (node.fingerprint === undefined) {
		node.fingerprint = fingerprint(node.listing!);
		node.listing = undefined;
	}

	return node.fingerprint;
}

/** Whether two listed folders listed alike: of one shape (holding a folder), then of one fingerprint. */
function alike(a: Ancestor, b: Ancestor): boolean {
	const [x, y] = [a.shape, b.shape];
	return x.folders > 0 && x.folders === y.folders && x.entries === y.entries && x.unparsed === y.unparsed && fingerprintOf(a) === fingerprintOf(b);
}

/** The nearest ancestor whose listing was the same. */
function repeatedAncestor(node: Ancestor): Ancestor | undefined {
	if (node.shape.folders === 0) return undefined;
	for (let at = node.parent; at; at = at.parent) if (alike(at, node)) return at;
	return undefined;
}

/** The ancestor `levels` above a folder. */
function above(node: Ancestor, levels: number): Ancestor | undefined {
	let at: Ancestor | undefined = node;
	for (let step = 0; step < levels && at; step++) at = at.parent;
	return at;
}

/** What the scan does for the watch: enter a folder, list one (a probe), report a loop. */
export type LoopSteps<Q> = {
	enter: (held: Held, queue: Q) => void;
	list: (folder: Folder, queue: Q) => void;
	loop: (path: string, reason: string) => void;
};

/** Every listed folder passes through here before it is entered. */
export class LoopWatch<Q> {
	constructor(private readonly maxDepth: number, private readonly steps: LoopSteps<Q>) {}

	listed(folder: Folder, listing: Listing, started: number, queue: Q): void {
		const shape = shapeOf(listing);
		const node: Ancestor = {path: folder.path, depth: folder.parts.length, shape, parent: folder.parent};
		if (shape.folders > 0 && shape.entries > keptEntries) node.fingerprint = fingerprint(listing);
		else if (shape.folders > 0) node.listing = listing;
		const held: Held = {folder, listing, node, started};
		if (folder.probe) {
			const repeated = above(node, folder.probe.period);
			if (repeated && alike(repeated, node)) {
				this.follow(folder.probe, held, queue);
				return;
			}

			this.release(folder.probe, queue);
		}

		const ancestor = repeatedAncestor(held.node);
		if (ancestor) this.follow({origin: folder.path, ancestor: ancestor.path, period: held.node.depth - ancestor.depth, held: []}, held, queue);
		else this.steps.enter(held, queue);
	}

	/** A probe that could not be listed proves nothing: what it held is entered. */
	failed(folder: Folder, queue: Q): void {
		if (folder.probe) this.release(folder.probe, queue);
	}

	/** Hold a folder that repeats the level a period up and probe its mirrored child, or call it a loop. */
	private follow(suspicion: Suspicion, held: Held, queue: Q): void {
		const {folder, listing, node} = held;
		// The child with the name the path took below the repeated level, when the listing holds it as a folder.
		const next = folder.parts[folder.parts.length - suspicion.period];
		if (!listing.entries.some(entry => entry.kind === 'directory' && entry.name === next && !entry.refused)) {
			this.release(suspicion, queue);
			this.steps.enter(held, queue);
			return;
		}

		suspicion.held.push({...held, probed: next});
		if (identified(listing) || suspicion.held.length >= proofLevels(suspicion.period) || folder.parts.length >= this.maxDepth) {
			const levels = suspicion.held.length;
			this.steps.loop(suspicion.origin, `lists as its ancestor ${suspicion.ancestor} (the same entries${levels > 1 ? `, repeated over ${levels} levels` : ''}): a loop, not entered`);
			return;
		}

		this.steps.list({path: joinRemote(folder.path, next!), parts: folder.parts.concat(next!), parent: node, probe: suspicion}, queue);
	}

	/** Everything a probe held is an honest tree after all: enter it. */
	private release(suspicion: Suspicion, queue: Q): void {
		for (const held of suspicion.held.splice(0)) this.steps.enter(held, queue);
	}
}
