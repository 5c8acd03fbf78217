/**
 * The window's screens and dialogs, and the keys of the Backup window, dispatched from the key
 * map. Quitting (q, Ctrl+C) goes to `onQuit`, the window's one shutdown path; while a backup
 * runs it asks first.
 */
import React, {useEffect, useState} from 'react';
import {Box, render, type Instance, type Key} from 'ink';
import {Confirm, type Question} from './components/confirm.js';
import {HelpOverlay} from './components/help-overlay.js';
import {KeyStdin} from './components/key-stdin.js';
import {KeyRouter} from './components/keys.js';
import {ThemeProvider, type Theme} from './components/theme.js';
import {TrustDialog} from './components/trust-dialog.js';
import {useTerminalSize} from './components/use-terminal-size.js';
import {dispatch, type Screen} from './keymap.js';
import {BackupWindow} from './screens/backup-window.js';
import {ConnectionSettings} from './screens/connection-settings.js';
import {FolderChooser} from './screens/folder-chooser.js';
import {LogViewer} from './screens/log-viewer.js';
import {StartAtDialog} from './screens/start-at.js';
import {setFolder, setStartAt, toggleLatest, toggleMode, toggleSchedule} from './model/actions.js';
import {saveForm} from './model/connection-form.js';
import type {Session} from './model/session.js';
import {useSession} from './components/use-session.js';
import {oneLine} from './backup/errors.js';
import {resolve} from 'node:path';

export {detectTheme} from './components/theme.js';

type View = 'backup' | 'settings' | 'folder' | 'log';
type Dialog = {kind: 'help'} | {kind: 'start-at'} | {kind: 'confirm'; question: Question; onYes: () => void};

const quitQuestion: Question = {
	title: 'Quit while a backup is running?',
	lines: ['The backup is cancelled cleanly: files already copied stay, a partial download', 'resumes on the next run, and the next scheduled backup runs as usual.'],
	yes: 'Cancel it and quit',
	no: 'Keep the window open',
};

const cancelQuestion: Question = {
	title: 'Cancel the backup?',
	lines: ['Files already copied stay; a partial download resumes on the next run.', 'The next scheduled backup runs as usual.'],
	yes: 'Cancel the backup',
	no: 'Let it run',
};

export function App({session, profile, onQuit}: {session: Session; profile?: string; onQuit: (code: number) => void}) {
	const state = useSession(session);
	const {columns, rows} = useTerminalSize();
	const width = Math.max(20, columns);
	const height = Math.max(1, rows - 1);
	const firstStart = !state.settings.server.host;
	const [view, setView] = useState<View>(firstStart ? 'settings' : 'backup');
	const [first, setFirst] = useState(firstStart);
	const [dialog, setDialog] = useState<Dialog>();

	const quit = (code: number) => {
		if (!session.running) return onQuit(code);
		if (dialog?.kind === 'confirm' && dialog.question === quitQuestion) return dialog.onYes();
		const refused = session.cancelRefused();
		if (refused) return session.notify(`${refused}: the window stays open until the backup ends`, 'warn');
		setDialog({kind: 'confirm', question: quitQuestion, onYes: () => onQuit(code)});
	};

	// A question about the run going on has no object once the run has ended.
	useEffect(() => {
		if (!state.running) setDialog(previous => (previous?.kind === 'confirm' ? undefined : previous));
	}, [state.running]);

	const screenNow: Screen = dialog?.kind === 'confirm' ? 'confirm' : state.trust ? 'trust' : view !== 'backup' ? view : dialog?.kind ?? 'backup';
	const interrupt = (input: string, key: Key): boolean => {
		if (dispatch(screenNow, input, key, true)?.action !== 'interrupt') return false;
		quit(130);
		return true;
	};

	/** The keys of the Backup window and its help: what no dialog or screen claimed. */
	const backupKeys = (input: string, key: Key) => {
		if (view !== 'backup') return;
		const binding = dispatch(dialog?.kind === 'help' ? 'help' : 'backup', input, key);
		if (dialog?.kind === 'help') {
			if (binding?.action === 'help' || binding?.action === 'close') setDialog(undefined);
			return;
		}

		switch (binding?.action) {
			case 'now': void session.start('manual'); break;
			case 'schedule': toggleSchedule(session); break;
			case 'cancel': {
				const refused = session.cancelRefused();
				if (!session.running) session.notify('no backup is running', 'muted');
				else if (refused) session.notify(refused, 'warn');
				else setDialog({kind: 'confirm', question: cancelQuestion, onYes: () => session.cancel()});
				break;
			}

			case 'folder': setView('folder'); break;
			case 'start-at': setDialog({kind: 'start-at'}); break;
			case 'mode': toggleMode(session); break;
			case 'latest': toggleLatest(session); break;
			case 'settings': setView('settings'); break;
			case 'log': setView('log'); break;
			case 'help': setDialog({kind: 'help'}); break;
			case 'quit': quit(0); break;
			default: break;
		}
	};

	const back = () => setView('backup');
	const folder = state.settings.backupFolder ? resolve(state.settings.backupFolder) : undefined;
	const windowWith = (screen: Screen, node: (lines: number) => React.ReactNode) => <BackupWindow state={state} width={width} height={height} profile={profile} overlay={{screen, node}} />;
	let screen: React.ReactNode;
	if (dialog?.kind === 'confirm') {
		const {question, onYes} = dialog;
		screen = windowWith('confirm', lines => <Confirm question={question} width={width} height={lines} onAnswer={yes => {
			setDialog(undefined);
			if (yes) onYes();
		}} />);
	} else if (state.trust) {
		const question = state.trust;
		screen = windowWith('trust', lines => <TrustDialog question={question} width={width} height={lines} onAnswer={trust => session.answerTrust(trust)} />);
	} else if (view === 'settings') {
		screen = <ConnectionSettings settings={state.settings} typedPassword={session.password} first={first} width={width} height={height} onClose={back} onSave={form => {
			try {
				session.password = saveForm(session.settingsStore, form);
			} catch (error) {
				return oneLine(error);
			}

			void session.settingsChanged({serverChanged: true});
			session.notify('connection settings saved', 'ok');
			setView(first && !session.settingsStore.all().backupFolder ? 'folder' : 'backup');
			setFirst(false);
			return undefined;
		}} />;
	} else if (view === 'folder') {
		screen = <FolderChooser initial={folder} width={width} height={height} onClose={back} onChoose={chosen => {
			void setFolder(session, chosen);
			back();
		}} />;
	} else if (view === 'log') {
		screen = <LogViewer folder={folder} width={width} height={height} onClose={back} />;
	} else if (dialog?.kind === 'help') {
		screen = windowWith('help', lines => <HelpOverlay screen="backup" width={width} height={lines} />);
	} else if (dialog?.kind === 'start-at') {
		screen = windowWith('start-at', lines => <StartAtDialog initial={state.settings.startAt} repeat={state.settings.repeat} width={width} height={lines} onClose={() => setDialog(undefined)} onSave={value => {
			const problem = setStartAt(session, value);
			if (!problem) setDialog(undefined);
			return problem;
		}} />);
	} else {
		screen = <BackupWindow state={state} width={width} height={height} profile={profile} />;
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
