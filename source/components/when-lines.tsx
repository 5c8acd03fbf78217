/**
 * Always on screen: the last successful backup and the next scheduled one (or, when the schedule
 * is stopped, when it would run).
 */
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {bytes, when} from '../format.js';
import {nextRun} from '../schedule/next-run.js';
import type {SessionState} from '../model/session-state.js';
import {ago, countdown} from './figures.js';
import {keyOf} from './job-pane.js';
import {Line, type Piece} from './line.js';
import {useTheme, type Theme} from './theme.js';
import {useView} from './use-view.js';

const label = (text: string): Piece => ({text: text.padEnd(24), tone: 'muted'});

/** What the last and next backups draw from. */
export type WhenPart = Pick<SessionState, 'lastSuccess' | 'schedule'>;
export const whenPart = ({lastSuccess, schedule}: SessionState): WhenPart => ({lastSuccess, schedule});

function wouldRun(state: WhenPart, now: number): Date | undefined {
	try {
		return nextRun(state.schedule.startAt, state.schedule.repeat, new Date(now));
	} catch {
		return undefined;
	}
}

export function whenLines(state: WhenPart, theme: Theme, now: number): Piece[][] {
	const g = theme.glyph;
	const last = state.lastSuccess;
	const lastLine: Piece[] = last
		? [label('Last successful backup'), {text: when(new Date(last.ended)), bold: true}, ` (${ago(now - Date.parse(last.ended))}) ${g.dot} ${last.counts.downloaded} downloaded, ${bytes(last.bytes)}`]
		: [label('Last successful backup'), {text: 'never', bold: true}];
	const next = state.schedule.next;
	let nextLine: Piece[];
	if (state.schedule.armed && next) {
		nextLine = [label('Next scheduled backup'), {text: when(next), bold: true}, ` (in ${countdown(next.getTime() - now)})`];
	} else {
		const would = wouldRun(state, now);
		nextLine = [
			label('Next scheduled backup'),
			{text: 'none', bold: true},
			{text: ` ${g.dot} ${keyOf('schedule', theme.ascii)} starts the schedule${would ? ` (it would run ${when(would)})` : ''}`, tone: 'warn'},
		];
	}

	return [lastLine, nextLine];
}

function WhenLinesView({state, width, now}: {state?: SessionState; width: number; now: number}) {
	const theme = useTheme();
	const part = useView(whenPart, state);
	const lines = useMemo(() => whenLines(part, theme, now), [part, theme, now]);
	return (
		<Box flexDirection="column" flexShrink={0}>
			{lines.map((segments, index) => (
				<Line key={index} width={width} segments={segments} />
			))}
		</Box>
	);
}

/** Drawn again when the clock ticks (the countdown, the age) or the last or next backup changes, not on every frame of a run. */
export const WhenLines = React.memo(WhenLinesView);
