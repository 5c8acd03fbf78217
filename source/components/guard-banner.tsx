/**
 * The mass-change guard's banner on the Backup window, while it holds pruning off: a red bar
 * (reverse video, red where there is colour) with a symbol and the word SUSPICIOUS, so that its
 * meaning survives NO_COLOR and ASCII; the key that confirms first (a long line is cut at its end), the
 * figures, and since when.
 */
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {massChange, whenIso} from '../format.js';
import {bindingFor, showKey} from '../keymap.js';
import type {SessionState} from '../model/session-state.js';
import {Line, type Piece} from './line.js';
import {padTo, wrapText} from './text.js';
import {useTheme, type Theme} from './theme.js';
import {useView} from './use-view.js';

const guardPart = ({guard}: SessionState) => guard;

/** The banner's lines (none without a hold), at most two. */
export function guardLines(guard: SessionState['guard'], theme: Theme, width: number): Piece[][] {
	if (!guard) return [];
	const key = showKey(bindingFor('backup', 'accept-guard').keys[0]!, theme.ascii);
	const text = `${theme.glyph.warn} SUSPICIOUS, press ${key} to accept: ${massChange(guard.suspicious)}. Pruning off since ${whenIso(guard.since)}.`;
	return wrapText(text, width, 2, theme.glyph.ellipsis).map(line => [{text: padTo(line, width, theme.glyph.ellipsis), tone: 'bad', bold: true, inverse: true}]);
}

/** The banner's lines, built once for each change of the hold (the Backup window needs their count for its layout). */
export function useGuardLines(width: number, given?: SessionState): Piece[][] {
	const theme = useTheme();
	const guard = useView(guardPart, given);
	return useMemo(() => guardLines(guard, theme, width), [guard, theme, width]);
}

export function GuardBanner({lines, width}: {lines: Piece[][]; width: number}) {
	if (lines.length === 0) return null;
	return (
		<Box flexDirection="column" flexShrink={0}>
			{lines.map((segments, index) => (
				<Line key={index} width={width} segments={segments} />
			))}
		</Box>
	);
}
