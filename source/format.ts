/** Figures as people read them, shared by the window and the headless output. */
import prettyBytes from 'pretty-bytes';

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
