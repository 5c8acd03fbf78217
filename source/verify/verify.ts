/**
 * `packrat verify`: the backup (the mirror, or the newest complete snapshot in Full mode)
 * compared with the server without downloading it — each file's size and time, its hash where
 * the server has a hash command, and the bytes of a random sample downloaded into memory — with
 * the run's own connections and scan. It holds the run lock, so no run changes the tree under it,
 * and writes `packrat-verify.tsv` into the backup folder.
 */
import {lstat} from 'node:fs/promises';
import {join} from 'node:path';
import {CancelledError, PackratError} from '../backup/errors.js';
import {chooseHash, methodName, readFeatures} from '../backup/ftp/hash.js';
import {scan} from '../backup/listing.js';
import {protectReserved} from '../backup/reserved.js';
import {SafeTree} from '../backup/local.js';
import {acquireLock} from '../backup/lock.js';
import {plan} from '../backup/plan.js';
import {initialConnections} from '../backup/adapt.js';
import {connectFirst} from '../backup/first-connection.js';
import {Pool} from '../backup/pool.js';
import {prepareFolder} from '../backup/backup-folder.js';
import {oneLine} from '../backup/errors.js';
import type {Job} from '../backup/job.js';
import {comparePlanned} from './files.js';
import {extraFiles, verifyName, verifyTarget} from './local-tree.js';
import {countRows, isGood, writeReport, type VerifyEvent, type VerifyRow, type VerifySummary} from './report.js';

export type {VerifyEvent} from './report.js';

export type VerifyOptions = {
	job: Job;
	/** Share of the files (0–100) downloaded into memory and compared byte for byte. */
	samplePercent?: number;
	signal?: AbortSignal;
	onEvent?: (event: VerifyEvent) => void;
	now?: () => Date;
	backoffMs?: (attempt: number) => number;
};

/** A backup folder that is not there is a setting to fix, not a folder to make. */
async function existingFolder(folder: string): Promise<void> {
	const stat = await lstat(folder).catch(() => undefined);
	if (!stat?.isDirectory()) throw new PackratError(`the backup folder ${folder} does not exist: nothing to verify (choose it with --folder or packrat config set backupFolder DIR)`, 'config', 'backupFolder');
}

export async function verifyBackup(options: VerifyOptions): Promise<VerifySummary> {
	const {job} = options;
	const now = options.now ?? (() => new Date());
	const started = now();
	const signal = options.signal ?? new AbortController().signal;
	const emit = (event: VerifyEvent) => options.onEvent?.(event);
	const samplePercent = options.samplePercent ?? 0;
	const summary: VerifySummary = {
		outcome: 'good', target: job.backupFolder, counts: countRows([]), samplePercent, sampled: 0, sampledBytes: 0, started: started.toISOString(), ended: '', durationMs: 0,
	};
	let pool: Pool | undefined;
	let release: (() => Promise<void>) | undefined;
	try {
		emit({type: 'phase', phase: 'connecting'});
		await existingFolder(job.backupFolder);
		release = (await acquireLock(await prepareFolder(job.backupFolder), job.backupFolder)).release;
		const target = await verifyTarget(job.backupFolder, job.mode);
		summary.target = target.root;
		if (target.snapshot) summary.snapshot = target.snapshot;

		const first = await connectFirst(job.server);
		const offered = chooseHash(await readFeatures(first.client));
		const hashState = {method: offered, note: offered ? undefined : 'the server offers no hash command'};
		pool = new Pool({config: job.server, size: initialConnections(job.connections), retries: job.retries, signal, backoffMs: options.backoffMs, emit(event) {
			if (event.type === 'retry' || event.type === 'connections') emit(event);
		}});
		await pool.open(first.client, first.mlsd);
		emit({type: 'connected', connections: pool.live, tls: first.tls, listing: pool.listing, ...(offered ? {hash: methodName(offered)} : {})});

		emit({type: 'phase', phase: 'scanning'});
		const found = await scan(pool, job.server.root, {onProgress: (folders, files) => emit({type: 'scan', folders, files}), log() {}});
		protectReserved(found, job.server.root); // Where a run stores a server entry with packrat's own name.
		const tree = new SafeTree(target.root);
		const planned = await plan({scan: found, latestOnly: job.latestOnly, versionPattern: job.versionPattern, local: async file => tree.existing(file.parts)});

		emit({type: 'phase', phase: 'comparing'});
		const below = (path: string) => path.slice(job.server.root === '/' ? 1 : job.server.root.length + 1);
		const rows: VerifyRow[] = found.unlisted.map(folder => ({path: below(folder.path), checked: 'list', result: 'failed', detail: `the server would not list this folder: ${folder.reason}`}));
		for (const entry of found.skipped) {
			rows.push({path: entry.parts.join('/'), checked: '', result: entry.status === 'failed' ? 'failed' : 'skipped', detail: entry.reason});
		}

		const known = new Set([...found.files, ...found.skipped].map(file => file.parts.join('/')));
		for (const parts of found.folderParts) known.add(parts.join('/'));
		for (const path of await extraFiles(target.root, {known, unlisted: new Set(found.unlisted.map(folder => below(folder.path)))})) {
			rows.push({path, checked: 'listing', result: 'extra', detail: 'in the backup, not on the server'});
		}

		const sample = await comparePlanned({pool, tree, planned, hash: hashState, samplePercent, emit, rows});
		summary.sampled = sample.files;
		summary.sampledBytes = sample.bytes;
		if (offered) summary.hash = methodName(offered);
		if (hashState.note) summary.hashNote = hashState.note;

		emit({type: 'phase', phase: 'writing'});
		summary.reportPath = join(job.backupFolder, verifyName);
		await writeReport(summary.reportPath, rows);
		summary.counts = countRows(rows);
		summary.outcome = isGood(summary.counts) ? 'good' : 'differs';
		for (const row of rows) if (row.result !== 'ok' && row.result !== 'skipped') emit({type: 'row', row});
	} catch (error) {
		summary.outcome = error instanceof CancelledError || signal.aborted ? 'cancelled' : 'failed';
		summary.reason = summary.outcome === 'cancelled' ? 'cancelled by the user' : oneLine(error);
		if (summary.outcome === 'failed') summary.failure = error instanceof PackratError ? error.code : 'internal';
	} finally {
		pool?.close();
		await release?.();
	}

	const ended = now();
	summary.ended = ended.toISOString();
	summary.durationMs = ended.getTime() - started.getTime();
	emit({type: 'done', summary});
	return summary;
}
