/**
 * What the History screen draws from the runs: one row per run (time, outcome with its symbol
 * and word, files downloaded and unchanged, bytes, duration, errors), and the runs of the last
 * weeks that its charts of bytes and duration per run are drawn from.
 */
import type {Summary} from '../backup/events.js';
import {escapeControl} from '../backup/names.js';
import {bytes, duration, when} from '../format.js';
import type {Piece} from '../components/line.js';
import {outcomeMark} from '../components/progress-pane.js';
import type {Theme} from '../components/theme.js';

/** How far back the charts go, from the newest run. */
export const chartWeeks = 4;

const columns = [
	{title: 'When', width: 16},
	{title: 'Outcome', width: 18}, // The widest: '⚠ Done with errors'.
	{title: 'Downloaded', width: 10, right: true},
	{title: 'Unchanged', width: 9, right: true},
	{title: 'Bytes', width: 8, right: true},
	{title: 'Time', width: 7, right: true},
	{title: 'Errors', width: 6, right: true},
];

const cell = (text: string, index: number) => {
	const column = columns[index]!;
	return column.right ? text.padStart(column.width) : text.padEnd(column.width);
};

export function headerRow(): Piece[] {
	return [{text: columns.map((column, index) => cell(column.title, index)).join(' '), bold: true}];
}

/** One run as a row; the outcome's word and symbol carry its meaning, its colour only adds to it. */
export function runRow(run: Summary, theme: Theme): Piece[] {
	const mark = outcomeMark(run, theme);
	const outcome = mark && typeof mark === 'object' ? {...mark, text: cell(mark.text, 1)} : cell('', 1);
	// Why a run failed; a cancelled run's reason says no more than its outcome.
	const reason = run.outcome === 'failed' && run.reason ? escapeControl(run.reason) : '';
	const note = [run.mode === 'full' ? 'Full' : '', reason].filter(Boolean).join(` ${theme.glyph.dot} `);
	return [
		`${cell(when(new Date(run.started)), 0)} `,
		outcome,
		` ${cell(String(run.counts.downloaded), 2)} ${cell(String(run.counts.unchanged), 3)} ${cell(bytes(run.bytes), 4)} ${cell(duration(run.durationMs / 1000), 5)} `,
		{text: cell(String(run.errors), 6), tone: run.errors > 0 ? 'bad' : undefined},
		note ? {text: `  ${note}`, tone: 'muted'} : undefined,
	];
}

/** The runs the charts show, oldest first: those of the last `chartWeeks` weeks before the newest run. */
export function chartRuns(newestFirst: readonly Summary[]): Summary[] {
	const newest = newestFirst[0];
	if (!newest) return [];
	const from = Date.parse(newest.started) - chartWeeks * 7 * 86_400_000;
	return newestFirst.filter(run => Date.parse(run.started) >= from).reverse();
}
