/**
 * The one spinner of the window (a run's progress, Test connection). ink-spinner, which turns on
 * a timer of its own, was measured in the progress pane by bench/frames.ts: the window's cost of
 * a busy run went from about 22 to 43-49 ms of CPU a second, its frames no longer riding on
 * the progress redraws. This one does not add frames to a window that is drawn anyway.
 */
import React, {useEffect, useState} from 'react';
import {Text} from 'ink';

/** The spinner's frames: slow on purpose, each frame of a spinner is a redraw of the whole window. */
export const spinnerFrames = {squareCorners: {ms: 180, frames: ['◰', '◳', '◲', '◱']}, simpleDots: {ms: 400, frames: ['.  ', '.. ', '...', '   ']}} as const;

/**
 * The spinner of a run. It has no timer of its own while the window is redrawn anyway (a run's
 * progress redraws it several times a second): its frame comes from the clock whenever it is
 * drawn, and it asks for a redraw itself only when nothing else has drawn it for two of its
 * frames, so it never adds frames to a busy window and still turns in a quiet one.
 */
export function RunSpinner({kind}: {kind: keyof typeof spinnerFrames}) {
	const {ms, frames} = spinnerFrames[kind];
	const [, wake] = useState(0);
	const frame = frames[Math.floor(Date.now() / ms) % frames.length]!;
	useEffect(() => {
		const timer = setTimeout(() => wake(count => count + 1), ms * 2);
		timer.unref?.();
		return () => clearTimeout(timer);
	});
	return <Text>{frame}</Text>;
}
