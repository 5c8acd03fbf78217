/** Figures as people read them, shared by the window and the headless output. */
import prettyBytes from 'pretty-bytes';
import type {Phase} from './backup/events.js';

export function bytes(value: number): string {
	return prettyBytes(value, {maximumFractionDigits: 1});
}

export function rate(bytesPerSecond: number): string {
	return `${bytes(bytesPerSecond)}/s`;
}

/** `0:07`, `12:04`, `1:02:03`. */
export function duration(seconds: number): string {
	const whole = Math.max(0, Math.round(seconds));
	const hours = Math.floor(whole / 3600);
	const minutes = Math.floor((whole % 3600) / 60);
	const rest = String(whole % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `2026-11-22 03:00` in local time. */
export function when(date: Date): string {
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The names of a run's phases, as the headless output and `packrat status` print them. */
export const phaseNames: Record<Phase | 'idle', string> = {idle: 'Idle', connecting: 'Connecting', initializing: 'Initializing', 'backing-up': 'Backing up', finishing: 'Finishing', done: 'Done'};

/** `12 folders, 340 files, 1.2 GB found so far` */
export function scanPhrase(scan: {folders: number; files: number; bytes: number}): string {
	return `${scan.folders} folders, ${scan.files} files, ${bytes(scan.bytes)} found so far`;
}

/** `45/120 files, 300 MB of 800 MB, 80 MB/s, ETA 0:07` */
export function transferPhrase(figures: {filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number; rate: number; etaSeconds?: number}): string {
	const left = figures.etaSeconds === undefined ? '' : `, ETA ${duration(figures.etaSeconds)}`;
	return `${figures.filesDone}/${figures.filesTotal} files, ${bytes(figures.bytesDone)} of ${bytes(figures.bytesTotal)}, ${rate(figures.rate)}${left}`;
}
