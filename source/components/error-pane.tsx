/**
 * The error pane: the newest error lines of the run going on (or of the last run, read from the
 * tail of the transfer log), with their count, and the key that opens the whole log.
 */
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {bindingFor, showKey} from '../keymap.js';
import type {SessionState} from '../model/session-state.js';
import {clockTime} from './figures.js';
import {Line, Rule, type Piece} from './line.js';
import {useTheme, type Theme} from './theme.js';
import {useView} from './use-view.js';

/** What the error pane draws from. */
export type ErrorPart = Pick<SessionState, 'errors' | 'errorCount' | 'running' | 'lastRun'>;
export const errorPart = ({errors, errorCount, running, lastRun}: SessionState): ErrorPart => ({errors, errorCount, running, lastRun});

export function errorLines(state: ErrorPart, theme: Theme, room: number): Piece[][] {
	const g = theme.glyph;
	if (state.errors.length === 0) {
		if (state.errorCount > 0) return [[{text: `${g.warn} ${state.errorCount} error(s): see the log`, tone: 'warn'}]];
		const text = state.running ? 'no errors so far' : state.lastRun ? 'no errors in the last run' : 'no errors';
		return [[{text: `${g.ok} ${text}`, tone: 'ok'}]];
	}

	return state.errors.slice(-Math.max(1, room)).map(line => [
		{text: `${g.bad} `, tone: 'bad'},
		{text: `${clockTime(line.time)} `, tone: 'muted'},
		line.path ? {text: `${line.path}: `, bold: true} : undefined,
		line.message,
	]);
}

function ErrorPaneView({state, width, lines}: {state?: SessionState; width: number; lines: number}) {
	const theme = useTheme();
	const part = useView(errorPart, state);
	const rows = useMemo(() => errorLines(part, theme, lines - 1).slice(-(lines - 1)), [part, theme, lines]);
	const count = Math.max(part.errorCount, part.errors.length);
	const hint = `${showKey(bindingFor('backup', 'log').keys[0]!, theme.ascii)} opens the log`;
	return (
		<Box flexDirection="column" height={lines} flexShrink={0} overflowY="hidden">
			<Rule width={width} title={`Errors (${count})`} extra={{text: hint, tone: 'muted'}} />
			{rows.map((segments, index) => (
				<Line key={index} width={width} segments={segments} />
			))}
		</Box>
	);
}

/** Drawn again only when the errors, their count or what the empty pane says change. */
export const ErrorPane = React.memo(ErrorPaneView);
