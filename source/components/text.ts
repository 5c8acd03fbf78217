/**
 * Fitting text into a terminal cell width: wide (CJK) characters count two, combining marks
 * none. The window cuts every line itself, with the theme's ellipsis, so that no line ever wraps
 * (a wrapped line would make a frame taller than the terminal) and ASCII mode stays ASCII.
 */
import stringWidth from 'string-width';

// The same measure Ink uses to lay out lines, so a line cut here is never wider in Ink's eyes.
const graphemes = new Intl.Segmenter();

function characters(text: string): string[] {
	return Array.from(graphemes.segment(text), ({segment}) => segment);
}

const widths = new Map<string, number>();
const maxRemembered = 4096;

/**
 * Cells the text takes on a terminal. Remembered: the window measures the same lines on every
 * frame, and a line with one non-ASCII character (a `·`, a bar) is measured grapheme by grapheme.
 */
export function displayWidth(text: string): number {
	if (text.length === 0) return 0;
	let cells = widths.get(text);
	if (cells === undefined) {
		cells = stringWidth(text);
		if (widths.size >= maxRemembered) widths.clear();
		widths.set(text, cells);
	}

	return cells;
}

/** The text cut at the end to `width` cells, ending with the ellipsis when cut. */
export function fit(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (displayWidth(text) <= width) return text;
	const room = width - displayWidth(ellipsis);
	if (room <= 0) return ellipsis.slice(0, width);
	let result = '';
	let used = 0;
	for (const char of characters(text)) {
		const cells = stringWidth(char);
		if (used + cells > room) break;
		result += char;
		used += cells;
	}

	return result + ellipsis;
}

/** The text cut at the start, so the end (a file name) stays readable. */
export function fitStart(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (displayWidth(text) <= width) return text;
	const room = width - displayWidth(ellipsis);
	if (room <= 0) return ellipsis.slice(0, width);
	const chars = characters(text);
	let result = '';
	let used = 0;
	for (let index = chars.length - 1; index >= 0; index--) {
		const cells = stringWidth(chars[index]!);
		if (used + cells > room) break;
		result = chars[index]! + result;
		used += cells;
	}

	return ellipsis + result;
}

/** The text fitted and padded with spaces to exactly `width` cells. */
export function padTo(text: string, width: number, ellipsis = '…'): string {
	const fitted = fit(text, width, ellipsis);
	return fitted + ' '.repeat(Math.max(0, width - displayWidth(fitted)));
}

/** The text broken into lines of at most `width` cells, at spaces where it can be; at most `lines` lines, the last cut. */
export function wrapText(text: string, width: number, lines: number, ellipsis = '…'): string[] {
	const result: string[] = [];
	let rest = text;
	while (rest.length > 0 && result.length < lines) {
		if (displayWidth(rest) <= width || result.length === lines - 1) {
			result.push(fit(rest, width, ellipsis));
			break;
		}

		let cut = fit(rest, width, '');
		const space = cut.lastIndexOf(' ');
		const atBreak = rest[cut.length] === ' ';
		if (!atBreak && space > width / 2) cut = cut.slice(0, space + 1);
		result.push(cut.trimEnd());
		rest = rest.slice(cut.length).trimStart();
	}

	return result;
}

export {asciiOnly} from '../backup/names.js';
