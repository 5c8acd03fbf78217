/**
 * One run: Connecting → Initializing → plan → Backing up → Finishing, as typed events, with an
 * AbortSignal to cancel. The window and `packrat run` both call this and read its events.
 */
import {setMaxListeners} from 'node:events';
import {mkdir, rename, rmdir} from 'node:fs/promises';
import {join} from 'node:path';
import {CancelledError, PackratError, oneLine} from './errors.js';
import type {Counts, RunEvent, Summary} from './events.js';
import type {RunContext, RunOptions} from './job.js';
import {prepareFolder, ownFileNames} from './backup-folder.js';
import {DiskPace} from './disk-pace.js';
import {appendHistory, readHistory} from './history.js';
import {scan, type RemoteFile} from './listing.js';
import type {Spare} from './work-queue.js';
import {SafeTree, localStamp} from './local.js';
import {acquireLock} from './lock.js';
import {RunLogs} from './logs.js';
import {plan, planEvent, type PlannedFile} from './plan.js';
import {isReserved, rescueOwnNames, reservedRenamer} from './reserved.js';
import {checkRoot, connectFirst} from './first-connection.js';
import {Pool} from './pool.js';
import {autoConnections, initialConnections} from './adapt.js';
import {completeSnapshots, incompleteSuffix, newestWholeSnapshot, pruneSnapshots} from './snapshots.js';
import {Transfers} from './transfer-all.js';
import {finish} from './finish.js';
import {guardScan, pruningHold, recordScan} from './guard.js';
import {missingPhrase} from '../format.js';

export type {Job, RunContext, RunOptions} from './job.js';

export async function runBackup(options: RunOptions): Promise<Summary> {
	const {job} = options;
	const now = options.now ?? (() => new Date());
	const started = now();
	const controller = new AbortController();
	const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
	// Each connection listens for the cancel, and its data connection while it opens: up to 16 of each (connections: auto).
	setMaxListeners(4 * autoConnections.max, signal);
	const emit = (event: RunEvent) => options.onEvent?.(event);
	const counts: Counts = {downloaded: 0, unchanged: 0, failed: 0, skipped: 0};
	const context = {job, emit, counts, bytes: {done: 0}, errors: {count: 0}, signal} as Omit<RunContext, 'logs'> & {logs?: RunLogs};
	context.error = (event, path, message) => {
		context.errors.count++;
		context.logs?.error(event, path, message);
		emit({type: 'error', time: new Date().toISOString(), ...(path ? {path} : {}), message});
	};
	const summary: Summary = {
		outcome: 'success', mode: job.mode, latestOnly: job.latestOnly, started: started.toISOString(), ended: '', durationMs: 0,
		counts, bytes: 0, errors: 0, target: job.backupFolder,
	};
	const phase = (name: 'connecting' | 'initializing' | 'backing-up' | 'finishing') => emit({type: 'phase', phase: name, at: Date.now()});
	let pool: Pool | undefined;
	let release: (() => Promise<void>) | undefined;
	let planned: PlannedFile[] | undefined;
	let transfers: Transfers | undefined;
	/** A Full run's snapshot folder, made before the scan: taken away again if the run fails before anything is in it. */
	let made: string | undefined;

	try {
		phase('connecting');
		const state = await prepareFolder(job.backupFolder);
		release = (await acquireLock(state, job.backupFolder)).release;
		const rescued = await rescueOwnNames(job.backupFolder, ownFileNames, new DiskPace());
		const logs = new RunLogs(job.backupFolder, now);
		context.logs = logs;
		logs.transfer('INFO', 'run-start', job.server.root, {reply: `${job.mode}${job.latestOnly ? ', latest only' : ''} into ${job.backupFolder}`});
		for (const {path, storedAs} of rescued) logs.transfer('WARN', 'reserved', path, {reply: `held something other than packrat's own file: moved to ${storedAs}`});

		const first = await connectFirst(job.server, options.decideTrust, signal);
		if (first.trusted) logs.transfer('INFO', 'trust', job.server.host, {reply: `certificate ${first.trusted} trusted by the user`});
		await checkRoot(first.client, job.server.root, first.mlsd);
		const size = initialConnections(job.connections);
		pool = new Pool({config: {...job.server, fingerprint: first.trusted ?? job.server.fingerprint}, size, max: job.connections === 'auto' ? autoConnections.max : size, retries: job.retries, signal, emit, backoffMs: options.backoffMs});
		await pool.open(first.client, first.mlsd);
		emit({type: 'connected', connections: pool.live, tls: first.tls, listing: pool.listing});
		logs.transfer('INFO', 'connect', job.server.root, {reply: `${pool.live} connections, ${first.tls ? 'TLS' : 'no TLS'}, ${pool.listing}`});

		phase('initializing');
		// Where files go, and what they are compared with, come first: a folder's files are planned,
		// and downloaded on the connections the listing leaves idle, while the scan goes on.
		const snapshot = job.mode === 'full' ? localStamp(started) : undefined;
		const target = snapshot ? join(job.backupFolder, snapshot + incompleteSuffix) : job.backupFolder;
		if (snapshot) await mkdir(target);
		made = snapshot ? target : undefined;
		const tree = new SafeTree(target);
		// Only a Full run needs the history: it names the complete snapshots.
		const history = snapshot ? await readHistory(job.backupFolder) : [];
		const snapshots = await completeSnapshots(job.backupFolder, history);
		const newestWhole = await newestWholeSnapshot(job.backupFolder, history);
		const newest = snapshots.at(-1);
		const previousTree = job.linkUnchanged && newest ? new SafeTree(join(job.backupFolder, newest)) : undefined;
		transfers = new Transfers(context as RunContext, pool, tree, previousTree);
		await transfers.begin();
		let reserved: ReturnType<typeof reservedRenamer> | undefined;
		const planFolder = async (files: RemoteFile[]) => {
			if (reserved) for (const file of files) file.parts = reserved.rename(file.parts);
			await transfers!.add(await plan({
				scan: {files},
				latestOnly: job.latestOnly,
				versionPattern: job.versionPattern,
				local: async file => (snapshot ? undefined : tree.existing(file.parts)),
				previous: previousTree ? async file => previousTree.existing(file.parts) : undefined,
			}));
		};

		let lastScan = 0;
		const found = await scan(pool, job.server.root, {
			onProgress(folders, files, bytes) {
				if (Date.now() - lastScan < 100) return;
				lastScan = Date.now();
				emit({type: 'scan', folders, files, bytes});
			},
			log: (level, event, path, detail) => logs.transfer(level, event, path, detail),
			// Every path starts with a name at the root: when none is packrat's own, no file is renamed.
			root: names => (reserved = names.some(isReserved) ? reservedRenamer(names, job.server.root) : undefined),
			ready: planFolder,
			spare: transfers.spare as Spare<unknown>,
		}, {maxDepth: job.maxDepth});
		emit({type: 'scan', folders: found.folders, files: found.files.length, bytes: found.files.reduce((sum, file) => sum + file.size, 0)});
		// The files were renamed as they were planned; what the scan left out, and the folders, now.
		for (const entry of found.skipped) if (!entry.refused && reserved) entry.parts = reserved.rename(entry.parts);
		if (reserved) found.folderParts = found.folderParts.map(reserved.rename);
		for (const {path, storedAs} of reserved?.renamed() ?? []) logs.transfer('WARN', 'reserved', path, {reply: `packrat's own name at the top of the backup folder: stored as ${storedAs}`});
		if (found.unlisted.length > 0) {
			const reason = `${found.unlisted.length} folder(s) could not be listed (first: ${found.unlisted[0]!.path}: ${found.unlisted[0]!.reason}); the estimate is incomplete`;
			emit({type: 'estimate-failed', reason});
			for (const folder of found.unlisted) context.error('list', folder.path, folder.reason);
		}

		const suspicious = await guardScan(context as RunContext, found, started);
		if (suspicious) summary.suspicious = suspicious;

		planned = transfers.planned;
		emit(planEvent(planned, found));
		phase('backing-up');
		await transfers.finish(found);

		phase('finishing');
		const outcome = await finish(context as RunContext, {found, planned, tree, snapshot, started});
		summary.exportPath = outcome.exportPath;
		// A folder that could not be listed means this backup is not whole: it does not count (Failed).
		// Files that could not be had leave the rest whole and usable: Done with errors.
		if (found.unlisted.length > 0) {
			summary.outcome = 'failed';
			const files = counts.failed > 0 ? `, ${missingPhrase(counts.failed)}` : '';
			summary.reason = `${found.unlisted.length} folder(s) could not be listed${files}; see ${logs.errorPath}`;
			summary.failure = 'listing';
		} else if (counts.failed > 0) {
			summary.outcome = 'partial';
			summary.reason = `${missingPhrase(counts.failed)}; see ${logs.errorPath}`;
		}

		await recordScan(context as RunContext, found);
		const hold = await pruningHold(context as RunContext, Boolean(snapshot));
		if (hold) summary.guard = hold;
		if (snapshot && summary.outcome !== 'failed') {
			await rename(target, join(job.backupFolder, snapshot));
			summary.snapshot = snapshot;
			summary.target = join(job.backupFolder, snapshot);
			const whole = summary.outcome === 'success' ? snapshot : newestWhole;
			const removed = hold ? [] : await pruneSnapshots(job.backupFolder, [...snapshots, snapshot], job.keepSnapshots, whole);
			for (const name of removed) logs.transfer('INFO', 'prune', name, {reply: `snapshot removed (keepSnapshots ${job.keepSnapshots})`});
		} else if (snapshot) {
			summary.target = target;
		}
	} catch (error) {
		summary.outcome = error instanceof CancelledError || signal.aborted ? 'cancelled' : 'failed';
		summary.reason = summary.outcome === 'cancelled' ? 'cancelled by the user' : oneLine(error);
		if (summary.outcome === 'failed') summary.failure = error instanceof PackratError ? error.code : 'internal';
		if (error instanceof PackratError && error.setting) summary.setting = error.setting;
		if (summary.outcome === 'failed') context.error('run', '', summary.reason);
		if (made) await rmdir(made).catch(() => undefined);
	} finally {
		transfers?.stop();
		pool?.close();
		// A download the scan's failure left running ends with its connection: nothing of the run goes on past here.
		await Promise.allSettled((pool?.slots ?? []).map(async slot => slot.busy));
	}

	const ended = now();
	summary.ended = ended.toISOString();
	summary.durationMs = ended.getTime() - started.getTime();
	summary.bytes = context.bytes.done;
	summary.errors = context.errors.count;
	if (pool) summary.connections = pool.peak;
	if (context.logs) {
		// A full disk may refuse these last lines too; the summary still reaches the views.
		try {
			context.logs.transfer(summary.outcome === 'success' ? 'INFO' : summary.outcome === 'partial' ? 'WARN' : 'ERROR', 'run-end', job.server.root, {bytes: summary.bytes, ms: summary.durationMs, reply: `${summary.outcome}${summary.reason ? `: ${summary.reason}` : ''}`});
			context.logs.flush();
			await appendHistory(job.backupFolder, summary);
		} catch {
			// Nothing more can be written there.
		}
	}

	await release?.();
	emit({type: 'phase', phase: 'done', at: Date.now()});
	emit({type: 'done', summary});
	return summary;
}
