/**
 * One terminal line of styled segments, cut to its width: the building block of every pane, so
 * that no text wraps and a frame never grows taller than the layout planned.
 */
import React from 'react';
import {Box, Text} from 'ink';
import {asciiOnly, displayWidth, fit} from './text.js';
import {useTheme, type Tone} from './theme.js';

export type Segment = {text: string; tone?: Tone; bold?: boolean; dim?: boolean; inverse?: boolean};
export type Piece = Segment | string | false | undefined | null;

export function Line({segments, width}: {segments: readonly Piece[]; width: number}) {
	const theme = useTheme();
	let room = width;
	const parts: React.ReactNode[] = [];
	segments.forEach((piece, index) => {
		if (!piece || room <= 0) return;
		const segment = typeof piece === 'string' ? {text: piece} : piece;
		const raw = theme.ascii ? asciiOnly(segment.text) : segment.text;
		const text = displayWidth(raw) <= room ? raw : fit(raw, room, theme.glyph.ellipsis);
		room -= displayWidth(text);
		parts.push(
			<Text key={index} color={theme.tone(segment.tone)} bold={segment.bold} dimColor={segment.dim && theme.color} inverse={segment.inverse}>
				{text}
			</Text>,
		);
	});
	return (
		<Box height={1} width={width} flexShrink={0}>
			<Text wrap="truncate-end">{parts.length > 0 ? parts : ' '}</Text>
		</Box>
	);
}

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
