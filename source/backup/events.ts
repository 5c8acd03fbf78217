/**
 * The typed events a run emits. The window and the headless `packrat run` are two views of
 * these; `progress.ts` folds them into one snapshot that both read.
 */
export type Mode = 'incremental' | 'full';
export type Phase = 'connecting' | 'initializing' | 'backing-up' | 'finishing' | 'done';
/**
 * `success` Done: every folder listed, every file in the backup. `partial` Done with errors: the
 * whole tree listed and every file tried, some files could not be had (counts.failed says how
 * many); the rest is whole and counts as a backup. `failed`: nothing counts. `cancelled`.
 */
export type Outcome = 'success' | 'partial' | 'failed' | 'cancelled';
/** Done or Done with errors: a run whose backup counts ("last successful backup", a complete snapshot). */
export function isBackup(run: {outcome: Outcome}): boolean {
	return run.outcome === 'success' || run.outcome === 'partial';
}

export type FileStatus = 'downloaded' | 'unchanged' | 'failed' | 'skipped';

export type Counts = {downloaded: number; unchanged: number; failed: number; skipped: number};

export type Summary = {
	outcome: Outcome;
	mode: Mode;
	latestOnly: boolean;
	started: string; // ISO 8601
	ended: string; // ISO 8601
	durationMs: number;
	counts: Counts;
	/** Bytes transferred from the server in this run. */
	bytes: number;
	errors: number;
	/** Why the run failed or was cancelled, one line. */
	reason?: string;
	/** What kind of fault failed it: `config` is bad settings (exit 2). */
	failure?: 'config' | 'connect' | 'server' | 'local' | 'lock' | 'trust' | 'listing' | 'internal';
	/** The settings key at fault, for a `config` failure that names one (`server.root`, `backupFolder`). */
	setting?: string;
	/** Where this run's files went: the backup folder, or the snapshot folder of a Full run. */
	target: string;
	/** The most connections open at once (under `connections: auto` the pool grows and shrinks). */
	connections?: number;
	snapshot?: string;
	exportPath?: string;
	/** This run found a mass change on the server (backup/guard.ts): it pruned nothing. */
	suspicious?: Suspicious;
	/** The guard held pruning off at the end of this run: since its first suspicious run, until accepted. */
	guard?: GuardHold;
};

/**
 * What the mass-change guard found against the last run's record of the server: of its `total`
 * files, `changed` (size or time) and `vanished`; percentages of `total`, rounded up; the limits
 * it was judged by.
 */
export type Suspicious = {
	total: number;
	changed: number;
	vanished: number;
	changedPercent: number;
	vanishedPercent: number;
	limits: {changedPercent: number; vanishedPercent: number};
};

/** `.packrat/guard.json`: pruning is off since `since` (the first suspicious run's start), for what it found (absent when the file cannot be read). */
export type GuardHold = {since: string; suspicious?: Suspicious};

export type RunEvent =
	| {type: 'phase'; phase: Phase; at: number}
	| {type: 'connected'; connections: number; tls: boolean; listing: 'MLSD' | 'LIST'}
	| {type: 'scan'; folders: number; files: number; bytes: number}
	| {type: 'estimate-failed'; reason: string}
	| {type: 'plan'; files: number; bytes: number; toDownload: number; bytesToDownload: number; unchanged: number; skipped: number}
	| {type: 'file-start'; slot: number; path: string; size: number; offset: number}
	| {type: 'file-progress'; slot: number; path: string; bytes: number; size: number}
	| {type: 'file-done'; slot: number; path: string; status: FileStatus; bytes: number; reason?: string}
	| {type: 'connections'; connections: number; reason: string}
	| {type: 'retry'; path: string; attempt: number; delayMs: number; reason: string}
	| {type: 'error'; time: string; path?: string; message: string}
	| {type: 'done'; summary: Summary};

export type RunListener = (event: RunEvent) => void;

/** What a run needs to know about a certificate it does not trust. */
export type CertificateQuestion = {host: string; port: number; fingerprint: string; subject: string; issuer: string; reason: string};
