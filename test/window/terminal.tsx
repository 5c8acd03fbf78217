/**
 * A terminal for tests: Ink renders the window into a fake stdout with explicit columns and rows
 * (ink-testing-library's has no rows), and keys are pressed by their names in the key map.
 */
import React, {act} from 'react';
import {render, type Instance} from 'ink';
import {vi} from 'vitest';
import {ThemeProvider, makeTheme, type Theme} from '../../source/components/theme.js';
import {bindingFor, sequenceOf, type Action, type Screen} from '../../source/keymap.js';
import {FakeStdin, FakeStdout} from '../../devtools/fake-terminal.js';

export {FakeStdin, FakeStdout} from '../../devtools/fake-terminal.js';

(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;

export type Terminal = {
	stdout: FakeStdout;
	stdin: FakeStdin;
	instance: Instance;
	frame: () => string;
	/** Press a key by its name (`n`, `escape`, `pageup` …). */
	press: (name: string) => Promise<void>;
	/** Press the first key bound to an action on a screen, read from the key map. */
	pressAction: (screen: Screen, action: Action) => Promise<void>;
	type: (text: string) => Promise<void>;
	/** Wait until the frame holds the text. */
	see: (text: string | RegExp, limitMs?: number) => Promise<string>;
	/** Let promises, immediates and (fake) timers run, inside act. */
	settle: (ms?: number) => Promise<void>;
	unmount: () => void;
};

export const unicodeTheme = makeTheme({ascii: false, color: false});

const realSetTimeout = globalThis.setTimeout;
const realDelay = (ms: number) => new Promise(resolve => realSetTimeout(resolve, ms));

/** Wait (real time, at most `limitMs`) until `check` holds, letting fake timers run by nothing. */
export async function waitFor(check: () => boolean, what: string | (() => string), limitMs = 3000): Promise<void> {
	const started = Date.now();
	for (let waited = 0; !check(); waited += 5) {
		if (waited > limitMs) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what} (${Date.now() - started} ms)`);
		await act(async () => {
			await realDelay(5);
			if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0);
		});
	}
}

/** Run engine events (or anything that changes the session) inside act, then let the batch through. */
export async function during(change: () => void, ms = 100): Promise<void> {
	await act(async () => change());
	await settle(ms);
}

/** Let pending work run: real immediates (Ink's escape-key flush) and, under fake timers, `ms` of time. */
export async function settle(ms = 0): Promise<void> {
	await act(async () => {
		for (let round = 0; round < 5; round++) await new Promise(resolve => setImmediate(resolve));
		if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(ms);
		else if (ms > 0) await new Promise(resolve => setTimeout(resolve, ms));
		for (let round = 0; round < 5; round++) await new Promise(resolve => setImmediate(resolve));
	});
}

export async function renderAt(node: React.ReactNode, options: {columns: number; rows: number; theme?: Theme}): Promise<Terminal> {
	const stdout = new FakeStdout(options.columns, options.rows);
	const stdin = new FakeStdin();
	let instance!: Instance;
	await act(async () => {
		instance = render(<ThemeProvider theme={options.theme ?? unicodeTheme}>{node}</ThemeProvider>, {
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			stderr: new FakeStdout(options.columns, options.rows) as unknown as NodeJS.WriteStream,
			debug: true,
			exitOnCtrlC: false,
			patchConsole: false,
		});
	});
	await settle();
	const press = async (name: string) => {
		await act(async () => {
			stdin.write(sequenceOf(name));
		});
		await settle();
	};

	return {
		stdout,
		stdin,
		instance,
		frame: stdout.lastFrame,
		press,
		pressAction: async (screen, action) => press(bindingFor(screen, action).keys[0]!),
		see: async (text, limitMs) => {
			const holds = () => (typeof text === 'string' ? stdout.lastFrame().includes(text) : text.test(stdout.lastFrame()));
			await waitFor(holds, () => `the frame to show ${String(text)}; it shows:\n${stdout.lastFrame()}`, limitMs);
			return stdout.lastFrame();
		},
		type: async text => {
			for (const char of text) await press(char);
		},
		settle,
		unmount: () => {
			act(() => instance.unmount());
		},
	};
}

/** The height of every frame written, for "never taller than the terminal". */
export function frameHeights(stdout: FakeStdout): number[] {
	return stdout.frames.map(frame => frame.split('\n').length);
}
