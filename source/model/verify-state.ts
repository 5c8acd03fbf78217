/**
 * What the window shows of a verify (the `y` key): its phase, the connections and the hash it
 * uses, the files compared of the total, and at the end its summary with the first rows that are
 * not good, every name and reason already escaped for the screen.
 */
import {escapeControl} from '../backup/names.js';
import type {VerifyEvent, VerifyRow, VerifySummary} from '../verify/report.js';

export type VerifyPhase = 'connecting' | 'scanning' | 'comparing' | 'writing' | 'done';

export type VerifyView = {
	running: boolean;
	cancelling: boolean;
	phase: VerifyPhase;
	/** What it reads the server with, once connected. */
	connected?: {connections: number; tls: boolean; listing: 'MLSD' | 'LIST'; hash?: string};
	scan: {folders: number; files: number};
	/** Files compared of those the backup holds unchanged (the others are missing or different at once). */
	done: number;
	total: number;
	retry?: string;
	/** The rows that are not good, escaped: at most `maxVerifyRows`, the count in the summary. */
	rows: VerifyRow[];
	summary?: VerifySummary;
	/** Why it did not start at all (settings that make no job). */
	refused?: string;
};

export const maxVerifyRows = 50;

export function startingVerify(): VerifyView {
	return {running: true, cancelling: false, phase: 'connecting', scan: {folders: 0, files: 0}, done: 0, total: 0, rows: []};
}

/** Whether an event changes what a person must see at once (progress waits for the next frame). */
export function isUrgentVerify(event: VerifyEvent): boolean {
	return event.type === 'phase' || event.type === 'connected' || event.type === 'done';
}

/** One event of the verify folded in. */
export function foldVerify(view: VerifyView, event: VerifyEvent): VerifyView {
	switch (event.type) {
		case 'phase':
			return {...view, phase: event.phase};
		case 'connected': {
			const {connections, tls, listing, hash} = event;
			return {...view, connected: {connections, tls, listing, ...(hash ? {hash} : {})}};
		}

		case 'connections':
			return view.connected ? {...view, connected: {...view.connected, connections: event.connections}} : view;
		case 'scan':
			return {...view, scan: {folders: event.folders, files: event.files}};
		case 'progress':
			return {...view, done: event.done, total: event.total, retry: undefined};
		case 'retry':
			return {...view, retry: `${escapeControl(event.path)}: ${escapeControl(event.reason)} (attempt ${event.attempt}, again in ${Math.ceil(event.delayMs / 1000)}s)`};
		case 'row': {
			if (view.rows.length >= maxVerifyRows) return view;
			const {row} = event;
			return {...view, rows: [...view.rows, {...row, path: escapeControl(row.path), detail: escapeControl(row.detail)}]};
		}

		case 'done':
			return {...view, running: false, cancelling: false, phase: 'done', retry: undefined, summary: event.summary};
		default:
			return view;
	}
}
