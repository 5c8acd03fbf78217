/**
 * The History screen (`h`): the runs of this backup folder, newest first (time, outcome, files
 * downloaded and unchanged, bytes, duration, errors), scrolled a line or a page at a time, under
 * two charts of the last weeks: bytes and duration per run. Only the newest 500 runs are read,
 * from the end of the history (files/history-tail.ts), however long it has grown. It reads the
 * history again when a run ends.
 */
import React, {useEffect, useState} from 'react';
import {Box} from 'ink';
import {bytes, duration} from '../format.js';
import {chartLines} from '../components/chart.js';
import {Footer} from '../components/footer.js';
import {useKeys} from '../components/keys.js';
import {Line, Rule, type Piece} from '../components/line.js';
import {moveCursor} from '../components/pick-list.js';
import {padTo} from '../components/text.js';
import {useTheme} from '../components/theme.js';
import {useRefState} from '../components/use-ref-state.js';
import {readHistoryTail, type HistoryTail} from '../files/history-tail.js';
import {dispatch} from '../keymap.js';
import {chartRuns, chartWeeks, headerRow, runRow} from './history-rows.js';

type Props = {
	folder: string | undefined;
	width: number;
	height: number;
	onClose: () => void;
	/** Changes when a run has ended: the history is read again. */
	lastEnded?: string;
	/** How the history is read (a test may count the bytes). */
	read?: (folder: string) => Promise<HistoryTail>;
};

/** Lines of the chart, by the lines the screen has: none on a short terminal. */
export function chartHeight(height: number): number {
	const room = height - 6;
	return room >= 10 ? Math.min(8, Math.max(3, Math.floor(room * 0.4))) : 0;
}

const secondsLabel = (ms: number) => duration(ms / 1000);

export function HistoryScreen({folder, width, height, onClose, lastEnded, read = readHistoryTail}: Props) {
	const theme = useTheme();
	const g = theme.glyph;
	const [tail, setTail] = useState<HistoryTail>();
	const [failure, setFailure] = useState<string>();
	const [top, setTop, topRef] = useRefState(0);

	useEffect(() => {
		if (!folder) return;
		let live = true;
		read(folder).then(
			found => live && (setTail(found), setFailure(undefined)),
			(error: NodeJS.ErrnoException) => live && setFailure(error.code ?? error.message),
		);
		return () => {
			live = false;
		};
	}, [folder, lastEnded, read]);

	const runs = tail?.runs ?? [];
	const chart = chartHeight(height);
	const rows = Math.max(1, height - 5 - (chart > 0 ? chart + 1 : 0));
	const last = Math.max(0, runs.length - rows);
	useKeys((input, key) => {
		const action = dispatch('history', input, key)?.action;
		const move = (by: number) => setTop(moveCursor(topRef.current, by, last + 1));
		if (action === 'close') onClose();
		else if (action === 'up') move(-1);
		else if (action === 'down') move(1);
		else if (action === 'page-up') move(-rows);
		else if (action === 'page-down') move(rows);
		else if (action === 'top') move(-topRef.current);
		else if (action === 'bottom') move(last);
	});

	const shownTop = Math.min(top, last);
	let empty: string | undefined;
	if (!folder) empty = 'No backup folder is set, so there is no history.';
	else if (failure) empty = `The history cannot be read (${failure}).`;
	else if (!tail) empty = `Reading${g.ellipsis}`;
	else if (runs.length === 0) empty = 'No runs recorded yet in this backup folder: the first run writes the history.';

	const older = tail?.more ? ` ${g.dot} older runs not read (${bytes(tail.bytesRead)} of ${bytes(tail.size)} read)` : '';
	const position = runs.length > 0 ? `runs ${shownTop + 1}-${Math.min(runs.length, shownTop + rows)} of ${runs.length}, newest first${older}` : '';
	const half = Math.floor((width - 1) / 2);
	const charted = chartRuns(runs);
	const drawn = [
		chartLines(charted.map(run => run.bytes), {width: half, height: chart, label: bytes, ascii: theme.ascii}),
		chartLines(charted.map(run => run.durationMs), {width: width - half - 1, height: chart, label: secondsLabel, ascii: theme.ascii}),
	];
	// More runs than columns: each column is the largest of a few runs, so a peak is never lost.
	const per = drawn[0]!.per > 1 ? `, max of ${drawn[0]!.per}` : '';
	const titles: Piece[] = [
		{text: padTo(`Bytes per run, last ${chartWeeks} weeks${per}`, half + 1, g.ellipsis), bold: true},
		{text: `Duration per run${per}`, bold: true},
	];
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Rule width={width} title="History" />
			<Line width={width} segments={[{text: position, tone: 'muted'}, {text: `  ${folder ?? ''}`, bold: true}]} />
			{empty ? (
				<Box height={height - 4} flexDirection="column">
					<Line width={width} segments={[{text: empty, tone: failure ? 'bad' : 'muted'}]} />
				</Box>
			) : (
				<>
					{chart > 0 ? <Line width={width} segments={titles} /> : null}
					{chart > 0 ? drawn[0]!.lines.map((line, index) => <Line key={`c${index}`} width={width} segments={[padTo(line, half + 1, ''), drawn[1]!.lines[index] ?? '']} />) : null}
					<Line width={width} segments={headerRow()} />
					<Box flexDirection="column" height={rows} overflow="hidden">
						{runs.slice(shownTop, shownTop + rows).map((run, index) => <Line key={shownTop + index} width={width} segments={runRow(run, theme)} />)}
					</Box>
				</>
			)}
			<Footer screen="history" context={{armed: false, running: false}} width={width} />
		</Box>
	);
}
