/**
 * Always on screen: the last successful backup, with its age (red and called stale beyond two
 * cycles of the schedule) and the files a run Done with errors missed, and the next scheduled one
 * (or, when the schedule is stopped, when it would run).
 */
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {bytes, missingPhrase, when} from '../format.js';
import {nextRun} from '../schedule/next-run.js';
import {freshness} from '../schedule/staleness.js';
import type {SessionState} from '../model/session-state.js';
import {ago, countdown} from './figures.js';
import {useClock} from './use-clock.js';
import {keyOf} from './job-pane.js';
import {Line, type Piece} from './line.js';
import {displayWidth} from './text.js';
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

/** The width a line of pieces takes. */
const widthOf = (pieces: readonly Piece[]) => pieces.reduce((sum, piece) => sum + (piece ? displayWidth(typeof piece === 'string' ? piece : piece.text) : 0), 0);

/**
 * The last successful backup: when, how long ago (red and called stale beyond two cycles of the
 * schedule), then what it holds, or for a run Done with errors how many files it misses (in short
 * where the whole phrase does not fit).
 */
function lastLine(state: WhenPart, theme: Theme, now: number, width: number): Piece[] {
	const g = theme.glyph;
	const last = state.lastSuccess;
	const fresh = freshness(last?.ended, state.schedule, new Date(now));
	if (!last || !fresh) return [label('Last successful backup'), {text: 'never', bold: true}];
	const tone = fresh.stale ? 'bad' : undefined;
	const line: Piece[] = [
		label('Last successful backup'),
		{text: when(new Date(last.ended)), bold: true, tone},
		{text: ` (${ago(fresh.ageMs)})`, tone},
		fresh.stale ? {text: ` ${g.bad} stale`, tone, bold: true} : undefined,
	];
	if (last.outcome !== 'partial') return [...line, ` ${g.dot} ${last.counts.downloaded} downloaded, ${bytes(last.bytes)}`];
	const missing = ` ${g.dot} ${missingPhrase(last.counts.failed)}`;
	const short = ` ${g.dot} ${last.counts.failed} ${last.counts.failed === 1 ? 'file' : 'files'} missing`;
	return [...line, {text: widthOf(line) + displayWidth(missing) <= width ? missing : short, tone: 'warn'}];
}

export function whenLines(state: WhenPart, theme: Theme, now: number, width = 80): Piece[][] {
	const g = theme.glyph;
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

	return [lastLine(state, theme, now, width), nextLine];
}

function WhenLinesView({state, width, now}: {state?: SessionState; width: number; now: number}) {
	const theme = useTheme();
	const part = useView(whenPart, state);
	// The window's clock stands still while nothing counts down: the age (and staleness) follows a minute clock of its own.
	const minute = useClock(true, 60_000);
	const at = Math.max(now, minute);
	const lines = useMemo(() => whenLines(part, theme, at, width), [part, theme, at, width]);
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
