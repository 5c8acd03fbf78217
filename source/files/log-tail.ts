/**
 * Reading the end of the transfer log (and of the run history): only the last bytes of a file
 * that may have grown to many megabytes, into a bounded list of parsed lines. The log's fields are already escaped by the
 * engine; any control character left is escaped again here, so no line can move the cursor.
 */
import {open} from 'node:fs/promises';
import {withoutControl} from '../backup/names.js';

export {transferLogPath} from '../backup/logs.js';

export type LogLine = {time: string; level: string; event: string; path: string; bytes: string; ms: string; reply: string};

export type LogTail = {lines: LogLine[]; size: number; truncated: boolean; missing: boolean};

export const tailBytes = 256 * 1024;
export const maxLines = 4000;

export function parseLogLine(line: string): LogLine {
	const [time = '', level = '', event = '', path = '', bytes = '', ms = '', ...reply] = line.split('\t');
	if (!/^\d{4}-\d\d-\d\dT/.test(time)) return {time: '', level: '', event: '', path: '', bytes: '', ms: '', reply: withoutControl(line)};
	return {time, level: withoutControl(level), event: withoutControl(event), path: withoutControl(path), bytes: withoutControl(bytes), ms: withoutControl(ms), reply: withoutControl(reply.join(' '))};
}

/** The last `limit` bytes of a file as whole lines (the first, cut, line dropped), and the file's size. */
export async function readTailText(path: string, limit = tailBytes): Promise<{text: string; size: number; truncated: boolean}> {
	const handle = await open(path, 'r');
	try {
		const {size} = await handle.stat();
		const length = Math.min(size, limit);
		const buffer = Buffer.alloc(length);
		await handle.read(buffer, 0, length, size - length);
		let text = buffer.toString('utf8');
		const truncated = length < size;
		if (truncated) text = text.slice(text.indexOf('\n') + 1);
		return {text, size, truncated};
	} finally {
		await handle.close();
	}
}

export type TailLines = {lines: string[]; size: number; bytesRead: number; truncated: boolean};

/**
 * The last `count` lines of a file (oldest first, empty lines left out), read backwards from its
 * end a chunk at a time until enough lines have come: a file of any size costs only the bytes of
 * those lines and part of one chunk. `flags` opens it (packrat's own files: without following a
 * symlink); only a regular file is read.
 */
export async function readTailLines(path: string, count: number, options: {chunk?: number; flags?: number | string} = {}): Promise<TailLines> {
	const handle = await open(path, options.flags ?? 'r');
	try {
		const found = await handle.stat();
		if (!found.isFile()) throw Object.assign(new Error(`${path} is not a file`), {code: 'EINVAL'});
		const chunk = Math.max(1, options.chunk ?? 64 * 1024);
		const parts: Buffer[] = [];
		let position = found.size;
		let newlines = 0;
		// count + 1 line ends: the line after the first one found is whole.
		while (position > 0 && newlines <= count) {
			const length = Math.min(chunk, position);
			position -= length;
			const buffer = Buffer.alloc(length);
			const {bytesRead} = await handle.read(buffer, 0, length, position);
			const part = buffer.subarray(0, bytesRead);
			parts.unshift(part);
			for (let at = part.indexOf(10); at !== -1; at = part.indexOf(10, at + 1)) newlines++;
		}

		let text = Buffer.concat(parts).toString('utf8');
		if (position > 0) text = text.slice(text.indexOf('\n') + 1);
		const lines = text.split('\n').filter(line => line.trim().length > 0);
		return {lines: lines.slice(-count), size: found.size, bytesRead: found.size - position, truncated: position > 0 || lines.length > count};
	} finally {
		await handle.close();
	}
}

/** The tail of a log as parsed lines, oldest first, never more than `lines` of them. */
export async function readLogTail(path: string, options: {bytes?: number; lines?: number} = {}): Promise<LogTail> {
	try {
		const {text, size, truncated} = await readTailText(path, options.bytes ?? tailBytes);
		const all = text.split('\n').filter(line => line.length > 0);
		const limit = options.lines ?? maxLines;
		return {lines: all.slice(-limit).map(parseLogLine), size, truncated: truncated || all.length > limit, missing: false};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {lines: [], size: 0, truncated: false, missing: true};
		throw error;
	}
}

