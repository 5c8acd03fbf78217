// ftp-srv's FileSystem, with a path resolution that keeps backslashes (ftp-srv turns `\` into `/`).
import path from 'node:path';
import {FileSystemClass, type Connection, type FileSystem} from './internals.js';

export function createFileSystem(connection: Connection, root: string): FileSystem {
	const fileSystem = new FileSystemClass(connection, {root, cwd: '/'});
	fileSystem._resolvePath = (given = '.') => resolvePath(fileSystem.root, fileSystem.cwd, given);
	return fileSystem;
}

/** Resolves a client path against the working folder; `..` never climbs above the root. */
export function resolvePath(root: string, cwd: string, given: string): {clientPath: string; fsPath: string} {
	const clientPath = path.posix.isAbsolute(given)
		? path.posix.normalize(given)
		: path.posix.join('/', cwd, given);
	return {clientPath, fsPath: path.join(root, clientPath)};
}
