/**
 * Remote names are data, not paths (SPEC: Transfers). A name is checked before any local path
 * is built from it, and every name is escaped before it reaches a screen or a log line: every
 * escaping for display is here (a screen, a log line, JSON output, an ASCII-only terminal).
 */
import {pad2} from '../format.js';

/** A character that no name may hold: each has its own reason below. */
const forbidden = /[/\0\r\n]/;

/** Why a remote name is refused, or undefined when it is usable as one path component. */
export function refuseName(name: string): string | undefined {
	if (name === '') return 'the name is empty';
	if (name === '.' || name === '..') return `the name is "${name}"`;
	if (forbidden.test(name)) {
		if (name.includes('/')) return 'the name holds a "/"';
		if (name.includes('\0')) return 'the name holds a NUL byte';
		return 'the name holds a line break, which no FTP command can carry';
	}

	// A UTF-16 unit is 3 bytes of UTF-8 at most: up to 85 of them need no counting.
	if (name.length > 85 && Buffer.byteLength(name) > 255) return 'the name is longer than 255 bytes';
	return undefined;
}

const named: Record<string, string> = {'\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\'};
const escaped = (char: string) => named[char] ?? `\\x${pad2(char.charCodeAt(0).toString(16))}`;

/** `\u00e9`, `\u{1f600}`: a character as JSON and JavaScript write it. */
function unicode(char: string): string {
	const code = char.codePointAt(0)!;
	return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Escape control characters (C0, DEL, C1) and backslashes so that no name can move the cursor,
 * clear the screen or forge a log line: tab, newline, CR and backslash as `\t`, `\n`, `\r`,
 * `\\`, every other one as `\xNN`. Printable text, unicode included, is kept as it is.
 */
export function escapeControl(text: string): string {
	// Most text holds nothing to escape: then it is the very string given, not a copy.
	return escapable.test(text) ? text.replace(escapables, escaped) : text;
}

const escapable = /[\u0000-\u001F\u007F-\u009F\\]/;
const escapables = /[\u0000-\u001F\u007F-\u009F\\]/g;

const control = /[\u0000-\u001F\u007F-\u009F]/;
const controls = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * The last guard at a screen's edge: control characters escaped as escapeControl does, but
 * backslashes left alone, so that text escaped already is shown as it is.
 */
export function withoutControl(text: string): string {
	return control.test(text) ? text.replace(controls, escaped) : text;
}

/** JSON with C1 control characters (which JSON.stringify leaves raw) escaped as well, so no remote name reaches a terminal raw. */
export function jsonLine(value: unknown): string {
	return JSON.stringify(value).replace(/[\u007f-\u009f]/g, unicode);
}

/** ASCII only, for terminals without UTF-8: every other character written as `\u00e9`. */
export function asciiOnly(text: string): string {
	return text.replace(/[^\u0000-\u007F]/gu, unicode);
}

/** Join remote path parts: `joinRemote('/a', 'b c')` → `/a/b c`. */
export function joinRemote(directory: string, name: string): string {
	return directory.endsWith('/') ? directory + name : `${directory}/${name}`;
}

/** `/data/` → `/data`, `data` → `/data`, `/` stays `/`. */
export function normalizeRoot(root: string): string {
	let result = root.startsWith('/') ? root : `/${root}`;
	while (result.length > 1 && result.endsWith('/')) result = result.slice(0, -1);
	return result;
}
