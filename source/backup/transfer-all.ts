/**
 * Backing up: every planned download on every connection at once (largest first, so the tail
 * of the run is not one big file on one connection), hard links for `linkUnchanged`, and the
 * status of each file. Each connection reports the file it is on and its bytes.
 */
import {link, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {CancelledError, PackratError, replyText} from './errors.js';
import type {ScanResult} from './listing.js';
import type {SafeTree} from './local.js';
import type {PlannedFile} from './plan.js';
import {GaveUpError, SlotRetired, type Pool} from './pool.js';
import type {RunContext} from './job.js';
import {stateFolderName} from './history.js';
import {Partials, download} from './transfer.js';
import {drain} from './work-queue.js';
import {Adapter} from './adapt.js';

const diskFaults = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

/** A local write fault ends the run: nothing that follows could be written either. */
function diskFault(error: unknown, folder: string): PackratError | undefined {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (!code || !diskFaults.has(code)) return undefined;
	const what = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : code === 'EROFS' ? 'the disk is read-only' : 'the disk reported an I/O error';
	return new PackratError(`cannot write to the backup folder ${folder}: ${what} (${code}); free space or choose another folder, then run again`, 'local');
}

export async function transferAll(context: RunContext, pool: Pool, tree: SafeTree, planned: PlannedFile[], found: ScanResult, previous?: SafeTree): Promise<void> {
	const {counts, logs, emit, job} = context;
	const partials = new Partials(join(job.backupFolder, stateFolderName, 'partial'));
	await partials.load();
	const fail = (item: PlannedFile, reason: string) => {
		item.status = 'failed';
		counts.failed++;
		context.error('download', item.file.path, reason);
	};

	for (const entry of found.skipped) {
		if (entry.status === 'failed') {
			counts.failed++;
			context.error('mdtm', entry.path, entry.reason);
		} else {
			counts.skipped++;
		}
	}

	const downloads = planned.filter(item => item.action === 'download');
	for (const item of planned) {
		if (item.action === 'unchanged') {
			item.status = 'unchanged';
			counts.unchanged++;
			logs.transfer('INFO', 'unchanged', item.file.path, {bytes: item.file.size});
		} else if (item.action === 'skip') {
			item.status = 'skipped';
			counts.skipped++;
			logs.transfer('INFO', 'skip', item.file.path, {reply: item.reason});
		} else if (item.action === 'link') {
			try {
				const folder = await tree.folder(item.file.parts.slice(0, -1));
				await link(join(previous!.root, ...item.file.parts), join(folder, item.file.parts.at(-1)!));
				item.status = 'unchanged';
				counts.unchanged++;
				logs.transfer('INFO', 'link', item.file.path, {bytes: item.file.size});
			} catch (error) {
				throw diskFault(error, job.backupFolder) ?? error;
			}
		}
	}

	const active = new Map<number, {path: string; size: number; held: () => number}>();
	const ticker = setInterval(() => {
		for (const [slot, transfer] of active) emit({type: 'file-progress', slot, path: transfer.path, bytes: transfer.held(), size: transfer.size});
	}, 250);
	ticker.unref();

	downloads.sort((a, b) => a.file.size - b.file.size);
	// Under `connections: auto`, the pool grows while the transfers keep their pace (adapt.ts).
	const adapter = job.connections === 'auto' ? new Adapter(pool) : undefined;
	adapter?.start();
	try {
		await drain(pool, downloads, async (item, slot) => {
			const {file} = item;
			const started = Date.now();
			const transfer = {path: file.path, size: file.size, held: () => 0};
			active.set(slot.index, transfer);
			emit({type: 'file-start', slot: slot.index, path: file.path, size: file.size, offset: 0});
			try {
				const result = await pool.attempt(slot, file.path, async client => {
					const downloaded = await download(client, file, partials, tree.pace, held => (transfer.held = held));
					adapter?.transferred(client.firstByteMs, downloaded.bytes);
					return downloaded;
				});
				const aside = await tree.place(result.temporary, file.parts);
				if (result.sidecar) await rm(result.sidecar, {force: true});
				item.status = 'downloaded';
				counts.downloaded++;
				context.bytes.done += result.bytes;
				const resumed = result.resumedFrom > 0 ? `resumed at byte ${result.resumedFrom}` : undefined;
				logs.transfer('INFO', 'download', file.path, {bytes: result.bytes, ms: Date.now() - started, reply: resumed});
				if (aside) logs.transfer('INFO', 'keep-older', file.path, {reply: `older copy kept as ${aside}`});
				emit({type: 'file-done', slot: slot.index, path: file.path, status: 'downloaded', bytes: result.bytes});
			} catch (error) {
				const fatal = diskFault(error, job.backupFolder);
				if (fatal) {
					await partials.drop(partials.of(file)).catch(() => undefined);
					throw fatal;
				}

				if (error instanceof CancelledError || context.signal.aborted) throw new CancelledError();
				// This connection is gone: the file goes back to the queue for another.
				if (error instanceof SlotRetired) throw error;
				// The server cannot be reached, or an untrusted data connection: the run stops, not just
				// this file. A file whose own retry budget is spent (GaveUpError) fails alone.
				if (error instanceof PackratError && (error.code === 'server' || error.code === 'trust') && !(error instanceof GaveUpError)) throw error;
				const reason = error instanceof PackratError ? error.message : replyText(error);
				fail(item, reason);
				emit({type: 'file-done', slot: slot.index, path: file.path, status: 'failed', bytes: 0, reason});
			} finally {
				active.delete(slot.index);
			}
		});
	} finally {
		clearInterval(ticker);
		adapter?.stop();
	}

	if (counts.failed === 0) await partials.clear();

	// Folders, empty ones included, exist in the backup as on the server.
	for (const parts of found.folderParts) {
		try {
			await tree.folder(parts);
		} catch (error) {
			const fatal = diskFault(error, job.backupFolder);
			if (fatal) throw fatal;
			context.error('folder', parts.join('/'), error instanceof PackratError ? error.message : replyText(error));
		}
	}
}
