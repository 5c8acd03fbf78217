/**
 * The progress pane through every phase: Connecting, Initializing (live counts), Backing up
 * (bar, files and bytes of total, rate, ETA, one line per connection), Finishing, and the
 * summary at the end. The spinner turns only while a run is going.
 */
import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import type {Summary} from '../backup/events.js';
import {escapeControl} from '../backup/names.js';
import {bytesNow, eta} from '../backup/progress.js';
import {bytes, duration, missingPhrase, outcomeNames, rate, when} from '../format.js';
import type {SessionState} from '../model/session-state.js';
import {bar, percent} from './figures.js';
import {keyOf} from './job-pane.js';
import {Line, mark, type Piece} from './line.js';
import {RunSpinner, spinnerFrames} from './spinner.js';
import {fitStart, wrapText} from './text.js';
import {useTheme, type Theme} from './theme.js';
import {useView} from './use-view.js';

export function outcomeMark(summary: Summary, theme: Theme): Piece {
	const g = theme.glyph;
	if (summary.outcome === 'success') return mark(g.ok, outcomeNames.success, 'ok');
	if (summary.outcome === 'partial') return mark(g.warn, outcomeNames.partial, 'warn');
	if (summary.outcome === 'cancelled') return mark(g.cancelled, outcomeNames.cancelled, 'warn');
	return mark(g.bad, outcomeNames.failed, 'bad');
}

/** ` · 16 connections`: the most a run had open at once, when it opened any. */
export function connectionsUsed(summary: Summary, dot: string): string {
	return summary.connections ? ` ${dot} ${summary.connections} connection${summary.connections === 1 ? '' : 's'}` : '';
}

export function summaryLines(summary: Summary, theme: Theme, width: number, title?: string): Piece[][] {
	const {counts} = summary;
	const g = theme.glyph;
	const lines: Piece[][] = [
		[title ? {text: `${title} `, bold: true} : undefined, outcomeMark(summary, theme), ` ${g.dot} started ${when(new Date(summary.started))} ${g.dot} ${summary.mode === 'full' ? 'Full' : 'Incremental'}${summary.latestOnly ? ', latest only' : ''}${connectionsUsed(summary, g.dot)}`],
		[
			`${counts.downloaded} downloaded ${g.dot} ${counts.unchanged} unchanged ${g.dot} `,
			{text: `${counts.failed} failed`, tone: counts.failed > 0 ? 'bad' : undefined},
			` ${g.dot} ${counts.skipped} skipped ${g.dot} ${bytes(summary.bytes)} in ${duration(summary.durationMs / 1000)}`,
		],
	];
	// Done with errors: how many files are missing, and the key that lists them (the log's errors).
	const reason = summary.outcome === 'partial' ? `${missingPhrase(counts.failed)} ${g.dot} press ${keyOf('log', theme.ascii)} to see them` : summary.reason && escapeControl(summary.reason);
	if (reason) for (const text of wrapText(reason, width, 3, g.ellipsis)) lines.push([{text, tone: summary.outcome === 'failed' ? 'bad' : 'warn'}]);
	lines.push([{text: `into ${escapeControl(summary.target)}`, tone: 'muted'}]);
	return lines;
}

/** Connections drawn each on a line of its own; under `connections: auto` there may be 16. */
const slotLines = 8;

export type ProgressLines = {head: Piece[]; body: Piece[][]; running: boolean};

/** What the progress pane draws from. */
export type ProgressPart = Pick<SessionState, 'progress' | 'running' | 'cancelling' | 'retry' | 'lastRun' | 'settings'>;

export const progressPart = ({progress, running, cancelling, retry, lastRun, settings}: SessionState): ProgressPart => ({progress, running, cancelling, retry, lastRun, settings});

/** The phase line (drawn after the spinner) and the lines under it, most important first. */
export function progressLines(state: ProgressPart, theme: Theme, width: number): ProgressLines {
	return {...phaseLines(state, theme, width), running: state.running};
}

function phaseLines(state: ProgressPart, theme: Theme, width: number): Omit<ProgressLines, 'running'> {
	const {progress} = state;
	const g = theme.glyph;
	const host = state.settings.server.host ?? '';
	if (!state.running || progress.phase === 'done') {
		if (progress.summary) return {head: [], body: summaryLines(progress.summary, theme, width)};
		if (state.lastRun) return {head: [], body: summaryLines(state.lastRun, theme, width, 'Last run:')};
		return {head: [], body: [[{text: `${g.idle} Idle ${g.dot} no backup has run into this folder yet`, tone: 'muted'}]]};
	}

	const cancelling: Piece[] = state.cancelling ? [{text: ` ${g.dot} cancelling, stopping at a safe point`, tone: 'warn'}] : [];
	const retry: Piece[][] = state.retry ? [[{text: `${g.retry} retrying ${state.retry}`, tone: 'warn'}]] : [];
	switch (progress.phase) {
		case 'idle':
		case 'connecting':
			return {head: [{text: 'Connecting', bold: true}, ` to ${escapeControl(host)}${g.ellipsis}`, ...cancelling], body: retry};
		case 'initializing': {
			const {scan} = progress;
			// Files already planned are downloaded while the scan lists on.
			const early = progress.filesDone > 0 ? ` ${g.dot} ${progress.filesDone} downloaded already` : '';
			const body: Piece[][] = [[`${scan.folders} folders scanned ${g.dot} ${scan.files} files ${g.dot} ${bytes(scan.bytes)} found so far${early}`], ...retry];
			if (progress.estimateFailed) body.unshift([mark(g.warn, `The estimate is incomplete: ${escapeControl(progress.estimateFailed)}; the run goes on`, 'warn', false)]);
			return {head: [{text: 'Initializing', bold: true}, ` ${g.dot} estimating the files and bytes to back up`, ...cancelling], body};
		}

		default: {
			const plan = progress.plan;
			const done = bytesNow(progress);
			const total = plan?.bytesToDownload ?? 0;
			const fraction = total > 0 ? done / total : plan && plan.toDownload > 0 ? progress.filesDone / plan.toDownload : 1;
			const left = eta(progress);
			const head: Piece[] = progress.phase === 'finishing'
				? [{text: 'Finishing', bold: true}, ` ${g.dot} writing the export and the logs`, ...cancelling]
				: [{text: 'Backing up', bold: true}, ` ${g.dot} ${progress.connections} connection${progress.connections === 1 ? '' : 's'}${progress.tls ? ', TLS' : ''}${progress.listing ? `, ${progress.listing}` : ''}`, ...cancelling];
			const barWidth = Math.max(10, Math.min(50, width - 8));
			const incomplete: Piece[][] = progress.estimateFailed ? [[mark(g.warn, 'The estimate is incomplete: the totals may grow', 'warn', false)]] : [];
			const body: Piece[][] = [
				[`Files ${progress.filesDone} of ${plan?.toDownload ?? '?'} ${g.dot} ${bytes(done)} of ${bytes(total)} ${g.dot} ${rate(progress.rate)}${left === undefined ? '' : ` ${g.dot} ETA ${duration(left)}`}`],
				[{text: bar(fraction, barWidth, g.barFull, g.barEmpty), tone: 'busy'}, ` ${percent(fraction)}`],
				...incomplete,
				...retry,
			];
			const slots = Object.entries(progress.slots).sort(([a], [b]) => Number(a) - Number(b));
			for (const [slot, view] of slots.slice(0, slotLines)) {
				const share = view.size > 0 ? view.bytes / view.size : 1;
				const tail = ` ${percent(share).padStart(4)} of ${bytes(view.size)}`;
				const prefix = `#${Number(slot) + 1} ${g.cursor} `;
				body.push([{text: prefix, tone: 'muted'}, fitStart(escapeControl(view.path), Math.max(8, width - prefix.length - tail.length - 1), g.ellipsis), tail]);
			}

			if (slots.length > slotLines) body.push([{text: `and ${slots.length - slotLines} more at work`, tone: 'muted'}]);
			if (plan) body.push([{text: `${plan.files} files on the server ${g.dot} ${plan.unchanged} unchanged ${g.dot} ${plan.skipped} skipped`, tone: 'muted'}]);
			return {head, body};
		}
	}
}

/**
 * The lines of the progress pane, built once for each change of what it draws: the Backup window
 * needs their count for its layout and hands them to the pane (ProgressBox).
 */
export function useProgressLines(width: number, given?: SessionState): ProgressLines {
	const theme = useTheme();
	const part = useView(progressPart, given);
	return useMemo(() => progressLines(part, theme, width), [part, theme, width]);
}

function ProgressBoxView({built, width, lines}: {built: ProgressLines; width: number; lines: number}) {
	const theme = useTheme();
	const {head, body} = built;
	const room = Math.max(0, lines - (head.length > 0 ? 1 : 0));
	const spinnerWidth = spinnerFrames[theme.spinner].frames[0].length;
	return (
		<Box flexDirection="column" height={lines} flexShrink={0} overflowY="hidden">
			{head.length > 0 ? (
				<Box height={1}>
					<Text color={theme.tone('busy')}>{built.running ? <RunSpinner kind={theme.spinner} /> : ' '.repeat(spinnerWidth)}</Text>
					<Text> </Text>
					<Line width={Math.max(1, width - spinnerWidth - 1)} segments={head} />
				</Box>
			) : null}
			{body.slice(0, room).map((segments, index) => (
				<Line key={index} width={width} segments={segments} />
			))}
		</Box>
	);
}

/** The progress pane drawing lines built for it. */
export const ProgressBox = React.memo(ProgressBoxView);

/** The progress pane on its own: reads what it draws (from the window's state, or the state given). */
export function ProgressPane({state, width, lines}: {state?: SessionState; width: number; lines: number}) {
	return <ProgressBox built={useProgressLines(width, state)} width={width} lines={lines} />;
}
