/**
 * Reading the end of the transfer log: only the last bytes of a file that may have grown to many
 * megabytes, into a bounded list of parsed lines. The log's fields are already escaped by the
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

