/**
 * The events of a run folded into one snapshot: what the window draws and what `packrat run`
 * prints. Pure: `reduce(state, event)` returns the next state and keeps nothing unbounded.
 */
import type {Phase, RunEvent, Summary} from './events.js';

export type SlotView = {path: string; size: number; bytes: number};

export type Progress = {
	phase: Phase | 'idle';
	startedAt?: number;
	connections: number;
	tls?: boolean;
	listing?: 'MLSD' | 'LIST';
	scan: {folders: number; files: number; bytes: number};
	estimateFailed?: string;
	plan?: {files: number; toDownload: number; bytesToDownload: number; unchanged: number; skipped: number};
	filesDone: number;
	/** Bytes of finished files; add `inFlight` for the live figure. */
	bytesDone: number;
	slots: Record<number, SlotView>;
	/** Bytes per second over the last seconds of the transfer. */
	rate: number;
	samples: Array<[at: number, bytes: number]>;
	errors: number;
	lastError?: string;
	summary?: Summary;
};

export const idleProgress: Progress = {phase: 'idle', connections: 0, scan: {folders: 0, files: 0, bytes: 0}, filesDone: 0, bytesDone: 0, slots: {}, rate: 0, samples: [], errors: 0};

export function inFlight(progress: Progress): number {
	return Object.values(progress.slots).reduce((sum, slot) => sum + slot.bytes, 0);
}

/** Bytes done, finished and in flight. */
export function bytesNow(progress: Progress): number {
	return progress.bytesDone + inFlight(progress);
}

/** Seconds left at the current rate, or undefined when it cannot be told yet. */
export function eta(progress: Progress): number | undefined {
	if (!progress.plan || progress.rate <= 0) return undefined;
	return Math.max(0, (progress.plan.bytesToDownload - bytesNow(progress)) / progress.rate);
}

const rateWindowMs = 5000;
/** At most one sample this often: events come thousands a second, and the window must span seconds. */
const sampleEveryMs = 100;

function sample(progress: Progress, at: number): Progress {
	const last = progress.samples.at(-1);
	if (last && at - last[0] < sampleEveryMs) return progress;
	const bytes = bytesNow(progress);
	const samples = [...progress.samples.filter(([time]) => at - time <= rateWindowMs), [at, bytes] as [number, number]];
	const [firstAt, firstBytes] = samples[0]!;
	const rate = at - firstAt >= 500 ? ((bytes - firstBytes) * 1000) / (at - firstAt) : progress.rate;
	return {...progress, samples, rate};
}

export function reduce(progress: Progress, event: RunEvent, at = Date.now()): Progress {
	switch (event.type) {
		case 'phase': {
			if (event.phase === 'connecting') return {...idleProgress, phase: 'connecting', startedAt: event.at};
			return {...progress, phase: event.phase};
		}

		case 'connected':
			return {...progress, connections: event.connections, tls: event.tls, listing: event.listing};
		case 'connections':
			return {...progress, connections: event.connections};
		case 'scan':
			return {...progress, scan: {folders: event.folders, files: event.files, bytes: event.bytes}};
		case 'estimate-failed':
			return {...progress, estimateFailed: event.reason};
		case 'plan':
			return sample({...progress, plan: {files: event.files, toDownload: event.toDownload, bytesToDownload: event.bytesToDownload, unchanged: event.unchanged, skipped: event.skipped}}, at);
		case 'file-start':
			return {...progress, slots: {...progress.slots, [event.slot]: {path: event.path, size: event.size, bytes: event.offset}}};
		case 'file-progress': {
			const slots = {...progress.slots, [event.slot]: {path: event.path, size: event.size, bytes: event.bytes}};
			return sample({...progress, slots}, at);
		}

		case 'file-done': {
			const {[event.slot]: _finished, ...slots} = progress.slots;
			const done = event.status === 'downloaded';
			return sample({...progress, slots, filesDone: progress.filesDone + (done ? 1 : 0), bytesDone: progress.bytesDone + (done ? event.bytes : 0)}, at);
		}

		case 'error':
			return {...progress, errors: progress.errors + 1, lastError: event.message};
		case 'done':
			return {...progress, phase: 'done', summary: event.summary, slots: {}};
		case 'retry':
			return progress;
	}
}
