/**
 * The checks of one file whose size and time already match: its hash on the server against the
 * local copy's, and for a sampled file its bytes. A server that turns out not to answer its hash
 * command at all (500, 502, 504) stops the hash for the rest of the verify, with the reason.
 */
import type {Stats} from 'node:fs';
import {CancelledError, PackratError, ftpCode, replyText} from '../backup/errors.js';
import {remoteHash, type HashMethod} from '../backup/ftp/hash.js';
import type {RemoteFile} from '../backup/listing.js';
import {escapeControl} from '../backup/names.js';
import {SlotRetired, type Pool, type Slot} from '../backup/pool.js';
import {oneLine} from '../backup/errors.js';
import {hashFile} from './digest.js';
import type {VerifyRow} from './report.js';
import {compareBytes} from './sample.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** What differs between the copy in the backup and the server's listing ('' when their versions are the same). */
export function versionDifference(stat: Pick<Stats, 'size' | 'mtimeMs'>, file: RemoteFile): string {
	const local = Math.floor(stat.mtimeMs / 1000);
	return [
		stat.size === file.size ? '' : `size: ${stat.size} in the backup, ${file.size} on the server`,
		local === file.mtime ? '' : `modified: ${iso(local)} in the backup, ${iso(file.mtime)} on the server`,
	].filter(Boolean).join('; ');
}

/** The hash method while the server answers it; `note` says why it stopped. */
export type HashState = {method?: HashMethod; note?: string};

/** Replies that mean the command itself is not there, rather than a refusal for this file. */
const notImplemented = new Set([500, 502, 504]);

export type FileCheck = {pool: Pool; slot: Slot; file: RemoteFile; localPath: string; hash: HashState; sample: boolean; onSampled: (bytes: number) => void};

/** The row of one file whose size and time match: ok, different (naming what) or failed. */
export async function checkFile({pool, slot, file, localPath, hash, sample, onSampled}: FileCheck): Promise<VerifyRow> {
	const checked = ['size+mtime'];
	const notes: string[] = [];
	const row = (result: VerifyRow['result'], detail: string[]): VerifyRow => ({path: file.parts.join('/'), checked: checked.join('+'), result, detail: detail.join('; ')});
	try {
		const method = hash.method;
		if (method) {
			try {
				const [theirs, ours] = await Promise.all([pool.attempt(slot, `${method.command} ${file.path}`, async client => remoteHash(client, method, file.path)), hashFile(localPath, method.algorithm)]);
				checked.push(method.algorithm);
				if (theirs !== ours) return row('different', [`${method.algorithm} differs: ${ours} in the backup, ${theirs} on the server`]);
			} catch (error) {
				const code = ftpCode(error);
				if (code === undefined || code < 500) throw error;
				// The server refused this file's hash: the file is still checked by size and time (and bytes).
				if (notImplemented.has(code) && hash.method) {
					hash.method = undefined;
					hash.note = `${method.command} refused: ${escapeControl(replyText(error))}`;
				}

				notes.push(`${method.command} refused: ${escapeControl(replyText(error))}`);
			}
		}

		if (sample) {
			const differs = await pool.attempt(slot, `RETR ${file.path}`, async client => compareBytes(client, file.path, localPath, file.size));
			onSampled(file.size);
			checked.push('bytes');
			if (differs) return row('different', [differs]);
		}

		return row('ok', notes);
	} catch (error) {
		if (error instanceof CancelledError || error instanceof SlotRetired) throw error;
		// A PackratError's line is escaped already; a server's reply is not.
		return row('failed', [...notes, error instanceof PackratError ? error.message : escapeControl(oneLine(error))]);
	}
}
