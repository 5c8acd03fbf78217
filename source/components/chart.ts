/**
 * A line chart of figures over time for the terminal, drawn by asciichart: its box-drawing lines,
 * or ASCII characters only in ASCII mode (asciichart's own symbols are all box-drawing). The
 * chart is cut to the cells it is given: when there are more values than columns, each column
 * shows the largest of a few neighbouring values, so a peak is never lost.
 */
import {plot, type PlotConfig} from 'asciichart';
import {displayWidth} from './text.js';

type Symbols = NonNullable<PlotConfig['symbols']>;

/** In asciichart's order: ┼ ┤ ╶ ╴ ─ ╰ ╭ ╮ ╯ │. */
export const asciiSymbols: Symbols = ['+', '|', '-', '-', '-', '\'', '.', '.', '\'', '|'];

/** Values for `columns` cells, oldest first: as they are when they fit, else the largest of every `per` of them. */
export function fitPoints(values: readonly number[], columns: number): {points: number[]; per: number} {
	const room = Math.max(1, columns);
	if (values.length <= room) return {points: [...values], per: 1};
	const per = Math.ceil(values.length / room);
	const points: number[] = [];
	// Grouped from the newest end, so the newest value always has a column of its own group.
	for (let end = values.length; end > 0; end -= per) points.unshift(Math.max(...values.slice(Math.max(0, end - per), end)));
	return {points, per};
}

export type Chart = {lines: string[]; per: number};

/**
 * Exactly `height` lines, none wider than `width` cells: the labels (made by `label`) on the
 * left, the values from oldest (left) to newest (right), from zero up. Too narrow, it is blank.
 */
export function chartLines(values: readonly number[], options: {width: number; height: number; label: (value: number) => string; ascii: boolean}): Chart {
	const {width, height, label, ascii} = options;
	const clean = values.map(value => (Number.isFinite(value) && value > 0 ? value : 0));
	const top = Math.max(0, ...clean);
	const labelWidth = Math.max(displayWidth(label(top)), displayWidth(label(0)), displayWidth(label(top / 2)));
	const columns = width - labelWidth - 2;
	if (clean.length === 0 || columns < 2 || height < 1) return {lines: Array.from({length: Math.max(0, height)}, () => ''), per: 1};
	const {points, per} = fitPoints(clean, columns);
	const drawn = plot(points, {
		height: Math.max(1, height - 1), min: 0, offset: 3,
		format: value => label(Math.max(0, value)).padStart(labelWidth),
		...(ascii ? {symbols: asciiSymbols} : {}),
	}).split('\n');
	// A flat line of zeros is one line high: the rest of the height stays blank above it.
	const lines = [...Array.from({length: Math.max(0, height - drawn.length)}, () => ''), ...drawn.slice(-height)];
	return {lines: lines.map(line => line.trimEnd()), per};
}
