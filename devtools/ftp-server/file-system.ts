// ftp-srv's FileSystem, with a path resolution that keeps backslashes (ftp-srv turns `\` into `/`),
// and downloads that can be made to break part-way or to go at a chosen pace.
import path from 'node:path';
import {Transform} from 'node:stream';
import {FileSystemClass, type Connection, type FileSystem} from './internals.js';
import {paced} from './pace.js';

/** Downloads that fail part-way: after `afterBytes` of a file the server's read fails (ftp-srv then answers 551), `times` times in all. */
export type BreakReads = {afterBytes: number; times: number};

export type ReadOptions = {breakReads?: BreakReads; paceBytesPerSecond?: number};

export function createFileSystem(connection: Connection, root: string, {breakReads, paceBytesPerSecond}: ReadOptions = {}): FileSystem {
	const fileSystem = new FileSystemClass(connection, {root, cwd: '/'});
	fileSystem._resolvePath = (given = '.') => resolvePath(fileSystem.root, fileSystem.cwd, given);
	if (paceBytesPerSecond) {
		const read = fileSystem.read.bind(fileSystem);
		fileSystem.read = async (fileName, options) => {
			const opened = await read(fileName, options);
			return {...opened, stream: paced(opened.stream, paceBytesPerSecond)};
		};
	}

	if (breakReads) {
		const read = fileSystem.read.bind(fileSystem);
		fileSystem.read = async (fileName, options) => {
			const opened = await read(fileName, options);
			if (breakReads.times <= 0) return opened;
			breakReads.times--;
			let sent = 0;
			const broken = new Transform({
				transform(chunk: Buffer, _encoding, callback) {
					const room = breakReads.afterBytes - sent;
					sent += chunk.length;
					if (room >= chunk.length) return callback(null, chunk);
					if (room > 0) this.push(chunk.subarray(0, room));
					opened.stream.destroy();
					callback(new Error('read error on the server disk (test)'));
				},
			});
			return {...opened, stream: opened.stream.pipe(broken)};
		};
	}

	return fileSystem;
}

/** Resolves a client path against the working folder; `..` never climbs above the root. */
export function resolvePath(root: string, cwd: string, given: string): {clientPath: string; fsPath: string} {
	const clientPath = path.posix.isAbsolute(given)
		? path.posix.normalize(given)
		: path.posix.join('/', cwd, given);
	return {clientPath, fsPath: path.join(root, clientPath)};
}
