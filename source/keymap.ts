/**
 * The one key-map table of the window: the dispatcher of every screen, the footer and the `?`
 * help overlay are all read from it, so a key, its hint and its help can never disagree. A key of
 * the Backup window names a command of the model (model/commands.ts, where its rule is) or a
 * screen it opens (log, help); the keys of the other screens are their own.
 */
import type {Key} from 'ink';
import type {CommandId} from './model/commands.js';

export type Screen = 'backup' | 'help' | 'confirm' | 'trust' | 'settings' | 'folder' | 'folder-name' | 'log' | 'start-at'
	| 'versions' | 'version-choice' | 'history' | 'verify';

export const allScreens: readonly Screen[] = ['backup', 'help', 'confirm', 'trust', 'settings', 'folder', 'folder-name', 'log', 'start-at', 'versions', 'version-choice', 'history', 'verify'];

export type Action =
	| Exclude<CommandId, 'test-connection' | 'trust'> | 'log' | 'help'
	| 'interrupt' | 'close' | 'yes' | 'no'
	| 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom' | 'scroll-left' | 'scroll-right' | 'filter' | 'reload'
	| 'open' | 'parent' | 'new-folder' | 'use-folder'
	| 'next-field' | 'previous-field' | 'activate' | 'change' | 'submit';

/** What a label may depend on. */
export type KeyContext = {armed: boolean; running: boolean; /** The mass-change guard holds pruning off. */ guard?: boolean};

export type Binding = {
	action: Action;
	/** Key names: a character (`n`, `G`, `?`) or a named key (`escape`, `pageup`, `ctrl+c` …). */
	keys: readonly string[];
	screens: readonly Screen[];
	/** The short word in the footer. */
	label: string | ((context: KeyContext) => string);
	/** The sentence in the help overlay. */
	help: string;
	/** How many of the keys the footer shows (default 1). */
	footerKeys?: number;
	/** Left out of the footer (still in the help and still dispatched). */
	quiet?: boolean | ((context: KeyContext) => boolean);
};

export const keymap: readonly Binding[] = [
	{action: 'now', keys: ['n'], screens: ['backup'], label: 'Now', help: 'Back up now; the schedule stays as it is'},
	{action: 'schedule', keys: ['s'], screens: ['backup'], label: ({armed}) => (armed ? 'Stop' : 'Start'), help: 'Start the schedule (countdown to Start at), or stop it'},
	{action: 'cancel', keys: ['c'], screens: ['backup'], label: 'Cancel', help: 'Cancel the running backup (asks first); the next cycle runs as usual', quiet: ({running}) => !running},
	{action: 'folder', keys: ['f'], screens: ['backup'], label: 'Folder', help: 'Choose the backup folder'},
	{action: 'start-at', keys: ['t'], screens: ['backup'], label: 'Start at', help: 'Set the Start-at time (HH:MM, local time)'},
	{action: 'mode', keys: ['m'], screens: ['backup'], label: 'Mode', help: 'Switch between Incremental and Full'},
	{action: 'latest', keys: ['l'], screens: ['backup'], label: 'Latest', help: 'Latest only: back up only the newest version of each project'},
	{action: 'settings', keys: ['o'], screens: ['backup'], label: 'Connection', help: 'Connection settings, with Test connection'},
	{action: 'log', keys: ['e'], screens: ['backup'], label: 'Log', help: 'Open the transfer log'},
	{action: 'accept-guard', keys: ['g'], screens: ['backup'], label: 'Accept change', help: 'Accept the mass change the guard flagged (asks first): snapshots are pruned again', quiet: ({guard}) => !guard},
	{action: 'versions', keys: ['v'], screens: ['backup'], label: 'Versions', help: 'Versions: browse the backup, see a file\'s versions, restore one'},
	{action: 'history', keys: ['h'], screens: ['backup'], label: 'History', help: 'History: the runs of this backup folder, with a chart of bytes and duration'},
	{action: 'verify', keys: ['y'], screens: ['backup'], label: 'Verify', help: 'Compare the backup with the server'},

	{action: 'up', keys: ['up', 'k'], screens: ['log', 'folder'], label: 'Up', help: 'Move up one line', quiet: true},
	{action: 'down', keys: ['down', 'j'], screens: ['log', 'folder'], label: 'Down', help: 'Move down one line', quiet: true},
	{action: 'page-up', keys: ['pageup'], screens: ['log'], label: 'Page', help: 'One page up'},
	{action: 'page-down', keys: ['pagedown'], screens: ['log'], label: 'Page', help: 'One page down'},
	{action: 'top', keys: ['g', 'home'], screens: ['log'], label: 'Top', help: 'Go to the oldest line loaded'},
	{action: 'bottom', keys: ['G', 'end'], screens: ['log'], label: 'End', help: 'Go to the newest line'},
	{action: 'scroll-left', keys: ['left', 'h'], screens: ['log'], label: 'Scroll', help: 'Scroll left, to the start of the lines', footerKeys: 1},
	{action: 'scroll-right', keys: ['right', 'l'], screens: ['log'], label: 'Scroll', help: 'Scroll right, to read the end of long lines'},
	{action: 'filter', keys: ['f'], screens: ['log'], label: 'Errors only', help: 'Show only errors, or every line again'},
	{action: 'reload', keys: ['r'], screens: ['log'], label: 'Reload', help: 'Read the end of the log again'},

	{action: 'open', keys: ['return', 'right'], screens: ['folder'], label: 'Open', help: 'Open the folder under the cursor (or use it, on the first line)'},
	{action: 'parent', keys: ['left', 'backspace'], screens: ['folder'], label: 'Parent', help: 'Go up to the parent folder'},
	{action: 'new-folder', keys: ['n'], screens: ['folder'], label: 'New folder', help: 'Make a new folder here'},
	{action: 'use-folder', keys: ['u'], screens: ['folder'], label: 'Use this', help: 'Use the folder shown at the top'},

	// The Versions screen: its list (versions), the pane of a file's versions or a folder's times (version-choice); and the History screen.
	{action: 'up', keys: ['up', 'k'], screens: ['versions', 'version-choice', 'history'], label: 'Up', help: 'Move up one line', quiet: true},
	{action: 'down', keys: ['down', 'j'], screens: ['versions', 'version-choice', 'history'], label: 'Down', help: 'Move down one line', quiet: true},
	{action: 'page-up', keys: ['pageup'], screens: ['versions', 'history'], label: 'Page', help: 'One page up'},
	{action: 'page-down', keys: ['pagedown'], screens: ['versions', 'history'], label: 'Page', help: 'One page down'},
	{action: 'top', keys: ['g', 'home'], screens: ['history'], label: 'Newest', help: 'Go to the newest run'},
	{action: 'bottom', keys: ['G', 'end'], screens: ['history'], label: 'Oldest', help: 'Go to the oldest run read'},
	{action: 'open', keys: ['return', 'right'], screens: ['versions'], label: 'Open', help: 'Open the folder, or the file\'s versions, under the cursor; on the first line, the times this folder can be restored to'},
	{action: 'parent', keys: ['left', 'backspace'], screens: ['versions'], label: 'Parent', help: 'Go up to the parent folder'},
	{action: 'restore', keys: ['return'], screens: ['version-choice'], label: 'Restore', help: 'Restore the chosen version (or the folder as of the chosen time) to a folder you pick'},
	{action: 'close', keys: ['escape', 'left'], screens: ['version-choice'], label: 'Back', help: 'Back to the list'},
	{action: 'close', keys: ['escape', 'q'], screens: ['versions', 'history'], label: 'Back', help: 'Close the screen'},

	{action: 'next-field', keys: ['tab', 'down'], screens: ['settings'], label: 'Next', help: 'Next field'},
	{action: 'previous-field', keys: ['shift+tab', 'up'], screens: ['settings'], label: 'Previous', help: 'Previous field', quiet: true},
	{action: 'change', keys: ['left', 'right', 'space'], screens: ['settings'], label: 'Change', help: 'Change a choice (TLS mode, save password)', footerKeys: 2},
	{action: 'activate', keys: ['return'], screens: ['settings'], label: 'Press', help: 'Press a button (Test connection, Save), or go to the next field'},
	{action: 'submit', keys: ['return'], screens: ['start-at', 'folder-name'], label: 'Save', help: 'Save what was typed'},

	{action: 'yes', keys: ['y'], screens: ['confirm', 'trust'], label: 'Yes', help: 'Yes'},
	{action: 'no', keys: ['n', 'escape'], screens: ['confirm', 'trust'], label: 'No', help: 'No'},
	{action: 'help', keys: ['?'], screens: ['backup', 'help'], label: 'Help', help: 'Show or hide this help'},
	{action: 'close', keys: ['escape'], screens: ['help', 'settings', 'folder', 'folder-name', 'start-at'], label: 'Back', help: 'Close the dialog or screen'},
	{action: 'close', keys: ['escape', 'q'], screens: ['log'], label: 'Back', help: 'Close the log'},
	{action: 'verify-cancel', keys: ['c'], screens: ['verify'], label: 'Cancel', help: 'Cancel the verify', quiet: ({running}) => !running},
	{action: 'verify', keys: ['y'], screens: ['verify'], label: 'Again', help: 'Verify again', quiet: ({running}) => running},
	{action: 'close', keys: ['escape', 'q'], screens: ['verify'], label: 'Back', help: 'Close the verify (one still going is cancelled)'},
	{action: 'quit', keys: ['q'], screens: ['backup'], label: 'Quit', help: 'Quit (asks first while a backup is running)'},
	{action: 'interrupt', keys: ['ctrl+c'], screens: allScreens, label: 'Quit', help: 'Quit from any screen (asks while a backup runs; Ctrl+C again confirms)', quiet: true},
];

/** Named keys that text fields do not take: they are dispatched even while typing. */
const namedKeys = new Set(['escape', 'return', 'tab', 'shift+tab', 'up', 'down', 'pageup', 'pagedown', 'ctrl+c']);

/** The name of a key press as the table spells it. */
export function keyName(input: string, key: Key): string | undefined {
	if (key.ctrl && input === 'c') return 'ctrl+c';
	if (key.escape) return 'escape';
	if (key.return) return 'return';
	if (key.tab) return key.shift ? 'shift+tab' : 'tab';
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.backspace || key.delete) return 'backspace';
	if (input === ' ') return 'space';
	if (key.ctrl || key.meta) return undefined;
	return input.length > 0 ? input : undefined;
}

/** The binding a key press triggers on a screen; while `typing`, only named keys count. */
export function dispatch(screen: Screen, input: string, key: Key, typing = false): Binding | undefined {
	const name = keyName(input, key);
	if (name === undefined || (typing && !namedKeys.has(name))) return undefined;
	return keymap.find(binding => binding.screens.includes(screen) && binding.keys.includes(name));
}

export function bindingsOf(screen: Screen): Binding[] {
	return keymap.filter(binding => binding.screens.includes(screen));
}

export function bindingFor(screen: Screen, action: Action): Binding {
	const found = keymap.find(binding => binding.screens.includes(screen) && binding.action === action);
	if (!found) throw new Error(`no key for ${action} on ${screen}`);
	return found;
}

export function labelOf(binding: Binding, context: KeyContext): string {
	return typeof binding.label === 'function' ? binding.label(context) : binding.label;
}

export function isQuiet(binding: Binding, context: KeyContext): boolean {
	return typeof binding.quiet === 'function' ? binding.quiet(context) : Boolean(binding.quiet);
}

const shown: Record<string, [unicode: string, ascii: string]> = {
	escape: ['Esc', 'Esc'], return: ['Enter', 'Enter'], tab: ['Tab', 'Tab'], 'shift+tab': ['S-Tab', 'S-Tab'], space: ['Space', 'Space'],
	up: ['↑', 'Up'], down: ['↓', 'Down'], left: ['←', 'Left'], right: ['→', 'Right'], pageup: ['PgUp', 'PgUp'], pagedown: ['PgDn', 'PgDn'],
	home: ['Home', 'Home'], end: ['End', 'End'], backspace: ['Bksp', 'Bksp'], 'ctrl+c': ['Ctrl+C', 'Ctrl+C'],
};

/** How a key name is written on screen. */
export function showKey(name: string, ascii: boolean): string {
	const pair = shown[name];
	return pair ? pair[ascii ? 1 : 0] : name;
}

const sequences: Record<string, string> = {
	escape: '\u001B', return: '\r', tab: '\t', 'shift+tab': '\u001B[Z', space: ' ', backspace: '\u007F', 'ctrl+c': '\u0003',
	up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', pageup: '\u001B[5~', pagedown: '\u001B[6~', home: '\u001B[H', end: '\u001B[F',
};

/** The bytes a terminal sends for a key name (tests and scripted sessions press keys with it). */
export function sequenceOf(name: string): string {
	return sequences[name] ?? name;
}
