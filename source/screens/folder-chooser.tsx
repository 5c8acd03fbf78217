/**
 * The folder chooser (`f`): browse folders, make a new one, and use one as the backup folder
 * (or, from the Versions screen, as the folder a restore goes to), but only after a real file
 * could be written in it: a folder that cannot be written is refused with the reason, and the
 * chooser stays open.
 */
import React, {useEffect, useRef, useState} from 'react';
import {useKeys} from '../components/keys.js';
import {useRefState} from '../components/use-ref-state.js';
import {Box} from 'ink';
import {TextField, useTextEntry} from '../components/text-field.js';
import {escapeControl} from '../backup/names.js';
import {Footer} from '../components/footer.js';
import {Line, Rule, mark, type Piece} from '../components/line.js';
import {PickList} from '../components/pick-list.js';
import {useTheme} from '../components/theme.js';
import {dispatch} from '../keymap.js';
import {writeProblem} from '../files/write-check.js';
import {listFolders, makeFolder, startFolder, type Listing} from '../files/folders.js';
import {basename, dirname, join} from 'node:path';

type Props = {
	initial: string | undefined;
	/** The heading (default: choosing the backup folder) and the first line's words (default: Use this folder). */
	title?: string;
	useLabel?: string;
	width: number;
	height: number;
	onChoose: (folder: string) => void;
	onClose: () => void;
	/** Why a file cannot be written in a folder, or undefined (tests stand in for a read-only disk). */
	canWrite?: (folder: string) => Promise<string | undefined>;
};

type Message = {text: string; tone: 'ok' | 'bad'};

export function FolderChooser({initial, title = 'Choose the backup folder', useLabel = 'Use this folder', width, height, onChoose, onClose, canWrite = writeProblem}: Props) {
	const theme = useTheme();
	const g = theme.glyph;
	const [folder, setFolder, folderRef] = useRefState<string | undefined>(undefined);
	const [listing, setListing, listingRef] = useRefState<Listing>({folders: [], more: 0});
	const [cursor, setCursor, cursorRef] = useRefState(0);
	const [naming, setNaming, namingRef] = useRefState(false);
	const name = useTextEntry();
	const [message, setMessage] = useState<Message>();
	const [busy, setBusy] = useState(false);
	const selectAfterLoad = useRef<string | undefined>(undefined);

	useEffect(() => {
		void startFolder(initial).then(setFolder);
	}, [initial]);
	useEffect(() => {
		if (folder === undefined) return;
		let live = true;
		void listFolders(folder).then(found => {
			if (!live) return;
			setListing(found);
			// Coming up from a folder, the cursor stays on it.
			const from = found.folders.indexOf(selectAfterLoad.current ?? '');
			if (from >= 0) setCursor(from + 2);
			selectAfterLoad.current = undefined;
		});
		return () => {
			live = false;
		};
	}, [folder]);

	const up = (from: string) => {
		selectAfterLoad.current = basename(from);
		go(dirname(from));
	};

	const go = (next: string, select = 0) => {
		setListing({folders: [], more: 0});
		setFolder(next);
		setCursor(select);
		setMessage(undefined);
	};

	const use = async (target: string) => {
		setBusy(true);
		const problem = await canWrite(target);
		setBusy(false);
		if (problem) setMessage({text: `${escapeControl(target)} cannot be written (${problem}): choose another folder`, tone: 'bad'});
		else onChoose(target);
	};

	useKeys((input, key) => {
		const folder = folderRef.current;
		const cursor = cursorRef.current;
		const typing = namingRef.current;
		const action = dispatch(typing ? 'folder-name' : 'folder', input, key, typing)?.action;
		if (typing) {
			if (action === 'close') setNaming(false);
			else if (action === 'submit') void submitName(name.current());
			else name.type(input, key);
			return;
		}

		if (action === 'close') onClose();
		if (folder === undefined || busy) return;

		if (action === 'up') setCursor(Math.max(0, cursor - 1));
		else if (action === 'down') setCursor(Math.min(1 + listingRef.current.folders.length, cursor + 1));
		else if (action === 'parent') up(folder);
		else if (action === 'use-folder') void use(folder);
		else if (action === 'new-folder') {
			name.reset();
			setNaming(true);
		}
		else if (action === 'open') {
			if (cursor === 0) void use(folder);
			else if (cursor === 1) up(folder);
			else go(join(folder, listingRef.current.folders[cursor - 2]!));
		}
	});

	const submitName = async (name: string) => {
		try {
			const made = await makeFolder(folderRef.current!, name);
			setNaming(false);
			go(made);
			setMessage({text: `made ${escapeControl(made)}`, tone: 'ok'});
		} catch (error) {
			setMessage({text: escapeControl((error as Error).message), tone: 'bad'});
		}
	};

	const listHeight = Math.max(1, height - 5 - (naming ? 1 : 0));
	const entries: Piece[][] = [
		[mark(g.ok, useLabel, 'ok'), {text: ` ${folder ? escapeControl(folder) : ''}`, tone: 'muted'}],
		[`${g.folder} ..`, {text: ' (parent folder)', tone: 'muted'}],
		...listing.folders.map((name): Piece[] => [`${g.folder} ${escapeControl(name)}`]),
	];
	const status: Piece[] = message
			? [mark(message.tone === 'ok' ? g.ok : g.bad, message.text, message.tone, false)]
			: listing.error
				? [mark(g.bad, `cannot list this folder (${listing.error})`, 'bad', false)]
				: [{text: `${listing.folders.length} folder(s)${listing.more > 0 ? `, ${listing.more} more not shown` : ''}${busy ? ` ${g.dot} checking that it can be written${g.ellipsis}` : ''}`, tone: 'muted'}];
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Rule width={width} title={title} />
			<Line width={width} segments={[{text: 'In ', tone: 'muted'}, {text: folder ? escapeControl(folder) : g.ellipsis, bold: true}]} />
			<PickList entries={entries} cursor={cursor} width={width} height={listHeight} />
			<Line width={width} segments={status} />
			{naming ? (
				<Box height={1} overflow="hidden">
					<Line width={17} segments={[{text: 'New folder name: ', bold: true}]} />
					<TextField value={name.value} cursor={name.cursor} width={Math.max(10, width - 18)} />
				</Box>
			) : null}
			<Footer screen={naming ? 'folder-name' : 'folder'} context={{armed: false, running: false}} width={width} />
		</Box>
	);
}
