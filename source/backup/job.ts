/**
 * What a run is given (the Job, its options) and what its steps share (RunContext): types only,
 * in a module of their own so that the steps of a run import them without importing the run.
 */
import type {Counts, Mode, RunEvent, RunListener} from './events.js';
import type {RunLogs} from './logs.js';
import type {ServerConfig, TrustDecider} from './remote.js';

export type {Mode} from './events.js';

export type Job = {
	server: ServerConfig;
	backupFolder: string;
	mode: Mode;
	latestOnly: boolean;
	/** A fixed number, or `auto`: 4 at first, more while the transfers gain by it (adapt.ts). */
	connections: number | 'auto';
	keepSnapshots: number;
	linkUnchanged: boolean;
	versionPattern?: string;
	retries: number;
	/** Folder levels below the root that are listed (`maxDepth`); 64 when not given. */
	maxDepth?: number;
	/** The mass-change guard's limits (guard.changedPercent, guard.vanishedPercent); 50 and 50 when not given. */
	guard?: {changedPercent: number; vanishedPercent: number};
};

export type RunOptions = {
	job: Job;
	signal?: AbortSignal;
	onEvent?: RunListener;
	/** Asks about a certificate the system does not trust; without it such a run fails. */
	decideTrust?: TrustDecider;
	now?: () => Date;
	backoffMs?: (attempt: number) => number;
};

export type RunContext = {
	job: Job;
	emit: (event: RunEvent) => void;
	logs: RunLogs;
	counts: Counts;
	bytes: {done: number};
	errors: {count: number};
	signal: AbortSignal;
	/** An error for the error pane: logged in both logs, emitted, counted. */
	error: (event: string, path: string, message: string) => void;
};
