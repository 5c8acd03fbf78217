/**
 * One terminal line of styled segments, cut to its width: the building block of every pane, so
 * that no text wraps and a frame never grows taller than the layout planned. It is also the
 * window's last guard: a control character left in any segment is drawn escaped, never raw.
 */
import React from 'react';
import {Box, Text} from 'ink';
import {withoutControl} from '../backup/names.js';
import {asciiOnly, displayWidth, fit} from './text.js';
import {shallowEqual} from './use-view.js';
import {useTheme, type Tone} from './theme.js';

export type Segment = {text: string; tone?: Tone; bold?: boolean; dim?: boolean; inverse?: boolean};
export type Piece = Segment | string | false | undefined | null;

/** Whether two lines would draw the same, every field of every segment compared (a pane builds its lines afresh when its part of the state changes). */
export function sameSegments(a: readonly Piece[], b: readonly Piece[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let index = 0; index < a.length; index++) if (!shallowEqual(a[index], b[index])) return false;
	return true;
}

function LineView({segments, width}: {segments: readonly Piece[]; width: number}) {
	const theme = useTheme();
	let room = width;
	const parts: React.ReactNode[] = [];
	let plain = '';
	const endPlain = () => {
		if (plain) parts.push(plain);
		plain = '';
	};

	segments.forEach((piece, index) => {
		if (!piece || room <= 0) return;
		const segment = typeof piece === 'string' ? {text: piece} : piece;
		const shown = withoutControl(segment.text);
		const raw = theme.ascii ? asciiOnly(shown) : shown;
		const cells = displayWidth(raw);
		const text = cells <= room ? raw : fit(raw, room, theme.glyph.ellipsis);
		room -= cells <= room ? cells : displayWidth(text);
		const color = theme.tone(segment.tone);
		const dimColor = segment.dim && theme.color;
		// Unstyled text joins its neighbours: fewer nodes for React and Ink to lay out each frame.
		if (!color && !segment.bold && !dimColor && !segment.inverse) {
			plain += text;
			return;
		}

		endPlain();
		parts.push(
			<Text key={index} color={color} bold={segment.bold} dimColor={dimColor} inverse={segment.inverse}>
				{text}
			</Text>,
		);
	});
	endPlain();
	return (
		<Box height={1} width={width} flexShrink={0}>
			<Text wrap="truncate-end">{parts.length > 0 ? parts : ' '}</Text>
		</Box>
	);
}

/** One line; drawn again only when its width or what its segments say changes. */
export const Line = React.memo(LineView, (before, after) => before.width === after.width && sameSegments(before.segments, after.segments));

/** A section heading drawn as a rule: `── Progress ─────────`. */
export function Rule({title, width, extra}: {title: string; width: number; extra?: Piece}) {
	const theme = useTheme();
	const lead = `${theme.glyph.rule.repeat(2)} `;
	const extraText = extra ? (typeof extra === 'string' ? extra : extra.text) : '';
	const used = displayWidth(lead) + displayWidth(title) + 1 + (extraText ? displayWidth(extraText) + 1 : 0);
	const tail = theme.glyph.rule.repeat(Math.max(0, width - used));
	return <Line width={width} segments={[{text: lead, tone: 'muted'}, {text: title, bold: true}, ' ', extra, extra ? ' ' : undefined, {text: tail, tone: 'muted'}]} />;
}

/** A status word with its symbol, so that the meaning survives without colour. */
export function mark(symbol: string, word: string, tone: Tone, bold = true): Segment {
	return {text: `${symbol} ${word}`, tone, bold};
}
