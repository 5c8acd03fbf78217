/**
 * The log viewer (`e`): the end of the transfer log, however large the file (only its last
 * 256 KiB are read, at most 4,000 lines kept), scrolled a line or a page at a time, with a filter
 * that keeps only the errors. It opens at the newest line.
 */
import React, {useCallback, useEffect, useRef, useState} from 'react';
import {useKeys} from '../components/keys.js';
import {Box} from 'ink';
import {bytes, localParts} from '../format.js';
import {Footer} from '../components/footer.js';
import {Line, Rule, type Piece} from '../components/line.js';
import {useTheme, type Theme} from '../components/theme.js';
import {dispatch} from '../keymap.js';
import {readLogTail, tailBytes, transferLogPath, type LogLine, type LogTail} from '../files/log-tail.js';

function shortTime(iso: string): string {
	const date = new Date(iso);
	if (!iso || Number.isNaN(date.getTime())) return ''.padEnd(14);
	const {month, day, hours, minutes, seconds} = localParts(date);
	return `${month}-${day} ${hours}:${minutes}:${seconds}`;
}

export function logLine(line: LogLine, theme: Theme): Piece[] {
	const g = theme.glyph;
	const level: Piece = line.level === 'ERROR' ? {text: `${g.bad} ERROR`, tone: 'bad', bold: true} : line.level === 'WARN' ? {text: `${g.warn} WARN `, tone: 'warn'} : {text: `${g.dot} ${line.level.padEnd(5)}`, tone: 'muted'};
	const figures = [line.bytes && `${line.bytes} B`, line.ms && `${line.ms} ms`].filter(Boolean).join(', ');
	return [{text: `${shortTime(line.time)} `, tone: 'muted'}, level, ` ${line.event} `, {text: line.path, bold: true}, figures ? ` (${figures})` : '', line.reply ? ` ${line.reply}` : ''];
}

/** The pieces of a line without its first `cells` cells (scrolled right). */
export function skipCells(pieces: Piece[], cells: number): Piece[] {
	let left = cells;
	const result: Piece[] = [];
	for (const piece of pieces) {
		if (!piece) continue;
		const segment = typeof piece === 'string' ? {text: piece} : piece;
		const chars = [...segment.text];
		if (left >= chars.length) {
			left -= chars.length;
			continue;
		}

		result.push({...segment, text: chars.slice(left).join('')});
		left = 0;
	}

	return result;
}

const scrollStep = 20;

type Props = {folder: string | undefined; width: number; height: number; onClose: () => void};

export function LogViewer({folder, width, height, onClose}: Props) {
	const theme = useTheme();
	const [tail, setTail] = useState<LogTail>();
	const [failure, setFailure] = useState<string>();
	const [errorsOnly, setErrorsOnly] = useState(false);
	const [shift, setShift] = useState(0);
	/** Index of the top line shown, or undefined to follow the newest. */
	const [top, setTop] = useState<number>();
	const path = folder ? transferLogPath(folder) : undefined;

	const load = useCallback(() => {
		if (!path) return;
		readLogTail(path).then(
			found => {
				setTail(found);
				setFailure(undefined);
			},
			(error: NodeJS.ErrnoException) => setFailure(error.code ?? error.message),
		);
	}, [path]);
	useEffect(load, [load]);

	const lines = (tail?.lines ?? []).filter(line => !errorsOnly || line.level === 'ERROR');
	const page = Math.max(1, height - 4);
	const last = Math.max(0, lines.length - page);
	const shownTop = Math.min(top ?? last, last);
	// Keys that arrive in one chunk each see where the one before them left the view.
	const view = useRef({top: shownTop, last});
	view.current = {top: shownTop, last};
	const move = (by: number) => {
		const to = Math.max(0, Math.min(view.current.last, view.current.top + by));
		view.current.top = to;
		setTop(to >= view.current.last ? undefined : to);
	};

	useKeys((input, key) => {
		const action = dispatch('log', input, key)?.action;
		if (action === 'close') onClose();
		else if (action === 'up') move(-1);
		else if (action === 'down') move(1);
		else if (action === 'page-up') move(-page);
		else if (action === 'page-down') move(page);
		else if (action === 'top') move(-view.current.top);
		else if (action === 'bottom') move(view.current.last);
		else if (action === 'reload') load();
		else if (action === 'scroll-left') setShift(previous => Math.max(0, previous - scrollStep));
		else if (action === 'scroll-right') setShift(previous => previous + scrollStep);
		else if (action === 'filter') {
			setErrorsOnly(previous => !previous);
			setTop(undefined);
		}
	});

	const g = theme.glyph;
	const where = tail?.truncated ? `the last ${bytes(Math.min(tailBytes, tail.size))} of ${bytes(tail.size)}` : tail && !tail.missing ? bytes(tail.size) : '';
	const position = lines.length > 0 ? `lines ${shownTop + 1}-${Math.min(lines.length, shownTop + page)} of ${lines.length}` : '';
	let empty: string | undefined;
	if (!path) empty = 'No backup folder is set, so there is no log yet.';
	else if (failure) empty = `The log cannot be read (${failure}).`;
	else if (!tail) empty = `Reading${g.ellipsis}`;
	else if (tail.missing) empty = 'No transfer log yet: the first run writes it.';
	else if (lines.length === 0) empty = errorsOnly ? 'No errors in this part of the log.' : 'The log is empty.';
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Rule width={width} title="Transfer log" extra={errorsOnly ? {text: `${g.warn} errors only`, tone: 'warn', bold: true} : undefined} />
			<Line width={width} segments={[{text: [position, shift > 0 ? `from column ${shift + 1}` : '', where].filter(Boolean).join(` ${g.dot} `), tone: 'muted'}, {text: `  ${path ?? ''}`, bold: true}]} />
			<Box flexDirection="column" height={page} overflow="hidden">
				{empty ? <Line width={width} segments={[{text: empty, tone: 'muted'}]} /> : lines.slice(shownTop, shownTop + page).map((line, index) => <Line key={shownTop + index} width={width} segments={skipCells(logLine(line, theme), shift)} />)}
			</Box>
			<Footer screen="log" context={{armed: false, running: false}} width={width} />
		</Box>
	);
}
