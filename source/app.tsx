/**
 * The window's screens and dialogs. A key of the Backup window runs its command (model/commands.ts)
 * through the key map: a command that takes an argument first opens the screen or dialog that
 * asks for it (f the folder chooser, t the Start-at dialog, o the connection settings), one that
 * asks first shows its question. Quitting (q, Ctrl+C) is the quit command; the window's
 * `onQuit` is its one shutdown path.
 */
import React, {useEffect, useState} from 'react';
import {Box, render, type Instance, type Key} from 'ink';
import {Confirm} from './components/confirm.js';
import {Footer} from './components/footer.js';
import {HelpOverlay} from './components/help-overlay.js';
import {KeyStdin} from './components/key-stdin.js';
import {KeyRouter} from './components/keys.js';
import {ThemeProvider, type Theme} from './components/theme.js';
import {TrustDialog} from './components/trust-dialog.js';
import {useTerminalSize} from './components/use-terminal-size.js';
import {useView, ViewSource} from './components/use-view.js';
import {dispatch, type Action, type Screen} from './keymap.js';
import {commands, isPlainCommand, type ArgOf, type CommandId, type Question} from './model/commands.js';
import type {Session} from './model/session.js';
import type {SessionState} from './model/session-state.js';
import {BackupWindow, footerLines} from './screens/backup-window.js';
import {ConnectionSettings} from './screens/connection-settings.js';
import {FolderChooser} from './screens/folder-chooser.js';
import {LogViewer} from './screens/log-viewer.js';
import {StartAtDialog} from './screens/start-at.js';
import {HistoryScreen} from './screens/history.js';
import {VersionsScreen} from './screens/versions.js';
import {VerifyScreen} from './screens/verify.js';
import {resolve} from 'node:path';

export {detectTheme} from './components/theme.js';

type View = 'backup' | 'settings' | 'folder' | 'log' | 'versions' | 'history' | 'verify';
type Dialog = {kind: 'help'} | {kind: 'start-at'} | {kind: 'confirm'; id: CommandId; question: Question; onYes: () => void};

/** The commands whose key first opens the screen or dialog that asks for their argument. */
const prompts: Partial<Record<Action, View | 'start-at'>> = {folder: 'folder', settings: 'settings', 'start-at': 'start-at'};
/** The keys of the Backup window that open a screen of their own, not a command. */
const screens: Partial<Record<Action, View | 'help'>> = {log: 'log', help: 'help'};
/** The commands that open a screen of their own once their rule allows it. */
const screenCommands: Partial<Record<Action, 'versions' | 'history'>> = {versions: 'versions', history: 'history'};

const windowPart = ({running, trust, settings}: SessionState) => ({running, trust, settings});

export function App({session, profile, onQuit}: {session: Session; profile?: string; onQuit: (code: number) => void}) {
	return (
		<ViewSource source={session.store}>
			<Window session={session} profile={profile} onQuit={onQuit} />
		</ViewSource>
	);
}

function Window({session, profile, onQuit}: {session: Session; profile?: string; onQuit: (code: number) => void}) {
	const {running, trust, settings} = useView(windowPart);
	const disabled = useView(state => session.disabledReasons(state));
	const lastEnded = useView(state => state.lastRun?.ended);
	const {columns, rows} = useTerminalSize();
	const width = Math.max(20, columns);
	const height = Math.max(1, rows - 1);
	const firstStart = !settings.server.host;
	const [view, setView] = useState<View>(firstStart ? 'settings' : 'backup');
	const [first, setFirst] = useState(firstStart);
	const [dialog, setDialog] = useState<Dialog>();
	useEffect(() => session.onQuit(onQuit), [session, onQuit]);

	/** Run a command, after its question when it asks one and can run. */
	const ask = <Id extends CommandId>(id: Id, ...arg: ArgOf<Id>) => {
		const question = session.disabledReason(id) ? undefined : commands[id].askFirst?.(session.state);
		if (question) setDialog({kind: 'confirm', id, question, onYes: () => void session.run(id, ...arg)});
		else void session.run(id, ...arg);
	};

	const quit = (code: number) => {
		// Ctrl+C while the quit question is open answers it.
		if (dialog?.kind === 'confirm' && dialog.id === 'quit') return dialog.onYes();
		ask('quit', code);
	};

	// A question about the run going on has no object once the run has ended.
	useEffect(() => {
		if (!running) setDialog(previous => (previous?.kind === 'confirm' ? undefined : previous));
	}, [running]);

	const screenNow: Screen = dialog?.kind === 'confirm' ? 'confirm' : trust ? 'trust' : view !== 'backup' ? view : dialog?.kind ?? 'backup';
	const interrupt = (input: string, key: Key): boolean => {
		if (dispatch(screenNow, input, key, true)?.action !== 'interrupt') return false;
		quit(130);
		return true;
	};

	/** The keys of the Backup window and its help: what no dialog or screen claimed. */
	const backupKeys = (input: string, key: Key) => {
		if (view !== 'backup') return;
		const action = dispatch(dialog?.kind === 'help' ? 'help' : 'backup', input, key)?.action;
		if (dialog?.kind === 'help') {
			if (action === 'help' || action === 'close') setDialog(undefined);
			return;
		}

		if (action === undefined) return;
		const opens = prompts[action] ?? screens[action];
		const command = screenCommands[action];
		if (command) void session.run(command).then(outcome => outcome.ok && setView(command));
		else if (opens === 'start-at' || opens === 'help') setDialog({kind: opens});
		else if (opens) setView(opens);
		else if (action === 'quit') quit(0);
		else if (isPlainCommand(action)) {
			// A verify shows its progress and result on a screen of its own.
			if (action === 'verify' && !session.disabledReason('verify')) setView('verify');
			ask(action);
		}
	};

	/** The keys of the Verify screen: Esc closes it (cancelling a verify still going). */
	const verifyKeys = (action: Action) => {
		if (action === 'close' && session.state.verify?.running) void session.run('verify-cancel');
		if (action === 'close') back();
		else if (action === 'verify' || action === 'verify-cancel') void session.run(action);
	};

	const back = () => setView('backup');
	const folder = settings.backupFolder ? resolve(settings.backupFolder) : undefined;
	const windowWith = (screen: Screen, node: (lines: number) => React.ReactNode) => <BackupWindow width={width} height={height} profile={profile} disabled={disabled} overlay={{screen, node}} />;
	let screen: React.ReactNode;
	if (dialog?.kind === 'confirm') {
		const {question, onYes} = dialog;
		screen = windowWith('confirm', lines => <Confirm question={question} width={width} height={lines} onAnswer={yes => {
			setDialog(undefined);
			if (yes) onYes();
		}} />);
	} else if (trust) {
		screen = windowWith('trust', lines => <TrustDialog question={trust} width={width} height={lines} onAnswer={yes => void session.run('trust', yes)} />);
	} else if (view === 'settings') {
		screen = <ConnectionSettings settings={settings} typedPassword={session.password} first={first} width={width} height={height} onClose={back}
			test={async (config, decide) => session.run('test-connection', {config, decide}).then(outcome => ({ok: outcome.ok, text: outcome.message}))}
			onSave={async form => {
				const outcome = await session.run('settings', form);
				if (!outcome.ok) return outcome.message;
				setView(first && !session.state.settings.backupFolder ? 'folder' : 'backup');
				setFirst(false);
				return undefined;
			}} />;
	} else if (view === 'folder') {
		screen = <FolderChooser initial={folder} width={width} height={height} onClose={back} onChoose={chosen => {
			void session.run('folder', chosen);
			back();
		}} />;
	} else if (view === 'verify') {
		screen = <VerifyScreen width={width} height={height} onAction={verifyKeys} />;
	} else if (view === 'log') {
		screen = <LogViewer folder={folder} width={width} height={height} onClose={back} />;
	} else if (view === 'versions' && folder) {
		screen = <VersionsScreen folder={folder} root={settings.server.root} width={width} height={height} onClose={back} disabled={disabled} lastEnded={lastEnded}
			restore={async (request, report) => session.run('restore', {request, report})} />;
	} else if (view === 'history') {
		screen = <HistoryScreen folder={folder} width={width} height={height} onClose={back} lastEnded={lastEnded} />;
	} else if (dialog?.kind === 'help') {
		// The whole terminal: every key of the map must fit in 80×24, which the space under the job pane does not give.
		screen = (
			<Box flexDirection="column" width={width} height={height} overflowY="hidden">
				<HelpOverlay screen="backup" width={width} height={height - footerLines} disabled={disabled} />
				<Footer screen="help" context={{armed: false, running: false}} width={width} lines={footerLines} />
			</Box>
		);
	} else if (dialog?.kind === 'start-at') {
		screen = windowWith('start-at', lines => <StartAtDialog initial={settings.startAt} repeat={settings.repeat} width={width} height={lines} onClose={() => setDialog(undefined)} onSave={async value => {
			const outcome = await session.run('start-at', value);
			if (outcome.ok) setDialog(undefined);
			return outcome.ok ? undefined : outcome.message;
		}} />);
	} else {
		screen = <BackupWindow width={width} height={height} profile={profile} disabled={disabled} />;
	}

	return (
		<KeyRouter before={interrupt} fallback={backupKeys}>
			<Box width={width} height={height} flexDirection="column" overflowY="hidden">
				{screen}
			</Box>
		</KeyRouter>
	);
}

export type MountOptions = {session: Session; theme: Theme; profile?: string; maxFps: number; onQuit: (code: number) => void};

/** Draw the window on the process's terminal (the caller has checked that it is one). */
export function mountApp({session, theme, profile, maxFps, onQuit}: MountOptions): Instance {
	return render(
		<ThemeProvider theme={theme}>
			<App session={session} profile={profile} onQuit={onQuit} />
		</ThemeProvider>,
		{maxFps, exitOnCtrlC: false, patchConsole: true, stdin: new KeyStdin(process.stdin) as unknown as NodeJS.ReadStream},
	);
}
