/**
 * The top of the Backup window: what the job is (source with its TLS state, backup folder,
 * Start at with the live countdown, mode, Latest only, schedule state) and one status line
 * (misconfigured with the key that fixes it, a notice, or the schedule's note).
 */
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {bindingFor, showKey} from '../keymap.js';
import {describeRepeat} from '../schedule/next-run.js';
import {defaultPort} from '../settings/job.js';
import {escapeControl} from '../backup/names.js';
import type {SessionState} from '../model/session-state.js';
import {outcomeNames} from '../format.js';
import {countdown} from './figures.js';
import {Line, mark, type Piece} from './line.js';
import {displayWidth, wrapText} from './text.js';
import type {Theme} from './theme.js';
import {useTheme} from './theme.js';
import {useView} from './use-view.js';

const label = (text: string): Piece => ({text: text.padEnd(10), tone: 'muted'});

export function keyOf(action: 'settings' | 'folder' | 'schedule' | 'now' | 'log', ascii: boolean): string {
	return showKey(bindingFor('backup', action).keys[0]!, ascii);
}

/** What the job lines draw from. */
export type JobPart = Pick<SessionState, 'settings' | 'schedule'>;
export const jobPart = ({settings, schedule}: SessionState): JobPart => ({settings, schedule});

/** What the status line draws from. */
export type StatusPart = Pick<SessionState, 'notice' | 'blocked' | 'schedule' | 'running' | 'cancelAllowed' | 'trigger' | 'lastRun'>;
export const statusPart = ({notice, blocked, schedule, running, cancelAllowed, trigger, lastRun}: SessionState): StatusPart => ({notice, blocked, schedule, running, cancelAllowed, trigger, lastRun});

export function scheduleMark(state: JobPart, theme: Theme): Piece {
	return state.schedule.armed ? mark(theme.glyph.armed, 'ARMED', 'ok') : mark(theme.glyph.stopped, 'STOPPED', 'warn');
}

export function jobLines(state: JobPart, theme: Theme, now: number, width: number, profile?: string): Piece[][] {
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
		`  ${g.dot}  ${settings.connections === 'auto' ? 'connections: auto' : `${settings.connections} connection${settings.connections === 1 ? '' : 's'}`}`,
	];
	return [title, source, folder, startAt, mode];
}

/** The status line, or two when a misconfiguration needs the room for its reason. */
export function statusLines(state: StatusPart, theme: Theme, width: number): Piece[][] {
	const g = theme.glyph;
	const {notice} = state;
	if (notice) {
		const symbol = {ok: g.ok, bad: g.bad, warn: g.warn, muted: g.arrow}[notice.tone];
		const hint = notice.hint ? `; press ${keyOf(notice.hint.action, theme.ascii)} ${notice.hint.does}` : '';
		return wrapText(`${symbol} ${notice.text}${hint}`, width, 2, g.ellipsis).map(text => [{text, tone: notice.tone}]);
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
	if (state.lastRun?.outcome === 'partial') return [[mark(g.warn, `The last run was ${outcomeNames.partial}`, 'warn', false), {text: ` ${g.dot} the rest is whole; ${now} runs again`, tone: 'muted'}]];
	if (state.lastRun?.outcome === 'cancelled') return [[mark(g.cancelled, 'The last run was cancelled', 'warn', false), {text: ` ${g.dot} the next cycle runs as usual; ${now} runs one now`, tone: 'muted'}]];
	return [[mark(g.ok, 'Ready', 'ok', false), {text: ` ${g.dot} press ${now} to back up now`, tone: 'muted'}]];
}

/** The status lines, built once for each change of what they draw (the Backup window needs their count for its layout). */
export function useStatusLines(width: number, given?: SessionState): Piece[][] {
	const theme = useTheme();
	const part = useView(statusPart, given);
	return useMemo(() => statusLines(part, theme, width), [part, theme, width]);
}

function JobPaneView({status, now, width, profile, state}: {status: Piece[][]; now: number; width: number; profile?: string; state?: SessionState}) {
	const theme = useTheme();
	const part = useView(jobPart, state);
	const lines = useMemo(() => jobLines(part, theme, now, width, profile), [part, theme, now, width, profile]);
	return (
		<Box flexDirection="column" flexShrink={0}>
			{lines.map((segments, index) => (
				<Line key={index} width={width} segments={segments} />
			))}
			{status.map((segments, index) => (
				<Line key={`status-${index}`} width={width} segments={segments} />
			))}
		</Box>
	);
}

/** Drawn again when the job, the status or the clock changes, not on every frame of a run. */
export const JobPane = React.memo(JobPaneView);
