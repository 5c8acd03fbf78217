/**
 * Counting and timing from inside a packrat run, without touching the engine: every FTP request
 * (each command written by the engine's Control, timed from its write to its final reply, so a
 * pipelined command's time includes the wait for those before it) and every call into node:fs
 * and node:fs/promises, FileHandle methods included, by name, with its latency.
 */
import {createRequire, syncBuiltinESMExports} from 'node:module';
import {performance} from 'node:perf_hooks';
import {Control} from '../source/backup/ftp/control.js';

export type Tally = Map<string, {count: number; ms: number; errors: number}>;

const require = createRequire(import.meta.url);

function add(tally: Tally, name: string, ms: number, error: boolean): void {
	const entry = tally.get(name) ?? {count: 0, ms: 0, errors: 0};
	entry.count++;
	entry.ms += ms;
	if (error) entry.errors++;
	tally.set(name, entry);
}

type AnyFunction = (...args: unknown[]) => unknown;

/** Count `label` when `promise` settles, with the time since `started`; the promise's outcome is passed on. */
function timed<T>(promise: Promise<T>, tally: Tally, label: string, started: number): Promise<T> {
	return promise.then(
		value => {
			add(tally, label, performance.now() - started, false);
			return value;
		},
		(error: unknown) => {
			add(tally, label, performance.now() - started, true);
			throw error;
		},
	);
}

function wrap(target: Record<string, unknown>, name: string, label: string, tally: Tally): () => void {
	const original = target[name] as AnyFunction | undefined;
	if (typeof original !== 'function') return () => undefined;
	target[name] = function (this: unknown, ...args: unknown[]) {
		const started = performance.now();
		try {
			const result = original.apply(this, args);
			if (result instanceof Promise) return timed(result, tally, label, started);

			add(tally, label, performance.now() - started, false);
			return result;
		} catch (error) {
			add(tally, label, performance.now() - started, true);
			throw error;
		}
	};
	return () => {
		target[name] = original;
	};
}

const asyncCalls = ['access', 'lstat', 'stat', 'readFile', 'writeFile', 'appendFile', 'rm', 'unlink', 'rename', 'utimes', 'truncate', 'mkdir', 'open', 'link', 'readdir'];
const syncCalls = ['openSync', 'writeSync', 'writevSync', 'futimesSync', 'closeSync', 'lstatSync', 'statSync', 'renameSync', 'linkSync', 'unlinkSync', 'mkdirSync', 'writeFileSync', 'fsyncSync', 'createWriteStream'];
const callbackCalls = ['open', 'writev', 'futimes', 'close'];

const handleCalls = ['read', 'write', 'writev', 'writeFile', 'utimes', 'truncate', 'stat', 'sync', 'datasync', 'close', 'chmod'];

/** Start counting; returns the tallies and a function that puts everything back. */
export async function instrument(): Promise<{ftp: Tally; fs: Tally; restore: () => void}> {
	const ftp: Tally = new Map();
	const fs: Tally = new Map();
	const promises = require('node:fs/promises') as Record<string, unknown> & {open: (path: string) => Promise<{close(): Promise<void>}>};
	const sync = require('node:fs') as Record<string, unknown>;
	// FileHandle is not exported: take its prototype from a handle.
	const handle = await promises.open('/dev/null');
	const handlePrototype = Object.getPrototypeOf(handle) as Record<string, unknown>;
	await handle.close();
	const restores = [
		...asyncCalls.map(name => wrap(promises, name, name, fs)),
		...syncCalls.map(name => wrap(sync, name, name, fs)),
		...callbackCalls.map(name => wrap(sync, name, `${name} (callback)`, fs)),
		...handleCalls.map(name => wrap(handlePrototype, name, `FileHandle.${name}`, fs)),
	];
	syncBuiltinESMExports();
	const prototype = Control.prototype as unknown as Record<string, unknown>;
	const request = prototype['sendAll'] as (this: unknown, commands: string[], ...rest: unknown[]) => Array<Promise<unknown>>;
	prototype['sendAll'] = function (this: unknown, commands: string[], ...rest: unknown[]) {
		const started = performance.now();
		return request.call(this, commands, ...rest).map((reply, index) => timed(reply, ftp, commands[index]!.split(' ')[0]!.toUpperCase(), started));
	};
	return {
		ftp, fs,
		restore() {
			for (const restore of restores) restore();
			syncBuiltinESMExports();
			prototype['sendAll'] = request;
		},
	};
}
