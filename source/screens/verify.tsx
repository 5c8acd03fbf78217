/**
 * The Verify screen (`y`): the backup compared with the server as it goes (phase, connections and
 * hash, files compared of the total), then its result: Good or Differs with the counts (missing,
 * different, extra), the first files that are not good, and where the report is
 * (`packrat-verify.tsv`). `c` cancels it, `y` runs it again, Esc closes the screen.
 */
import React from 'react';
import {Box, Text} from 'ink';
import {escapeControl} from '../backup/names.js';
import {Footer} from '../components/footer.js';
import {bar, percent} from '../components/figures.js';
import {useKeys} from '../components/keys.js';
import {Line, Rule, mark, type Piece} from '../components/line.js';
import {RunSpinner, spinnerFrames} from '../components/spinner.js';
import {fitStart, wrapText} from '../components/text.js';
import {useTheme, type Theme} from '../components/theme.js';
import {useView} from '../components/use-view.js';
import {duration} from '../format.js';
import {dispatch, type Action} from '../keymap.js';
import type {SessionState} from '../model/session-state.js';
import type {VerifyView} from '../model/verify-state.js';
import type {VerifyResult} from '../verify/report.js';

const verifyPart = ({verify}: SessionState) => verify;

const phaseWords = {connecting: 'Connecting', scanning: 'Scanning the server', comparing: 'Comparing with the backup', writing: 'Writing packrat-verify.tsv', done: 'Done'} as const;

/** The word a row's result is shown with, and its tone. */
const resultWords: Record<VerifyResult, [string, 'bad' | 'warn' | 'muted']> = {
	missing: ['missing', 'bad'], different: ['different', 'bad'], failed: ['not verified', 'bad'], extra: ['extra', 'muted'], skipped: ['skipped', 'muted'], ok: ['ok', 'muted'],
};

/** The line under the phase while it goes: what was found or compared so far. */
function goingLines(view: VerifyView, theme: Theme, width: number): Piece[][] {
	const g = theme.glyph;
	const lines: Piece[][] = [];
	if (view.phase === 'scanning') lines.push([`${view.scan.folders} folders scanned ${g.dot} ${view.scan.files} files found so far`]);
	if (view.phase === 'comparing' || view.phase === 'writing') {
		const fraction = view.total > 0 ? view.done / view.total : view.phase === 'writing' ? 1 : 0;
		lines.push([`Files compared ${view.done}${view.total > 0 ? ` of ${view.total}` : ''} ${g.dot} ${view.scan.files} on the server`]);
		lines.push([{text: bar(fraction, Math.max(10, Math.min(50, width - 8)), g.barFull, g.barEmpty), tone: 'busy'}, ` ${percent(fraction)}`]);
	}

	if (view.retry) lines.push([{text: `${g.retry} retrying ${view.retry}`, tone: 'warn'}]);
	if (view.cancelling) lines.push([{text: `${g.cancelled} cancelling${g.ellipsis}`, tone: 'warn'}]);
	return lines;
}

/** The result: its word with a symbol, the counts, how it was checked, and where the report is. */
export function resultLines(view: VerifyView, theme: Theme, width: number): Piece[][] {
	const g = theme.glyph;
	const {summary} = view;
	const because = (text: string, tone: 'bad' | 'warn') => wrapText(escapeControl(text), width, 3, g.ellipsis).map(line => [{text: line, tone}]);
	if (!summary) return view.refused ? [[mark(g.bad, 'Not verified', 'bad')], ...because(view.refused, 'bad')] : [];
	if (summary.outcome === 'failed') return [[mark(g.bad, 'Failed', 'bad'), ` ${g.dot} the backup could not be compared`], ...because(summary.reason ?? '', 'bad')];
	if (summary.outcome === 'cancelled') return [[mark(g.cancelled, 'Cancelled', 'warn'), ` ${g.dot} stopped before the end: no new report was written`]];

	const {counts} = summary;
	const good = summary.outcome === 'good';
	const figures: Piece[] = [
		good ? mark(g.ok, 'Good', 'ok') : mark(g.bad, 'Differs', 'bad'),
		` ${g.dot} ${counts.checked} checked ${g.dot} ${counts.ok} ok ${g.dot} `,
		{text: `${counts.missing} missing`, tone: counts.missing > 0 ? 'bad' : undefined, bold: counts.missing > 0},
		` ${g.dot} `,
		{text: `${counts.different} different`, tone: counts.different > 0 ? 'bad' : undefined, bold: counts.different > 0},
		` ${g.dot} ${counts.extra} extra`,
		counts.failed > 0 ? {text: ` ${g.dot} ${counts.failed} not verified`, tone: 'bad'} : undefined,
	];
	const how = summary.hash ? `hash ${summary.hash}` : `size and time only (${summary.hashNote ?? 'no hash command'})`;
	const sampled = summary.samplePercent > 0 ? ` ${g.dot} ${summary.sampled} files compared byte for byte` : '';
	const lines: Piece[][] = [figures, [{text: `${how}${sampled} ${g.dot} in ${duration(summary.durationMs / 1000)}${summary.snapshot ? ` ${g.dot} snapshot ${escapeControl(summary.snapshot)}` : ''}`, tone: 'muted'}]];
	if (summary.reportPath) lines.push([{text: 'Report  ', tone: 'muted'}, fitStart(escapeControl(summary.reportPath), Math.max(8, width - 8), g.ellipsis)]);
	return lines;
}

/** One line per file that is not good (already escaped), the extra ones last. */
function rowLines(view: VerifyView, theme: Theme, width: number): Piece[][] {
	if (view.rows.length === 0) return [];
	const extra = view.rows.filter(row => row.result === 'extra');
	const bad = view.rows.filter(row => row.result !== 'extra');
	const lines = [...bad, ...extra].map((row): Piece[] => {
		const [word, tone] = resultWords[row.result];
		const lead = `${word.padEnd(13)}`;
		return [{text: lead, tone, bold: tone === 'bad'}, {text: fitStart(row.path, Math.max(8, width - lead.length), theme.glyph.ellipsis), bold: true}, row.detail ? {text: ` ${theme.glyph.dot} ${row.detail}`, tone: 'muted'} : undefined];
	});
	const title = bad.length > 0 ? 'Files that differ' : 'Extra files';
	return [[{text: title, bold: true}, {text: extra.length > 0 ? ' (extra: in the backup only, not an error)' : '', tone: 'muted'}], ...lines];
}

type Props = {width: number; height: number; onAction: (action: Action) => void};

export function VerifyScreen({width, height, onAction}: Props) {
	const theme = useTheme();
	const view = useView(verifyPart);
	const running = view?.running === true;
	useKeys((input, key) => {
		const action = dispatch('verify', input, key)?.action;
		if (action) onAction(action);
	});

	const g = theme.glyph;
	const spinnerWidth = spinnerFrames[theme.spinner].frames[0].length;
	const connected = view?.connected;
	const via: Piece[] = connected
		? [{text: 'Server  ', tone: 'muted'}, `${connected.connections} connection${connected.connections === 1 ? '' : 's'}${connected.tls ? ', TLS' : ''}, ${connected.listing} ${g.dot} `, connected.hash ? `hash ${connected.hash}` : {text: 'no hash command: size and time only', tone: 'warn'}]
		: [{text: 'Compares the backup with the server: each file\'s size, time and hash', tone: 'muted'}];
	const body = view ? (running ? goingLines(view, theme, width) : [...resultLines(view, theme, width), [], ...rowLines(view, theme, width)]) : [];
	const room = Math.max(0, height - 2 - 2 - (running ? 1 : 0));
	const more: Piece[] = [{text: `${g.ellipsis} more in packrat-verify.tsv`, tone: 'muted'}];
	const shown = body.length > room ? [...body.slice(0, Math.max(0, room - 1)), more] : body;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Rule width={width} title="Verify" />
			<Line width={width} segments={via} />
			{running ? (
				<Box height={1}>
					<Text color={theme.tone('busy')}><RunSpinner kind={theme.spinner} /></Text>
					<Text> </Text>
					<Line width={Math.max(1, width - spinnerWidth - 1)} segments={[{text: phaseWords[view.phase], bold: true}, g.ellipsis]} />
				</Box>
			) : null}
			<Box flexDirection="column" height={room} overflow="hidden">
				{shown.map((segments, index) => <Line key={index} width={width} segments={segments} />)}
			</Box>
			<Footer screen="verify" context={{armed: false, running}} width={width} />
		</Box>
	);
}
