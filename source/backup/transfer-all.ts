/**
 * Backing up: every planned download on every connection at once (largest first, so the tail
 * of the run is not one big file on one connection), hard links for `linkUnchanged`, and the
 * status of each file. Each connection reports the file it is on and its bytes. Files come in as
 * the scan plans them, a folder at a time (`add`); while the scan lists, a connection it leaves
 * idle takes the largest download planned so far (`spare`), and once it is done, every
 * connection takes the rest (`finish`).
 */
import {link, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {CancelledError, PackratError, replyText} from './errors.js';
import type {ScanResult} from './listing.js';
import type {SafeTree} from './local.js';
import type {PlannedFile} from './plan.js';
import {GaveUpError, SlotRetired, type Pool, type Slot} from './pool.js';
import type {RunContext} from './job.js';
import {stateFolderName} from './history.js';
import {Partials, download} from './transfer.js';
import {drain, type Spare} from './work-queue.js';
import {Adapter} from './adapt.js';

const diskFaults = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

/** A local write fault ends the run: nothing that follows could be written either. */
function diskFault(error: unknown, folder: string): PackratError | undefined {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (!code || !diskFaults.has(code)) return undefined;
	const what = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : code === 'EROFS' ? 'the disk is read-only' : 'the disk reported an I/O error';
	return new PackratError(`cannot write to the backup folder ${folder}: ${what} (${code}); free space or choose another folder, then run again`, 'local');
}

export class Transfers {
	/** Every file planned so far, whatever its action: the export's rows. */
	readonly planned: PlannedFile[] = [];
	/** Downloads not yet started, smallest first (the largest is popped). */
	private readonly downloads: PlannedFile[] = [];
	private sorted = true;
	private readonly partials: Partials;
	private readonly active = new Map<number, {path: string; size: number; held: () => number}>();
	private ticker?: NodeJS.Timeout;
	/** Under `connections: auto`, the pool grows while the transfers keep their pace (adapt.ts). */
	private readonly adapter?: Adapter;

	/** The downloads as a drain's spare work: a connection the listing leaves idle takes the largest so far. */
	readonly spare: Spare<PlannedFile> = {
		take: () => this.take(),
		work: async (item, slot) => {
			try {
				await this.work(item, slot);
			} catch (error) {
				// This connection is gone: the file goes back to the queue for another.
				if (!(error instanceof SlotRetired)) throw error;
				this.queue(item);
			}
		},
	};

	constructor(private readonly context: RunContext, private readonly pool: Pool, private readonly tree: SafeTree, private readonly previous?: SafeTree) {
		this.partials = new Partials(join(context.job.backupFolder, stateFolderName, 'partial'));
		this.adapter = context.job.connections === 'auto' ? new Adapter(pool) : undefined;
	}

	/** Before the first file: the partials earlier runs left, the progress ticker, the adapter. */
	async begin(): Promise<void> {
		await this.partials.load();
		this.ticker = setInterval(() => {
			for (const [slot, transfer] of this.active) this.context.emit({type: 'file-progress', slot, path: transfer.path, bytes: transfer.held(), size: transfer.size});
		}, 250);
		this.ticker.unref();
		this.adapter?.start();
	}

	/** Files planned: the unchanged and skipped counted, links made, downloads queued. */
	async add(items: PlannedFile[]): Promise<void> {
		const {counts, logs, job} = this.context;
		for (const item of items) {
			this.planned.push(item);
			if (item.action === 'download') {
				this.queue(item);
			} else if (item.action === 'unchanged') {
				item.status = 'unchanged';
				counts.unchanged++;
				logs.transfer('INFO', 'unchanged', item.file.path, {bytes: item.file.size});
			} else if (item.action === 'skip') {
				item.status = 'skipped';
				counts.skipped++;
				logs.transfer('INFO', 'skip', item.file.path, {reply: item.reason});
			} else if (item.action === 'link') {
				try {
					const folder = await this.tree.folder(item.file.parts.slice(0, -1));
					await link(join(this.previous!.root, ...item.file.parts), join(folder, item.file.parts.at(-1)!));
					item.status = 'unchanged';
					counts.unchanged++;
					logs.transfer('INFO', 'link', item.file.path, {bytes: item.file.size});
				} catch (error) {
					throw diskFault(error, job.backupFolder) ?? error;
				}
			}
		}
	}

	/**
	 * After the scan: what it left out counted, the rest of the downloads on every connection,
	 * then the folders made, empty ones included, as on the server.
	 */
	async finish(found: ScanResult): Promise<void> {
		const {counts, job} = this.context;
		for (const entry of found.skipped) {
			if (entry.status === 'failed') {
				counts.failed++;
				this.context.error('mdtm', entry.path, entry.reason);
			} else {
				counts.skipped++;
			}
		}

		if (!this.sorted) this.downloads.sort((a, b) => a.file.size - b.file.size); // The drain pops the largest.
		try {
			await drain(this.pool, this.downloads, async (item, slot) => this.work(item, slot));
		} finally {
			this.stop();
		}

		if (counts.failed === 0) await this.partials.clear();
		for (const parts of found.folderParts) {
			try {
				await this.tree.folder(parts);
			} catch (error) {
				const fatal = diskFault(error, job.backupFolder);
				if (fatal) throw fatal;
				this.context.error('folder', parts.join('/'), error instanceof PackratError ? error.message : replyText(error));
			}
		}
	}

	/** No more progress ticks or adapting (the run ended, or failed before its end). */
	stop(): void {
		clearInterval(this.ticker);
		this.adapter?.stop();
	}

	private queue(item: PlannedFile): void {
		this.downloads.push(item);
		this.sorted = false;
	}

	private take(): PlannedFile | undefined {
		if (!this.sorted) this.downloads.sort((a, b) => a.file.size - b.file.size);
		this.sorted = true;
		return this.downloads.pop();
	}

	/** One download on `slot`, placed and counted; a file that cannot be had fails alone, a fault of the run is thrown. */
	private async work(item: PlannedFile, slot: Slot): Promise<void> {
		const {counts, logs, emit, job} = this.context;
		const {file} = item;
		const started = Date.now();
		const transfer = {path: file.path, size: file.size, held: () => 0};
		this.active.set(slot.index, transfer);
		emit({type: 'file-start', slot: slot.index, path: file.path, size: file.size, offset: 0});
		try {
			const result = await this.pool.attempt(slot, file.path, async client => {
				const downloaded = await download(client, file, this.partials, this.tree.pace, held => (transfer.held = held));
				this.adapter?.transferred(client.firstByteMs, downloaded.bytes);
				return downloaded;
			});
			const aside = await this.tree.place(result.temporary, file.parts);
			if (result.sidecar) await rm(result.sidecar, {force: true});
			item.status = 'downloaded';
			counts.downloaded++;
			this.context.bytes.done += result.bytes;
			const resumed = result.resumedFrom > 0 ? `resumed at byte ${result.resumedFrom}` : undefined;
			logs.transfer('INFO', 'download', file.path, {bytes: result.bytes, ms: Date.now() - started, reply: resumed});
			if (aside) logs.transfer('INFO', 'keep-older', file.path, {reply: `older copy kept as ${aside}`});
			emit({type: 'file-done', slot: slot.index, path: file.path, status: 'downloaded', bytes: result.bytes});
		} catch (error) {
			const fatal = diskFault(error, job.backupFolder);
			if (fatal) {
				await this.partials.drop(this.partials.of(file)).catch(() => undefined);
				throw fatal;
			}

			if (error instanceof CancelledError || this.context.signal.aborted) throw new CancelledError();
			// This connection is gone: the file goes back to the queue for another.
			if (error instanceof SlotRetired) throw error;
			// The server cannot be reached, or an untrusted data connection: the run stops, not just
			// this file. A file whose own retry budget is spent (GaveUpError) fails alone.
			if (error instanceof PackratError && (error.code === 'server' || error.code === 'trust') && !(error instanceof GaveUpError)) throw error;
			const reason = error instanceof PackratError ? error.message : replyText(error);
			item.status = 'failed';
			counts.failed++;
			this.context.error('download', item.file.path, reason);
			emit({type: 'file-done', slot: slot.index, path: file.path, status: 'failed', bytes: 0, reason});
		} finally {
			this.active.delete(slot.index);
		}
	}
}
