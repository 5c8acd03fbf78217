/**
 * The names packrat gives to what it keeps: an older copy `Plan v2 (2026-11-20 030000).dh`, the
 * next free one `Plan v2 (2026-11-20 030000 2).dh`, and a server entry that bore one of packrat's
 * own names `packrat-export.tsv (server copy)`. Every name fits in 255 bytes, and the mark that
 * tells two of them apart (the stamp and count, or the words) is never cut: cutting takes from
 * the rest of the name, on a character boundary.
 */
import {splitExtension} from './versions.js';

/** The longest file name most file systems take, in UTF-8 bytes. */
export const maxNameBytes = 255;

/** An extension longer than this is not one: the name is cut as a whole, its mark at the end. */
const maxExtensionBytes = 64;

/** `head`, cut on a code point boundary, followed by the whole `tail`, within `limit` bytes. */
export function cutToFit(head: string, tail: string, limit = maxNameBytes): string {
	let room = limit - Buffer.byteLength(tail);
	if (Buffer.byteLength(head) <= room) return head + tail;
	let kept = '';
	for (const char of head) {
		room -= Buffer.byteLength(char);
		if (room < 0) break;
		kept += char;
	}

	return kept + tail;
}

/** The name of the `count`th older copy of `name` whose modification time reads `stamp`. */
export function keptName(name: string, stamp: string, count: number): string {
	const mark = ` (${stamp}${count > 1 ? ` ${count}` : ''})`;
	const [stem, extension] = splitExtension(name);
	if (Buffer.byteLength(extension) > maxExtensionBytes) return cutToFit(name, mark);
	return cutToFit(stem, mark + extension);
}

/** The name a server entry with one of packrat's own names is stored under (`count` > 1 when the first is taken). */
export function serverCopyName(name: string, count = 1): string {
	return cutToFit(name, ` (server copy${count > 1 ? ` ${count}` : ''})`);
}
