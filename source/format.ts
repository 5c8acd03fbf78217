/** Figures as people read them, shared by the window and the headless output. */
import type {Outcome, Phase, Suspicious} from './backup/events.js';

const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
/** Made once, when first needed: a new formatter for every figure (pretty-bytes' way) cost about 16 µs each, 0.7 ms of a 6 ms frame. */
let oneDecimal: Intl.NumberFormat | undefined;

/**
 * `number` (not negative) with one decimal at most, cut: the shortest text that reads back as the
 * number (String's, which is what Intl cuts too), cut after its first decimal. Only a number
 * String writes with an exponent goes to Intl, whose first use costs about 9 ms of CPU (ICU's
 * data), a tenth of a no-change rerun of 5,000 files.
 */
function cutToOneDecimal(number: number): string {
	const text = String(number);
	if (text.includes('e')) {
		oneDecimal ??= new Intl.NumberFormat('en-US', {maximumFractionDigits: 1, roundingMode: 'trunc', useGrouping: false});
		return oneDecimal.format(number);
	}

	const dot = text.indexOf('.');
	if (dot < 0) return text;
	return text[dot + 1] === '0' ? text.slice(0, dot) : text.slice(0, dot + 2);
}

/**
 * `169.2 MB`: decimal units, one decimal at most, cut rather than rounded (a figure never shows
 * more than is there). The same text as pretty-bytes with `maximumFractionDigits: 1`, which
 * test/format.test.ts checks over many values.
 */
export function bytes(value: number): string {
	if (!Number.isFinite(value)) return '? B';
	let number = Math.abs(value);
	let exponent = number >= 1 ? Math.min(Math.floor(Math.log10(number) / 3), units.length - 1) : 0;
	number /= 1000 ** exponent;
	// Just below a unit boundary log10 can round up to it: one unit back.
	if (number < 1 && exponent > 0) {
		number *= 1000;
		exponent -= 1;
	}

	return `${value < 0 ? '-' : ''}${cutToOneDecimal(number)} ${units[exponent]}`;
}

export function rate(bytesPerSecond: number): string {
	return `${bytes(bytesPerSecond)}/s`;
}

/** `0:07`, `12:04`, `1:02:03`. */
export function duration(seconds: number): string {
	const whole = Math.max(0, Math.round(seconds));
	const hours = Math.floor(whole / 3600);
	const minutes = Math.floor((whole % 3600) / 60);
	const rest = pad2(whole % 60);
	return hours > 0 ? `${hours}:${pad2(minutes)}:${rest}` : `${minutes}:${rest}`;
}

/** Two digits, zero-padded: the one place figures (of dates, times, escapes) are padded. */
export function pad2(value: number | string): string {
	return String(value).padStart(2, '0');
}

/** The parts of an instant in local time, each padded: what every date and time on screen, in a log or in a folder name is made of. */
export function localParts(date: Date): {year: string; month: string; day: string; hours: string; minutes: string; seconds: string} {
	return {year: String(date.getFullYear()), month: pad2(date.getMonth() + 1), day: pad2(date.getDate()), hours: pad2(date.getHours()), minutes: pad2(date.getMinutes()), seconds: pad2(date.getSeconds())};
}

/** `2026-11-22 03:00` in local time. */
export function when(date: Date): string {
	const {year, month, day, hours, minutes} = localParts(date);
	return `${year}-${month}-${day} ${hours}:${minutes}`;
}

/** `2026-11-22 03:00` in local time, from an ISO time (or the text itself when it is not one). */
export function whenIso(iso: string): string {
	return Number.isNaN(Date.parse(iso)) ? iso : when(new Date(iso));
}

/** `03:00`, in local time. */
export function clock(date: Date): string {
	const {hours, minutes} = localParts(date);
	return `${hours}:${minutes}`;
}

/** The names of a run's phases, as the headless output and `packrat status` print them. */
export const phaseNames: Record<Phase | 'idle', string> = {idle: 'Idle', connecting: 'Connecting', initializing: 'Initializing', 'backing-up': 'Backing up', finishing: 'Finishing', done: 'Done'};

/** `12 min`, `31 h`, `3 days`: a length of time as an age is read. */
export function span(ms: number): string {
	const minutes = Math.floor(ms / 60_000);
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return `${hours} h`;
	return `${Math.floor(hours / 24)} days`;
}

/** `just now`, `12 min ago`, `5 h ago`, `3 days ago`. */
export function ago(ms: number): string {
	return ms < 60_000 ? 'just now' : `${span(ms)} ago`;
}

/** The outcomes of a run as people read them: the window, `packrat run` and `packrat status` alike. */
export const outcomeNames: Record<Outcome, string> = {success: 'Done', partial: 'Done with errors', failed: 'Failed', cancelled: 'Cancelled'};

/** `1 file could not be fetched`, `2 files could not be fetched`: what a run Done with errors misses. */
export function missingPhrase(failed: number): string {
	return `${failed} ${failed === 1 ? 'file' : 'files'} could not be fetched`;
}

/** `12 folders, 340 files, 1.2 GB found so far` */
export function scanPhrase(scan: {folders: number; files: number; bytes: number}): string {
	return `${scan.folders} folders, ${scan.files} files, ${bytes(scan.bytes)} found so far`;
}

/** `45/120 files, 300 MB of 800 MB, 80 MB/s, ETA 0:07` */
export function transferPhrase(figures: {filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number; rate: number; etaSeconds?: number}): string {
	const left = figures.etaSeconds === undefined ? '' : `, ETA ${duration(figures.etaSeconds)}`;
	return `${figures.filesDone}/${figures.filesTotal} files, ${bytes(figures.bytesDone)} of ${bytes(figures.bytesTotal)}, ${rate(figures.rate)}${left}`;
}

/**
 * What the mass-change guard found, one clause for each figure past its limit (both when neither
 * is, which a judged run never is): `87% of the files changed since the last run (1044 of 1200)`,
 * `59% of the files are gone since the last run (700 of 1200)`; none without figures.
 */
export function massChangeParts(found: Suspicious | undefined): string[] {
	if (!found) return [];
	const changed = `${found.changedPercent}% of the files changed since the last run (${found.changed} of ${found.total})`;
	const vanished = `${found.vanishedPercent}% of the files are gone since the last run (${found.vanished} of ${found.total})`;
	const over = [found.changedPercent > found.limits.changedPercent ? changed : '', found.vanishedPercent > found.limits.vanishedPercent ? vanished : ''].filter(Boolean);
	return over.length > 0 ? over : [changed, vanished];
}

/**
 * The same as one clause: `87% of the files changed (1044 of 1200) and 59% are gone (700 of 1200)
 * since the last run` when both are past; for a marker without figures (one that cannot be read), says so.
 */
export function massChange(found: Suspicious | undefined): string {
	if (!found) return 'the guard\'s marker (.packrat/guard.json) cannot be read';
	const parts = massChangeParts(found);
	if (parts.length === 1) return parts[0]!;
	return `${found.changedPercent}% of the files changed (${found.changed} of ${found.total}) and ${found.vanishedPercent}% are gone (${found.vanished} of ${found.total}) since the last run`;
}
