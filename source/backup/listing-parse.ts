/**
 * Directory listings, parsed here rather than by basic-ftp so that every name reaches the
 * engine exactly as the server sent it (leading and trailing spaces, `..`, a `/`, a carriage
 * return, U+2028), to be checked and logged instead of silently dropped or trusted. Only LF ends
 * a line; a line that fits no format is returned as unparsed, never guessed at.
 */
import {refuseName} from './names.js';

export type EntryKind = 'file' | 'directory' | 'symlink';

export type ListedEntry = {
	name: string;
	kind: EntryKind;
	size: number;
	/** Seconds since the epoch, exact: only from MLSD `modify`. */
	mtime?: number;
	/** The LIST line's date as the server wrote it; never trusted to the second. */
	rawDate?: string;
	/** Why the name is refused; the entry is then logged and never turned into a path. */
	refused?: string;
	/** The MLSD `unique` fact: the same for every path to one folder or file on the server. */
	id?: string;
};

/** `20261120030000` or `20261120030000.123` (UTC) → seconds since the epoch. */
export function parseFtpTime(text: string): number | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?$/.exec(text.trim());
	if (!match) return undefined;
	const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
	return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) / 1000;
}

/** An entry, `null` for the `cdir`/`pdir` lines, or undefined when the line is not `fact=value;… name`. */
function mlsdLine(line: string): ListedEntry | null | undefined {
	const space = line.indexOf(' ');
	if (space < 0) return undefined;
	const name = line.slice(space + 1);
	const facts = new Map<string, string>();
	for (const fact of line.slice(0, space).split(';')) {
		if (fact === '') continue;
		const equals = fact.indexOf('=');
		if (equals <= 0) return undefined;
		facts.set(fact.slice(0, equals).toLowerCase(), fact.slice(equals + 1));
	}

	const type = facts.get('type')?.toLowerCase();
	const size = facts.get('size');
	if (type === undefined || type === '' || (size !== undefined && !/^\d+$/.test(size))) return undefined;
	if (type === 'cdir' || type === 'pdir') return null;
	const kind: EntryKind = type === 'dir' ? 'directory' : type === 'file' ? 'file' : type.includes('link') ? 'symlink' : 'file';
	const modify = facts.get('modify');
	return {name, kind, size: Number(size ?? 0), mtime: modify ? parseFtpTime(modify) : undefined, id: facts.get('unique')};
}

// Type and permissions, links, owner, group, size, date (`Nov 20` or `2026-11-20`), time or year, then one space and the name
// (`s`: a name may hold a CR, U+2028 or U+2029, which `.` alone would not match).
const unixLine =
	/^([-dlbcps])[-rwxsStTL]{9}[+@.]?\s+\d+\s+(?:\S+\s+){1,4}?(\d+)\s+((?:\S{3}\s+\d{1,2}|\d{1,2}\s+\S{3}|\d{4}-\d{2}-\d{2})\s+(?:\d{1,2}:\d{2}|\d{4}))\s(.*)$/s;

/** An entry, `null` for the `.` and `..` of `LIST -a`, or undefined when the line is not of this format. */
function unixListLine(line: string): ListedEntry | null | undefined {
	const match = unixLine.exec(line);
	if (!match) return undefined;
	const [, type, size, date, rest] = match as unknown as [string, string, string, string, string];
	const kind: EntryKind = type === 'd' ? 'directory' : type === 'l' ? 'symlink' : 'file';
	const name = kind === 'symlink' && rest.includes(' -> ') ? rest.slice(0, rest.indexOf(' -> ')) : rest;
	if (kind === 'directory' && (name === '.' || name === '..')) return null;
	return {name, kind, size: Number(size), rawDate: date.replace(/\s+/g, ' ')};
}

// `11-20-26  03:00AM  <DIR>  name` or `… 1234 name`
const dosLine = /^(\d{2}-\d{2}-\d{2,4}\s+\d{2}:\d{2}[AP]M)\s+(<DIR>|\d+)\s(.*)$/is;

function dosListLine(line: string): ListedEntry | undefined {
	const match = dosLine.exec(line);
	if (!match) return undefined;
	const [, date, sizeOrDir, name] = match as unknown as [string, string, string, string];
	const directory = sizeOrDir.toUpperCase() === '<DIR>';
	return {name: name.replace(/^ +/, ''), kind: directory ? 'directory' : 'file', size: directory ? 0 : Number(sizeOrDir), rawDate: date};
}

/**
 * A name that holds nothing of the listing it was cut from. V8 cuts a string of 13 characters or
 * more as a view of the whole text, so every kept name kept its folder's whole listing alive (about
 * 8 MiB of listings at 100,000 files); the copy holds the name alone, for some 40 ns a name.
 */
function ownCopy(name: string): string {
	return name.length < 13 ? name : (` ${name}`).slice(1);
}

/** Lines that match no known listing format. */
export type Unparsed = string[];

/**
 * Parse a whole listing; lines that fit no format come back in `unparsed`, so that the caller can
 * say the folder was not wholly read. Lines end at LF (a CR before it is dropped); a CR or a
 * unicode line separator anywhere else is part of a name.
 */
export function parseListing(text: string, mlsd: boolean): {entries: ListedEntry[]; unparsed: Unparsed} {
	const entries: ListedEntry[] = [];
	const unparsed: Unparsed = [];
	for (const raw of text.split('\n')) {
		const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		// The first character tells most lines from a blank one or LIST's `total` line.
		const first = line.charCodeAt(0);
		if (Number.isNaN(first) || ((first === 32 || first === 9) && /^[ \t]*$/.test(line)) || (!mlsd && first === 116 && /^total \d+/.test(line))) continue;
		const unix = mlsd ? undefined : unixListLine(line);
		const entry = mlsd ? mlsdLine(line) : unix === undefined ? dosListLine(line) : unix;
		if (entry === null) continue;
		if (entry === undefined) {
			unparsed.push(line);
			continue;
		}

		entry.name = ownCopy(entry.name);
		const refused = refuseName(entry.name);
		if (refused) entry.refused = refused;
		entries.push(entry);
	}

	return {entries, unparsed};
}
