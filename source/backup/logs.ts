/**
 * The two logs every run leaves in the backup folder: `packrat-transfer.log`, one tab-separated
 * line per event, rotated by size; and `packrat-errors.log`, every error shown in the error pane.
 * Fields are escaped, so no remote name can forge a line, and cut to a sane length (limits.ts),
 * so no server reply or listing line can fill the disk through them.
 */
import {closeSync, constants, lstatSync, openSync, renameSync, statSync, writeSync} from 'node:fs';
import {PackratError} from './errors.js';
import {join} from 'node:path';
import {clip, limits} from './ftp/limits.js';
import {escapeControl} from './names.js';

export const transferLogName = 'packrat-transfer.log';
export const errorLogName = 'packrat-errors.log';
export const maxLogBytes = 10 * 1024 * 1024;
export const keptRotations = 3;

/** Append, create owner-only, and never through a symlink placed under the log's name. */
export const appendNoFollow = {mode: 0o600, flag: constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW};

export function appendSafely(path: string, text: string): void {
	const fd = openSync(path, appendNoFollow.flag, appendNoFollow.mode);
	try {
		writeSync(fd, text);
	} finally {
		closeSync(fd);
	}
}

export type Level = 'INFO' | 'WARN' | 'ERROR';
export type LogDetail = {bytes?: number; ms?: number; reply?: string};

function isSymlink(path: string): boolean {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

/** Rename `log` → `log.1` → `log.2` … when it has grown past `limit`. */
export function rotate(path: string, limit = maxLogBytes): void {
	let size = 0;
	try {
		size = statSync(path).size;
	} catch {
		return;
	}

	if (size < limit) return;
	for (let index = keptRotations - 1; index >= 1; index--) {
		try {
			renameSync(`${path}.${index}`, `${path}.${index + 1}`);
		} catch {
			// That rotation does not exist yet.
		}
	}

	renameSync(path, `${path}.1`);
}

/** Where the transfer log of a backup folder is (the value of `PACKRAT_LOG` for the after-run hook). */
export function transferLogPath(folder: string): string {
	return join(folder, transferLogName);
}

/** A path for a log line: cut past `limits.logPath`, escaped. */
const pathField = (path: string) => escapeControl(clip(path, limits.logPath));
/** A reply, a reason or an unparsed line for a log line: cut past `limits.logField`, escaped. */
const textField = (text: string) => escapeControl(clip(text, limits.logField));

/** A transfer log line after its time: level, event, remote path, bytes, ms, reply. */
function logFields(level: Level, event: string, path: string, detail: LogDetail): string {
	return `${level}\t${event}\t${pathField(path)}\t${detail.bytes ?? ''}\t${detail.ms ?? ''}\t${detail.reply === undefined ? '' : textField(detail.reply)}`;
}

/** A transfer log line: time, level, event, remote path, bytes, ms, reply. */
export function formatLogLine(time: Date, level: Level, event: string, path: string, detail: LogDetail = {}): string {
	return `${time.toISOString()}\t${logFields(level, event, path, detail)}`;
}

/** Buffers lines and appends them in batches: a line per file must not cost a write per file. */
export class RunLogs {
	readonly transferPath: string;
	readonly errorPath: string;
	private buffer = '';
	private lines = 0;
	private written = 0;
	/** The last line's time, and its text: lines come many to a millisecond. */
	private lastMs = Number.NaN;
	private lastTime = '';

	constructor(folder: string, private readonly now: () => Date = () => new Date()) {
		this.transferPath = transferLogPath(folder);
		this.errorPath = join(folder, errorLogName);
		for (const path of [this.transferPath, this.errorPath]) {
			if (isSymlink(path)) throw new PackratError(`the log ${path} is a symlink, and packrat never writes through a link in the backup folder: remove it`, 'local');
			rotate(path);
		}
	}

	transfer(level: Level, event: string, path: string, detail: LogDetail = {}): void {
		const time = this.now();
		if (time.getTime() !== this.lastMs) {
			this.lastMs = time.getTime();
			this.lastTime = time.toISOString();
		}

		this.buffer += `${this.lastTime}\t${logFields(level, event, path, detail)}\n`;
		if (++this.lines >= 200) this.flush();
	}

	/** An error for the error pane: in the transfer log and in the error log. */
	error(event: string, path: string, message: string): void {
		this.transfer('ERROR', event, path, {reply: message});
		appendSafely(this.errorPath, `${this.now().toISOString()}\t${pathField(path)}\t${textField(message)}\n`);
	}

	flush(): void {
		if (this.lines === 0) return;
		const text = this.buffer;
		this.buffer = '';
		this.lines = 0;
		appendSafely(this.transferPath, text);
		this.written += text.length;
		if (this.written > maxLogBytes) {
			rotate(this.transferPath);
			this.written = 0;
		}
	}
}
