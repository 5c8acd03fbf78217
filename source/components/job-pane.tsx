/**
 * The top of the Backup window: what the job is (source with its TLS state, backup folder,
 * Start at with the live countdown, mode, Latest only, schedule state) and one status line
 * (misconfigured with the key that fixes it, a notice, or the schedule's note).
 */
import React from 'react';
import {Box} from 'ink';
import {bindingFor, showKey} from '../keymap.js';
import {describeRepeat} from '../schedule/next-run.js';
import {defaultPort} from '../settings/job.js';
import {escapeControl} from '../backup/names.js';
import type {SessionState} from '../model/session-state.js';
import {countdown} from './figures.js';
import {Line, mark, type Piece} from './line.js';
import {displayWidth, wrapText} from './text.js';
import type {Theme} from './theme.js';
import {useTheme} from './theme.js';

const label = (text: string): Piece => ({text: text.padEnd(10), tone: 'muted'});

export function keyOf(action: 'settings' | 'folder' | 'schedule' | 'now' | 'log', ascii: boolean): string {
	return showKey(bindingFor('backup', action).keys[0]!, ascii);
}

export function scheduleMark(state: SessionState, theme: Theme): Piece {
	return state.schedule.armed ? mark(theme.glyph.armed, 'ARMED', 'ok') : mark(theme.glyph.stopped, 'STOPPED', 'warn');
}

export function jobLines(state: SessionState, theme: Theme, now: number, width: number, profile?: string): Piece[][] {
	const {settings, schedule} = state;
	const {server} = settings;
	const g = theme.glyph;
	const title: Piece[] = [{text: 'packrat', bold: true, tone: 'accent'}, ` ${g.dot} Backup window`, profile ? {text: ` (profile ${profile})`, tone: 'muted'} : undefined];
	const right = scheduleMark(state, theme);
	const used = title.reduce((sum, piece) => sum + (piece ? displayWidth(typeof piece === 'string' ? piece : piece.text) : 0), 0);
	const rightText = typeof right === 'string' ? right : (right as {text: string}).text;
	title.push(' '.repeat(Math.max(1, width - used - displayWidth(rightText))), right);

	const source: Piece[] = server.host
		? [
				label('Source'),
				`${escapeControl(server.user)}@${escapeControl(server.host)}:${defaultPort(settings)}${escapeControl(server.root)}  `,
				server.tls === 'none' ? mark(g.warn, 'no TLS (plain FTP)', 'warn', false) : mark(g.ok, `TLS (${server.tls})`, 'ok', false),
			]
		: [label('Source'), mark(g.bad, `not set ${g.dot} press ${keyOf('settings', theme.ascii)}`, 'bad')];
	const folder: Piece[] = settings.backupFolder
		? [label('Folder'), escapeControl(settings.backupFolder)]
		: [label('Folder'), mark(g.bad, `not set ${g.dot} press ${keyOf('folder', theme.ascii)}`, 'bad')];
	const left = schedule.next ? schedule.next.getTime() - now : undefined;
	const startAt: Piece[] = [
		label('Start at'),
		{text: schedule.startAt, bold: true},
		` ${describeRepeat(schedule.repeat)}  `,
		schedule.armed
			? mark(g.armed, left === undefined ? 'armed' : `armed, next in ${countdown(left)}`, 'ok', false)
			: mark(g.stopped, `stopped ${g.dot} ${keyOf('schedule', theme.ascii)} starts the countdown`, 'warn', false),
	];
	const mode: Piece[] = [
		label('Mode'),
		{text: settings.mode === 'full' ? 'Full' : 'Incremental', bold: true},
		`  ${g.dot}  Latest only: `,
		{text: settings.latestOnly ? 'on' : 'off', bold: true},
		`  ${g.dot}  ${settings.connections} connection${settings.connections === 1 ? '' : 's'}`,
	];
	return [title, source, folder, startAt, mode];
}

let last: {state: SessionState; theme: Theme; width: number; lines: Piece[][]} | undefined;

/** The status line, or two when a misconfiguration needs the room for its reason (the window asks twice a frame: remembered). */
export function statusLines(state: SessionState, theme: Theme, width: number): Piece[][] {
	if (last?.state === state && last.theme === theme && last.width === width) return last.lines;
	const lines = buildStatusLines(state, theme, width);
	last = {state, theme, width, lines};
	return lines;
}

function buildStatusLines(state: SessionState, theme: Theme, width: number): Piece[][] {
	const g = theme.glyph;
	if (state.notice) {
		const symbol = {ok: g.ok, bad: g.bad, warn: g.warn, muted: g.arrow}[state.notice.tone];
		return wrapText(`${symbol} ${state.notice.text}`, width, 2, g.ellipsis).map(text => [{text, tone: state.notice!.tone}]);
	}

	if (state.blocked) {
		const text = `${g.bad} MISCONFIGURED, press ${keyOf(state.blocked.fix, theme.ascii)} to fix: ${state.blocked.reason}`;
		return wrapText(text, width, 2, g.ellipsis).map((line, index) => [{text: line, tone: 'bad', bold: index === 0}]);
	}

	if (state.schedule.note) return [[mark(g.warn, state.schedule.note, 'warn', false)]];
	if (state.running && !state.cancelAllowed) return [[mark(g.warn, 'cancelling is disabled by the administrator', 'warn', false)]];
	if (state.running) return [[{text: `${g.arrow} ${state.trigger === 'scheduled' ? 'scheduled backup' : 'backup'} running`, tone: 'busy'}]];
	const now = keyOf('now', theme.ascii);
	if (state.lastRun?.outcome === 'failed') return [[mark(g.bad, 'The last run failed', 'bad', false), {text: ` ${g.dot} press ${now} to try again, ${keyOf('log', theme.ascii)} to read the log`, tone: 'muted'}]];
	if (state.lastRun?.outcome === 'cancelled') return [[mark(g.cancelled, 'The last run was cancelled', 'warn', false), {text: ` ${g.dot} the next cycle runs as usual; ${now} runs one now`, tone: 'muted'}]];
	return [[mark(g.ok, 'Ready', 'ok', false), {text: ` ${g.dot} press ${now} to back up now`, tone: 'muted'}]];
}

function JobPaneView({state, now, width, profile}: {state: SessionState; now: number; width: number; profile?: string}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" flexShrink={0}>
			{jobLines(state, theme, now, width, profile).map((segments, index) => (
				<Line key={index} width={width} segments={segments} />
			))}
			{statusLines(state, theme, width).map((segments, index) => (
				<Line key={`status-${index}`} width={width} segments={segments} />
			))}
		</Box>
	);
}

/** What the job pane draws from (the run's progress is not part of it). */
function sameJob(a: SessionState, b: SessionState): boolean {
	return a.settings === b.settings && a.schedule === b.schedule && a.notice === b.notice && a.blocked === b.blocked && a.running === b.running && a.cancelAllowed === b.cancelAllowed && a.trigger === b.trigger && a.lastRun === b.lastRun;
}

/** Drawn again when the job, the status or the clock changes, not on every frame of a run. */
export const JobPane = React.memo(JobPaneView, (a, b) => a.width === b.width && a.now === b.now && a.profile === b.profile && sameJob(a.state, b.state));
