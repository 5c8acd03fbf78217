/**
 * The Versions screen (`v`): the backup browsed like the folder chooser, but by the server's
 * paths (kept copies folded under their file, Full snapshots merged in), with the versions of the
 * file under the cursor in the pane below. Enter on a file goes into its versions; Enter on a
 * version restores it, and Enter on a time of the first line ("Restore this folder as of a
 * time") restores the folder as it stood then, into a folder picked with the folder chooser.
 * The chooser opens at `~/packrat-restore` when it exists, else at the home folder (the window's
 * working folder is wherever it was started), then where the last restore went; the folder
 * picked receives the file, or the folder by its name. What the restore did stays on screen.
 */
import React, {useEffect, useState} from 'react';
import {Box} from 'ink';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {escapeControl} from '../backup/names.js';
import {Footer, type Disabled} from '../components/footer.js';
import {useKeys} from '../components/keys.js';
import {Line, Rule, mark, type Piece} from '../components/line.js';
import {PickList, moveCursor} from '../components/pick-list.js';
import {useTheme} from '../components/theme.js';
import {useRefState} from '../components/use-ref-state.js';
import {dispatch} from '../keymap.js';
import {browse, type Browsed} from '../restore/browse.js';
import {folderVersions, type FileVersion, type FolderTime} from '../restore/catalog.js';
import type {RestoreRequest, RestoreResult} from '../restore/restore.js';
import {FolderChooser} from './folder-chooser.js';
import {entriesOf, entryLine, onServer, resultLines, timeHeader, timeRow, versionHeader, versionRow, type Entry} from './version-lines.js';

type Restore = (request: Omit<RestoreRequest, 'backup'>, report: (result: RestoreResult) => void) => Promise<{ok: boolean; message: string}>;

type Props = {
	/** The backup folder (resolved). */
	folder: string;
	/** `server.root`, to show the server's paths. */
	root: string;
	width: number;
	height: number;
	onClose: () => void;
	/** Runs the restore command (model/commands.ts). */
	restore: Restore;
	/** Why each command cannot run now (restore is greyed while a backup runs). */
	disabled?: Disabled;
	/** Changes when a run has ended: the backup is read again. */
	lastEnded?: string;
	/** Where the folder chooser opens first (default `~/packrat-restore`, or home when it does not exist). */
	restoreStart?: string;
};

type Choice = {kind: 'file'; parts: string[]; versions: FileVersion[]} | {kind: 'folder'; parts: string[]; times: FolderTime[]; files: number};
type Focus = 'list' | 'choice' | 'destination';

/** Lines of the pane below the list (with its rule), by the screen's height. */
export function paneLines(height: number): number {
	return Math.max(3, Math.floor((height - 5) * 0.45));
}

export function VersionsScreen({folder, root, width, height, onClose, restore, disabled = {}, lastEnded, restoreStart}: Props) {
	const theme = useTheme();
	const g = theme.glyph;
	const [parts, setParts, partsRef] = useRefState<string[]>([]);
	const [listing, setListing, listingRef] = useRefState<Browsed | undefined>(undefined);
	const [cursor, setCursor, cursorRef] = useRefState(0);
	const [focus, setFocus, focusRef] = useRefState<Focus>('list');
	const [choice, setChoice, choiceRef] = useRefState<Choice | undefined>(undefined);
	const [picked, setPicked, pickedRef] = useRefState(0);
	const [report, setReport] = useState<{title: string; lines: Piece[][]}>();
	const [busy, setBusy, busyRef] = useRefState<string | undefined>(undefined);
	const [failure, setFailure] = useState<string>();
	const [lastTo, setLastTo] = useState(restoreStart ?? join(homedir(), 'packrat-restore'));
	const [select, setSelect] = useState<string>();

	useEffect(() => {
		let live = true;
		setListing(undefined);
		browse(folder, parts).then(found => {
			if (!live) return;
			setListing(found);
			setFailure(undefined);
			const at = entriesOf(found, parts).findIndex(entry => entry.kind === 'folder' && entry.name === select);
			setCursor(Math.max(0, at));
		}, (error: NodeJS.ErrnoException) => live && setFailure(error.code ?? error.message));
		return () => {
			live = false;
		};
	}, [folder, parts, lastEnded]);
	// Version numbers may have moved with a new run: back to the list.
	useEffect(() => {
		setFocus(previous => (previous === 'choice' ? 'list' : previous));
		setChoice(undefined);
	}, [lastEnded]);

	const entries = entriesOf(listing, parts);
	const pane = paneLines(height);
	const listHeight = Math.max(1, height - 5 - pane);
	const go = (next: string[], from?: string) => {
		setSelect(from);
		setParts(next);
		setCursor(0);
		setReport(undefined);
	};

	const shown = (choice: Choice) => onServer(root, choice.parts) + (choice.kind === 'folder' && choice.parts.length > 0 ? '/' : '');
	const openEntry = async (entry: Entry | undefined) => {
		const here = partsRef.current;
		if (!entry) return;
		if (entry.kind === 'parent') go(here.slice(0, -1), here.at(-1));
		else if (entry.kind === 'folder') go([...here, entry.name]);
		else if (entry.kind === 'file') {
			setChoice({kind: 'file', parts: [...here, entry.file.name], versions: entry.file.versions});
			setPicked(0);
			setFocus('choice');
		} else {
			setBusy(`Reading the times this folder can be restored to${g.ellipsis}`);
			const found = await folderVersions(folder, here).catch(() => undefined);
			setBusy(undefined);
			setChoice({kind: 'folder', parts: here, times: found?.times ?? [], files: found?.files.size ?? 0});
			setPicked(0);
			setFocus('choice');
		}
	};

	const restoreTo = async (to: string) => {
		const chosen = choiceRef.current;
		setFocus('choice');
		if (!chosen) return;
		setLastTo(to);
		const request = chosen.kind === 'file'
			? {parts: chosen.parts, version: chosen.versions[pickedRef.current]?.number, to, toNamed: `the folder ${to}`, shown: shown(chosen)}
			: {parts: chosen.parts, folder: true, at: chosen.times[pickedRef.current]?.mtime, to, toNamed: `the folder ${to}`, shown: shown(chosen)};
		setBusy(`Restoring${g.ellipsis}`);
		let result: RestoreResult | undefined;
		const outcome = await restore(request, found => (result = found));
		setBusy(undefined);
		setFocus('list');
		setReport(result
			? {title: result.failed.length > 0 ? 'Restored, with failures' : 'Restored', lines: resultLines(result, shown(chosen), theme)}
			: {title: 'Not restored', lines: [[mark(g.bad, escapeControl(outcome.message), 'bad', false)]]});
	};

	useKeys((input, key) => {
		if (busyRef.current) return;
		if (focusRef.current === 'choice') {
			const action = dispatch('version-choice', input, key)?.action;
			const chosen = choiceRef.current;
			const count = chosen ? (chosen.kind === 'file' ? chosen.versions.length : chosen.times.length) : 0;
			if (action === 'close') setFocus('list');
			else if (action === 'up') setPicked(moveCursor(pickedRef.current, -1, count));
			else if (action === 'down') setPicked(moveCursor(pickedRef.current, 1, count));
			else if (action === 'restore' && count > 0) {
				if (disabled['restore']) setReport({title: 'Not restored', lines: [[mark(g.warn, `Not now: ${disabled['restore']}`, 'warn', false)]]});
				else setFocus('destination');
			}

			return;
		}

		const action = dispatch('versions', input, key)?.action;
		const all = entriesOf(listingRef.current, partsRef.current);
		const move = (by: number) => {
			setCursor(moveCursor(cursorRef.current, by, all.length));
			setReport(undefined);
		};

		if (action === 'close') onClose();
		else if (action === 'up') move(-1);
		else if (action === 'down') move(1);
		else if (action === 'page-up') move(-listHeight);
		else if (action === 'page-down') move(listHeight);
		else if (action === 'parent' && partsRef.current.length > 0) go(partsRef.current.slice(0, -1), partsRef.current.at(-1));
		else if (action === 'open' && listingRef.current) void openEntry(all[cursorRef.current]);
	}, focus !== 'destination');

	if (focus === 'destination') {
		return <FolderChooser initial={lastTo} title="Restore into which folder?" useLabel="Restore into this folder" width={width} height={height} onClose={() => setFocus('choice')} onChoose={chosen => void restoreTo(chosen)} />;
	}

	const here = entries[cursor];
	const preview: Choice | undefined = focus === 'choice' ? choice : here?.kind === 'file' ? {kind: 'file', parts: [...parts, here.file.name], versions: here.file.versions} : undefined;
	let paneTitle = '';
	let paneBody: React.ReactNode;
	const note = (text: string) => <Line width={width} segments={[{text, tone: 'muted'}]} />;
	if (report) {
		paneTitle = report.title;
		paneBody = report.lines.slice(0, pane - 1).map((line, index) => <Line key={index} width={width} segments={line} />);
	} else if (preview) {
		const rows = preview.kind === 'file' ? preview.versions.map(versionRow) : preview.times.map(timeRow);
		const count = preview.kind === 'file' ? `${rows.length} ${rows.length === 1 ? 'version' : 'versions'}` : `${rows.length} ${rows.length === 1 ? 'time' : 'times'} to restore to, ${preview.files} files`;
		paneTitle = `${escapeControl(shown(preview))}: ${count}`;
		paneBody = rows.length === 0 ? note('Nothing to restore here.') : (
			<>
				<Line width={width} segments={[{text: `  ${preview.kind === 'file' ? versionHeader : timeHeader}`, bold: true}]} />
				<PickList entries={rows} cursor={focus === 'choice' ? picked : -1} width={width} height={Math.max(1, pane - 2)} />
			</>
		);
	} else if (here?.kind === 'restore') {
		paneTitle = 'This folder';
		paneBody = note('Enter lists the times it can be restored to: each file as it stood then.');
	} else if (here) {
		paneTitle = here.kind === 'parent' ? 'Parent folder' : 'Folder';
		paneBody = note('Enter opens it.');
	}

	const version = focus === 'choice' && choice?.kind === 'file' ? choice.versions[picked] : undefined;
	const status: Piece[] = busy
		? [{text: busy, tone: 'busy'}]
		: failure
			? [mark(g.bad, `the backup folder cannot be read (${failure})`, 'bad', false)]
			: version
				? [{text: `lies at ${escapeControl(version.where)}${version.also.length > 0 ? ` (also ${escapeControl(version.also.join(', '))})` : ''}`, tone: 'muted'}]
				: [{text: listing ? (listing.missing ? 'This folder is not in the backup.' : `${listing.folders.length} folder(s), ${listing.files.length} file(s)${listing.skipped.length > 0 ? `, ${listing.skipped.length} symlink(s) not followed` : ''}`) : `Reading${g.ellipsis}`, tone: 'muted'}];
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Rule width={width} title="Versions" />
			<Line width={width} segments={[{text: 'In ', tone: 'muted'}, {text: escapeControl(`${onServer(root, parts)}${parts.length > 0 ? '/' : ''}`), bold: true}, {text: `  from ${escapeControl(folder)}`, tone: 'muted'}]} />
			<PickList entries={entries.map(entry => entryLine(entry, theme, parts))} cursor={cursor} width={width} height={listHeight} active={focus === 'list'} />
			<Rule width={width} title={paneTitle} />
			<Box flexDirection="column" height={pane - 1} overflow="hidden">{paneBody}</Box>
			<Line width={width} segments={status} />
			<Footer screen={focus === 'choice' ? 'version-choice' : 'versions'} context={{armed: false, running: false}} width={width} disabled={disabled} />
		</Box>
	);
}
