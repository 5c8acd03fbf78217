/**
 * Opens the Backup window: full screen in the terminal's alternate screen, at most 10 frames a
 * second. q, Ctrl+C, SIGTERM and SIGHUP share one shutdown path: the schedule stops, a running
 * backup is cancelled cleanly and waited for, then the terminal is restored as it was.
 */
import {SettingsStore} from './settings/store.js';
import type {ControlServer} from './control/socket.js';
import {Session} from './model/session.js';
import {startWindowControl} from './control/window.js';

export const enterAlternateScreen = '\u001B[?1049h\u001B[H';
export const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';
export const maxFps = 10;
/**
 * How often a run's progress is drawn: 5 times a second. Keys still answer within a frame
 * (maxFps); a run's figures change on every frame, and each frame lays out and measures the
 * whole screen again, so this is the window's main cost during a run.
 */
export const progressMs = 200;

const signalCodes = {SIGTERM: 143, SIGHUP: 129, SIGINT: 130} as const;

export type WindowOptions = {profile?: string; ascii: boolean};

/**
 * Ink draws nothing until exit when it believes it runs in CI (CI or CONTINUOUS_INTEGRATION set),
 * and chalk then draws without colour; the window runs only on a terminal, so that belief is
 * wrong here. Both read the variables once, when first imported: they are set aside for that
 * moment only (the hook and everything else still see them).
 *
 * React and its reconciler pick their development build (prop checks, component stacks, timing
 * marks on every render: a third of the window's drawing time) unless NODE_ENV is `production`
 * when they are first loaded; a user who has set NODE_ENV keeps what they chose. So nothing
 * that imports React may be imported before this (the theme comes from app.js too): a React of
 * one build with a reconciler of the other draws nothing.
 */
export async function loadApp(): Promise<typeof import('./app.js')> {
	const names = ['CI', 'CONTINUOUS_INTEGRATION', 'NODE_ENV'] as const;
	const saved = names.map(name => [name, process.env[name]] as const);
	for (const name of names) delete process.env[name];
	process.env['NODE_ENV'] = saved.find(([name]) => name === 'NODE_ENV')?.[1] ?? 'production';
	try {
		return await import('./app.js');
	} finally {
		for (const [name, value] of saved) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	}
}

export async function openWindow(options: WindowOptions): Promise<number> {
	// Loaded before the control socket is opened: Node 20's realpath (the ESM resolver's, with its
	// cache) reads the last stat call's result, and after a stat of the socket it stops resolving
	// symlinks, so an import made then would load a second React from a symlinked node_modules
	// (npm link, pnpm, a worktree sharing its modules) and every hook would fail.
	const {mountApp, detectTheme} = await loadApp();
	const settings = new SettingsStore(options.profile);
	const session = new Session({settings, batchMs: progressMs});
	await session.load();
	let control: ControlServer;
	try {
		control = await startWindowControl(options.profile, session);
	} catch (error) {
		await session.shutdown();
		throw error;
	}

	const theme = detectTheme(process.env, options.ascii);
	const {stdout} = process;

	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		stdout.write(leaveAlternateScreen + showCursor);
	};

	stdout.write(enterAlternateScreen);
	process.once('exit', restore);
	let exitCode = 0;
	let closing: Promise<void> | undefined;
	const shutdown = (code: number): Promise<void> => {
		closing ??= (async () => {
			exitCode = code;
			if (session.running) session.notify('quitting: cancelling the backup cleanly', 'warn');
			await session.shutdown();
			await control.close();
			instance.unmount();
		})();
		return closing;
	};

	const instance = mountApp({session, theme, profile: options.profile, maxFps, onQuit: code => void shutdown(code)});

	const handlers = Object.entries(signalCodes).map(([signal, code]) => {
		const handler = () => void shutdown(code);
		process.on(signal, handler);
		return () => process.off(signal, handler);
	});

	try {
		await instance.waitUntilExit();
	} finally {
		// Ink may have been unmounted by a signal before the run was cancelled: wait for it here.
		await shutdown(exitCode);
		for (const off of handlers) off();
		restore();
		process.off('exit', restore);
	}

	return exitCode;
}
