// The demo's server, made to show what a real one does: it sends each file at a modest pace, so
// a first run lasts long enough to read the progress; it refuses one file (550), which the error
// pane shows; it offers HASH, so Verify compares hashes. And the demo's change between runs: each
// time the window records a run (a new line in the backup folder's history), one project file on
// the server gets new content and a new modification time, so the next run downloads it and
// keeps the older copy beside it (`keep-older` in the transfer log).
import {watchFile, unwatchFile} from 'node:fs';
import {appendFile, utimes} from 'node:fs/promises';
import path from 'node:path';
import type {FtpServerOptions} from './ftp-server.js';

/** Per data connection: with 4 connections the 17 MB of the sample take about 15 s. */
export const demoPace = 256 * 1024;

/** The file the server will not let anyone read. */
export const deniedFile = '/dan smith/Archive 2024/old project (2).zip';

/** The options of the demo's server over `root`. */
export function demoServerOptions(root: string, tls: FtpServerOptions['tls']): FtpServerOptions {
	return {root, mlsd: true, tls, user: 'demo', password: 'demo', hash: 'HASH', paceBytesPerSecond: demoPace, deniedReads: [deniedFile]};
}

/** The file the demo edits, below the served root. */
export const editedFile = 'alice/Website/notes.txt';

/** Add a line to `name` under `root` and give it the modification time `at`. */
export async function editFile(root: string, name: string, at = new Date()): Promise<void> {
	const file = path.join(root, ...name.split('/'));
	await appendFile(file, `edited between two runs of the demo, at ${at.toISOString()}\n`);
	await utimes(file, at, at);
}

/** Call `onRun` each time the history file grows (a run ended); `stop` ends the watch. */
export function afterEachRun(history: string, onRun: () => void | Promise<void>, intervalMs = 300): {stop: () => void} {
	const listener = (now: {size: number}, before: {size: number}) => {
		if (now.size > before.size) void Promise.resolve(onRun()).catch(() => undefined);
	};

	watchFile(history, {interval: intervalMs, persistent: false}, listener);
	return {stop: () => unwatchFile(history, listener)};
}
