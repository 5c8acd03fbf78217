/** Small figures of the window: a progress bar, a countdown, an age, a clock time. */
import {duration, localParts, pad2} from '../format.js';

export {ago} from '../format.js';

/** `[█████░░░░░]` (or `[#####.....]`) for a fraction from 0 to 1. */
export function bar(fraction: number, width: number, full: string, empty: string): string {
	const inner = Math.max(1, width - 2);
	const filled = Math.round(Math.min(1, Math.max(0, fraction)) * inner);
	return `[${full.repeat(filled)}${empty.repeat(inner - filled)}]`;
}

export function percent(fraction: number): string {
	return `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/** `4:05:09`, or `2d 04:05:09` beyond a day. */
export function countdown(ms: number): string {
	const seconds = Math.max(0, Math.ceil(ms / 1000));
	const days = Math.floor(seconds / 86_400);
	const rest = seconds % 86_400;
	if (days === 0) return duration(rest);
	return `${days}d ${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor((rest % 3600) / 60))}:${pad2(rest % 60)}`;
}

/** `14:03:12` in local time, from an ISO time (or the text itself when it is not one). */
export function clockTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	const {hours, minutes, seconds} = localParts(date);
	return `${hours}:${minutes}:${seconds}`;
}
