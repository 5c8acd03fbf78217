// Directory listings: vsftpd-style LIST lines and RFC 3659 MLSD/MLST facts, from lstat (symlinks are not followed).
import type {Stats} from 'node:fs';
import {lstat, readdir, readlink} from 'node:fs/promises';
import path from 'node:path';

export type Entry = {name: string; stats: Stats; target?: string};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS = 182 * 24 * 60 * 60 * 1000; // vsftpd's threshold
const OWNER = '1000'; // fixed, so listings are the same on every machine

export async function readEntry(fsPath: string, name: string): Promise<Entry> {
	const stats = await lstat(fsPath);
	const target = stats.isSymbolicLink() ? await readlink(fsPath) : undefined;
	return {name, stats, target};
}

/** The entries of a folder, dotfiles included, sorted by name (byte order, like vsftpd). */
export async function readEntries(folder: string): Promise<Entry[]> {
	const names = await readdir(folder);
	const entries = await Promise.all(
		names.map((name) => readEntry(path.join(folder, name), name).catch(() => undefined)),
	);
	return entries
		.filter((entry): entry is Entry => entry !== undefined)
		.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `-rw-r--r--    1 1000     1000         1234 Nov 20 03:00 name` (dates in UTC). */
export function listLine(entry: Entry, now: number = Date.now()): string {
	const {stats} = entry;
	const name = entry.target === undefined ? entry.name : `${entry.name} -> ${entry.target}`;
	return [
		typeLetter(stats) + permissions(stats.mode),
		String(stats.nlink).padStart(4),
		OWNER.padEnd(8),
		OWNER.padEnd(8),
		String(stats.size).padStart(8),
		listDate(statTime(stats), now),
		name,
	].join(' ');
}

/** `type=file;size=12;modify=20261120030000; name` */
export function mlsdLine(entry: Entry, name: string = entry.name): string {
	return `${facts(entry.stats)} ${name}`;
}

/**
 * The time of `stats` as a server on disk gives it: from `mtimeMs`, not `mtime`, which Node
 * rounds to the millisecond (a file at x.9996 s would be listed a second late, as no server does).
 */
export const statTime = (stats: Stats) => new Date(Math.floor(stats.mtimeMs));

/** `YYYYMMDDHHMMSS` in UTC, truncated to the second. */
export function ftpTime(date: Date): string {
	const seconds = Math.floor(date.getTime() / 1000) * 1000;
	return new Date(seconds).toISOString().slice(0, 19).replace(/\D/g, '');
}

function facts(stats: Stats): string {
	const modify = `modify=${ftpTime(statTime(stats))};`;
	if (stats.isDirectory()) return `type=dir;${modify}`;
	if (stats.isSymbolicLink()) return `type=OS.unix=slink;${modify}`;
	return `type=file;size=${stats.size};${modify}`;
}

function typeLetter(stats: Stats): string {
	if (stats.isDirectory()) return 'd';
	if (stats.isSymbolicLink()) return 'l';
	if (stats.isFIFO()) return 'p';
	if (stats.isSocket()) return 's';
	if (stats.isCharacterDevice()) return 'c';
	if (stats.isBlockDevice()) return 'b';
	return '-';
}

function permissions(mode: number): string {
	return [...'rwxrwxrwx'].map((letter, index) => (mode & (0o400 >> index) ? letter : '-')).join('');
}

function listDate(mtime: Date, now: number): string {
	const time = mtime.getTime();
	const day = `${MONTHS[mtime.getUTCMonth()]} ${pad(mtime.getUTCDate())}`;
	if (time > now || now - time > SIX_MONTHS) return `${day}  ${mtime.getUTCFullYear()}`;
	return `${day} ${pad(mtime.getUTCHours())}:${pad(mtime.getUTCMinutes())}`;
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}
