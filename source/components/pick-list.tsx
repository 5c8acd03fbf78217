/**
 * A list to pick from: lines of pieces with a cursor, scrolled so the cursor stays in view. The
 * folder chooser and the Versions screen draw their lists with it.
 */
import React from 'react';
import {Box} from 'ink';
import {Line, type Piece} from './line.js';
import {useTheme} from './theme.js';

/** The first entry shown: the cursor kept in view, the list never scrolled past its end. */
export function scrollTop(cursor: number, count: number, height: number): number {
	return Math.min(Math.max(0, cursor - height + 1), Math.max(0, count - height));
}

/** The cursor moved `by` entries (a line, a page), kept inside a list of `count`. */
export function moveCursor(cursor: number, by: number, count: number): number {
	return Math.max(0, Math.min(count - 1, cursor + by));
}

type Props = {
	entries: readonly Piece[][];
	cursor: number;
	width: number;
	height: number;
	/** The list has the keys: its cursor line stands out (default). Otherwise the cursor only marks where it was. */
	active?: boolean;
};

export function PickList({entries, cursor, width, height, active = true}: Props) {
	const theme = useTheme();
	const top = scrollTop(cursor, entries.length, height);
	return (
		<Box flexDirection="column" height={height} overflow="hidden" flexShrink={0}>
			{entries.slice(top, top + height).map((segments, index) => {
				const here = top + index === cursor;
				const marker: Piece = here ? {text: `${theme.glyph.cursor} `, bold: true, tone: active ? 'accent' : 'muted'} : '  ';
				return <Line key={top + index} width={width} segments={[marker, ...segments.map(piece => (here && active && typeof piece === 'string' ? {text: piece, inverse: true} : piece))]} />;
			})}
		</Box>
	);
}
