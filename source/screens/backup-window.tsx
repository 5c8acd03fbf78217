/**
 * The Backup window: the job, one status line, the progress pane, the error pane, the last
 * successful and next scheduled backup, and the footer. Its height is shared out from the
 * terminal's, so the frame is never taller than the terminal; a dialog takes the panes' place.
 */
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {ErrorPane} from '../components/error-pane.js';
import {GuardBanner, useGuardLines} from '../components/guard-banner.js';
import {Footer, type Disabled} from '../components/footer.js';
import {JobPane, useStatusLines} from '../components/job-pane.js';
import {Rule} from '../components/line.js';
import {ProgressBox, useProgressLines} from '../components/progress-pane.js';
import {useClock} from '../components/use-clock.js';
import {useView} from '../components/use-view.js';
import {WhenLines} from '../components/when-lines.js';
import type {Screen} from '../keymap.js';
import type {SessionState} from '../model/session-state.js';

/** Lines of the fixed parts: job (5), last/next (2), footer (2); the status takes 1 or 2 more. */
export const fixedLines = 9;
export const footerLines = 2;
const whenLines = 2;

/** How the lines left over are shared: the progress pane (with its rule) what it needs, the error pane (at least 2) the rest. */
export function shareLines(available: number, progressWanted: number): {progress: number; errors: number} {
	if (available <= 0) return {progress: 0, errors: 0};
	const errorsMin = Math.min(2, available);
	const progress = Math.max(0, Math.min(progressWanted, available - errorsMin));
	return {progress, errors: available - progress};
}

type Props = {
	/** The state to draw (a preview, a test); without it, the window's own (ViewSource). */
	state?: SessionState;
	width: number;
	height: number;
	profile?: string;
	/** A dialog drawn in place of the panes, with the screen whose keys it takes (for the footer). */
	overlay?: {node: (height: number) => React.ReactNode; screen: Screen};
	/** Why each command of the footer cannot run now. */
	disabled?: Disabled;
};

const clockPart = ({schedule, running, guard}: SessionState) => ({armed: schedule.armed, running, guard: guard !== undefined});

export function BackupWindow({state, width, height, profile, overlay, disabled}: Props) {
	const {armed, running, guard} = useView(clockPart, state);
	// A run redraws the window several times a second: the clock is read on those redraws (to the
	// second), so the countdown and the ages cost no frames of their own; the timer ticks every
	// second only for an armed countdown, and slowly in a run that has gone quiet.
	const ticked = useClock(armed || running, armed ? 1000 : 5000);
	const now = running ? Math.max(ticked, Math.floor(Date.now() / 1000) * 1000) : ticked;
	// The status and progress lines are built here, once per change: their count sets the layout.
	const status = useStatusLines(width, state);
	const progress = useProgressLines(width, state);
	const banner = useGuardLines(width, state);
	const available = Math.max(0, height - fixedLines - status.length - banner.length);
	const progressWanted = 1 + (progress.head.length > 0 ? 1 : 0) + progress.body.length;
	const share = shareLines(available, progressWanted);
	const context = useMemo(() => ({armed, running, guard}), [armed, running, guard]);
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<JobPane state={state} status={status} now={now} width={width} profile={profile} />
			<GuardBanner lines={banner} width={width} />
			{overlay ? (
				<Box height={available + whenLines} flexDirection="column" overflowY="hidden">
					{overlay.node(available + whenLines)}
				</Box>
			) : (
				<>
					{share.progress > 0 ? (
						<Box flexDirection="column" height={share.progress} overflowY="hidden">
							<Rule width={width} title="Progress" />
							<ProgressBox built={progress} width={width} lines={share.progress - 1} />
						</Box>
					) : null}
					{share.errors > 0 ? <ErrorPane state={state} width={width} lines={share.errors} /> : null}
				</>
			)}
			{overlay ? null : <WhenLines state={state} width={width} now={now} />}
			<Footer screen={overlay?.screen ?? 'backup'} context={context} width={width} lines={footerLines} disabled={disabled} />
		</Box>
	);
}
