/**
 * What a scan of the source tree gives (its files, what it kept aside, the folders it could not
 * list) and what it is told as it goes (listing.ts walks the tree).
 */
import type {Spare} from './work-queue.js';

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
	/** Folders not (wholly) listed, with the reason: refused, unreadable lines, too deep, a loop. */
	unlisted: Array<{path: string; reason: string}>;
};

export type ScanHooks = {
	onProgress: (folders: number, files: number, bytes: number) => void;
	log: (level: 'INFO' | 'WARN' | 'ERROR', event: string, path: string, detail?: {bytes?: number; ms?: number; reply?: string}) => void;
	/** The names at the top of the tree, once the root is listed (before any `ready`). */
	root?: (names: string[]) => void;
	/**
	 * The files of the folders a step of the scan made whole: listed, and the times of all of them
	 * known (those the server gave none are left out, as in the result). Awaited before the next step.
	 */
	ready?: (files: RemoteFile[]) => Promise<void>;
	/** Work for a connection the listing leaves idle (the downloads planned so far); the listing comes first. */
	spare?: Spare<unknown>;
};
