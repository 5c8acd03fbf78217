/**
 * The Versions screen in the window, on backups made by real runs against the in-process
 * server (incremental with kept versions, Full with hard-linked snapshots): `v` browses by the
 * server's paths, a file's versions are listed, Enter restores the chosen one (or a folder as of
 * a time) into a folder picked with the folder chooser, with the bytes and modification time the
 * server had, and what was done is on screen. Keys are pressed by their binding in the key map.
 */
import {readdir} from 'node:fs/promises';
import {join} from 'node:path';
import React from 'react';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {App} from '../../source/app.js';
import {localStamp} from '../../source/backup/local.js';
import {runBackup} from '../../source/backup/run.js';
import {makeTheme} from '../../source/components/theme.js';
import {bytes} from '../../source/format.js';
import {localTime} from '../../source/restore/times.js';
import {folderState} from '../helpers/folder-state.js';
import {makeJob, tempDir, tree, type Held} from '../helpers/fixture.js';
import {makeSession, windowTests, type Made} from '../window/fixture.js';
import {during, frameHeights, renderAt, waitFor, type Terminal} from '../window/terminal.js';

const t = (iso: string) => new Date(iso);
const secondsOf = (date: Date) => date.getTime() / 1000;
type Server = Record<string, TreeFile & {mtime: Date}>;

/** What the server held at each incremental run. */
const states: Server[] = [
	{'alice/Website/index.html': {content: 'index one', mtime: t('2026-11-01T10:00:00Z')}, 'alice/Website/css/site.css': {content: 'body{}', mtime: t('2026-11-01T09:00:00Z')}, 'bob/notes.txt': {content: 'never changes', mtime: t('2026-10-01T00:00:00Z')}},
	{'alice/Website/index.html': {content: 'index two, longer', mtime: t('2026-11-02T10:00:00Z')}, 'alice/Website/css/site.css': {content: 'body{color:red}', mtime: t('2026-11-02T09:00:00Z')}},
	{'alice/Website/index.html': {content: 'index 3', mtime: t('2026-11-03T10:00:00Z')}},
];
const held = (index: number): Server => Object.assign({}, ...states.slice(0, index + 1)) as Server;
const asHeld = (file: TreeFile & {mtime: Date}) => ({text: String(file.content), mtime: secondsOf(file.mtime)});
const pages = [
	{content: 'page 1', mtime: t('2026-11-10T12:00:00Z')},
	{content: 'page two', mtime: t('2026-11-11T12:00:00Z')},
	{content: 'page two', mtime: t('2026-11-11T12:00:00Z')},
];
const fullDay = (index: number) => t(`2026-11-1${index}T03:00:00Z`);

let server: FtpTestServer;
let backup: string;
let full: string;
let before: unknown;
let home: string;
const savedHome = process.env['HOME'];

beforeAll(async () => {
	const source = await tempDir();
	server = await startFtpServer({root: source, mlsd: true});
	backup = await tempDir();
	for (const [index, state] of states.entries()) {
		await writeTree(source, state);
		expect((await runBackup({job: makeJob(server, backup), now: () => t(`2026-11-0${index + 1}T12:00:00Z`)})).outcome).toBe('success');
	}

	full = await tempDir();
	for (const [index, page] of pages.entries()) {
		await writeTree(source, {'alice/page.html': page});
		expect((await runBackup({job: makeJob(server, full, {mode: 'full', linkUnchanged: true}), now: () => fullDay(index)})).outcome).toBe('success');
	}

	before = await contents();
});

/** What both backup folders hold; the window's check that a backup folder can be written (a probe file made and removed) changes the folder's own mtime only. */
async function contents() {
	const states = [await folderState(backup), await folderState(full)];
	return states.map(({'': top, ...below}) => ({top: {...top, mtimeMs: 0}, below}));
}

afterAll(async () => {
	// The screen never wrote into a backup folder.
	expect(await contents()).toEqual(before);
	await server.close();
	if (savedHome === undefined) delete process.env['HOME'];
	else process.env['HOME'] = savedHome;
});

let made: Made;
let term: Terminal;

beforeEach(async () => {
	// The chooser opens at ~/packrat-restore, or home when it does not exist: a home of the test's own.
	home = await tempDir('packrat-home-');
	process.env['HOME'] = home;
});

windowTests(() => ({t: term, made}));

async function open(folder: string | undefined, size = {columns: 80, rows: 24}, ascii = false) {
	made = await makeSession({host: '127.0.0.1', backupFolder: folder});
	term = await renderAt(<App session={made.session} onQuit={() => undefined} />, {...size, theme: makeTheme({ascii, color: false})});
	await term.see('Backup window');
}

/** The line the list's cursor is on (the list holds the keys). */
const cursorLine = () => term.frame().split('\n').find(line => line.startsWith('› ') || line.startsWith('> ')) ?? '';

/** Move the list's cursor down to the entry that shows `text`. */
async function cursorTo(text: string) {
	await term.see(text);
	for (let step = 0; step < 40 && !cursorLine().includes(text); step++) await term.pressAction('versions', 'down');
	expect(cursorLine()).toContain(text);
}

async function openPath(...names: string[]) {
	for (const name of names) {
		await cursorTo(name);
		await term.pressAction('versions', 'open');
	}
}

/** Press Enter on the chosen version, then use the folder the chooser opens at. */
async function restoreInto(where: string) {
	await term.pressAction('version-choice', 'restore');
	await term.see('Restore into which folder?');
	await term.see(`In ${where}`);
	await term.pressAction('folder', 'use-folder');
	await term.see(/Restored|Not restored/, 10_000);
}

describe('the Versions screen', () => {
	it('browses by the server\'s paths, lists a file\'s versions, and restores the chosen one with its bytes and mtime', async () => {
		await open(backup);
		await term.pressAction('backup', 'versions');
		let frame = await term.see('alice/');
		expect(frame).toContain('In /');
		expect(frame).toContain('Restore the whole backup as of a time');
		expect(frame).not.toContain('.packrat');
		expect(frame).not.toContain('packrat-transfer.log');
		await openPath('alice/', 'Website/');
		frame = await term.see('index.html  3 versions');
		expect(frame).toContain('In /alice/Website/');
		// Kept copies are folded under their file: one entry, with its versions counted.
		expect(frame).toContain(`index.html  3 versions, newest ${localTime(secondsOf(states[2]!['alice/Website/index.html']!.mtime))}`);
		expect(frame).not.toMatch(/index \(\d{4}/);
		await cursorTo('index.html');
		await term.pressAction('versions', 'open');
		frame = await term.see('/alice/Website/index.html: 3 versions');
		for (const [number, state] of [[1, 2], [2, 1], [3, 0]] as const) {
			const file = states[state]!['alice/Website/index.html']!;
			expect(frame).toMatch(new RegExp(`${number}  ${localTime(secondsOf(file.mtime))} +${bytes(Buffer.byteLength(file.content))}  (current|kept) copy`));
		}

		await term.pressAction('version-choice', 'down');
		expect(await term.see('lies at alice/Website/index (')).toContain('Enter Restore');
		await restoreInto(home);
		const second = asHeld(states[1]!['alice/Website/index.html']!);
		expect(await tree(home)).toEqual({'index.html': second});
		frame = await term.see('Restored /alice/Website/index.html, version 2');
		expect(frame).toContain(`of ${localTime(second.mtime)}`);
		expect(frame).toContain(`to ${join(home, 'index.html')} (${bytes(second.text.length)})`);

		// Again: the name is taken, so the second copy gets a suffix, and the screen says so.
		await term.pressAction('versions', 'open');
		await term.pressAction('version-choice', 'down');
		await restoreInto(home);
		const suffixed = `index (${localStamp(new Date(second.mtime * 1000))}).html`;
		frame = await term.see('was already there');
		expect(frame).toContain(`index.html was already there: restored as ${suffixed}`);
		expect(frame).toContain(`to ${join(home, suffixed)}`);
		expect(await tree(home)).toEqual({'index.html': second, [suffixed]: second});
		await term.pressAction('versions', 'close');
		await term.see('Backup window');
	});

	it('restores a folder as it stood at a time chosen from its restore times', async () => {
		await open(backup);
		await term.pressAction('backup', 'versions');
		await openPath('alice/', 'Website/');
		await term.see('index.html');
		await term.pressAction('versions', 'up');
		await term.pressAction('versions', 'up');
		expect(cursorLine()).toContain('Restore this folder as of a time');
		await term.pressAction('versions', 'open');
		const frame = await term.see('/alice/Website/: 5 times to restore to, 2 files');
		// The second newest time: index.html and site.css as run 2 left them.
		const at = secondsOf(states[1]!['alice/Website/index.html']!.mtime);
		expect(frame).toMatch(new RegExp(`2  ${localTime(at)} +2`));
		await term.pressAction('version-choice', 'down');
		await restoreInto(home);
		await term.see(`Restored 2 files of /alice/Website/ as it stood at ${localTime(at)}`);
		expect(term.frame()).toContain(`to ${join(home, 'Website')} (${bytes(32)})`);
		expect(await readdir(home)).toEqual(['Website']);
		const expected: Held = {};
		for (const [path, file] of Object.entries(held(1))) if (path.startsWith('alice/Website/')) expected[path.slice('alice/Website/'.length)] = asHeld(file);
		expect(await tree(join(home, 'Website'))).toEqual(expected);
	});

	it('merges the Full snapshots: a version in several hard-linked snapshots counts once, and is restored from them', async () => {
		await open(full, {columns: 100, rows: 30});
		await term.pressAction('backup', 'versions');
		await term.see('alice/');
		// The snapshots are not folders of the server: only the users' folders are listed.
		expect(term.frame()).not.toContain(localStamp(fullDay(0)));
		await openPath('alice/', 'page.html');
		const frame = await term.see('/alice/page.html: 2 versions');
		expect(frame).toMatch(new RegExp(`1  ${localTime(secondsOf(pages[2]!.mtime))} +8 B  snapshot ${localStamp(fullDay(2))} \\(\\+1 more place\\)`));
		expect(frame).toMatch(new RegExp(`2  ${localTime(secondsOf(pages[0]!.mtime))} +6 B  snapshot ${localStamp(fullDay(0))}`));
		await term.pressAction('version-choice', 'down');
		await restoreInto(home);
		expect(await tree(home)).toEqual({'page.html': asHeld(pages[0]!)});
	});

	it('is refused without a backup folder, and a restore is refused while a backup runs, with the reason', async () => {
		await open(undefined);
		await term.pressAction('backup', 'versions');
		await term.see('no backup folder is set (press f to choose one)');
		expect(term.frame()).not.toContain('── Versions');
		term.unmount();
		await made.session.shutdown();

		await open(backup);
		await term.pressAction('backup', 'now');
		await waitFor(() => made.engine.calls.length === 1, 'the run to start');
		await term.pressAction('backup', 'versions');
		await openPath('bob/', 'notes.txt');
		await term.see('/bob/notes.txt: 1 version');
		await term.pressAction('version-choice', 'restore');
		await term.see('Not now: a backup is running: restore once it has ended');
		expect(term.frame()).not.toContain('Restore into which folder?');
		expect(await readdir(home)).toEqual([]);
		await during(() => made.engine.finish());
		await waitFor(() => !made.session.running, 'the run to end');
	});

	it('fits 80×24 and 100×30, and lays itself out again after a resize', async () => {
		for (const size of [{columns: 80, rows: 24}, {columns: 100, rows: 30}]) {
			await open(backup, size);
			await term.pressAction('backup', 'versions');
			await openPath('alice/', 'Website/', 'index.html');
			await term.see('3 versions');
			await during(() => term.stdout.resize(size.columns === 80 ? 100 : 80, size.columns === 80 ? 30 : 24));
			await waitFor(() => term.frame().split('\n')[0]!.length === (size.columns === 80 ? 100 : 80), 'the frame to take the new width');
			expect(term.frame()).toContain('/alice/Website/index.html: 3 versions');
			for (const frame of term.stdout.frames) for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
			expect(Math.max(...frameHeights(term.stdout))).toBeLessThanOrEqual(30);
			expect(frameHeights(term.stdout).at(-1)).toBeLessThanOrEqual(size.columns === 80 ? 30 : 24);
			term.unmount();
			await made.session.shutdown();
		}

		await open(backup);
	});

	it('is in the footer and the help of the Backup window, with History', async () => {
		await open(backup);
		expect(term.frame()).toMatch(/v Versions +h History/);
		await term.pressAction('backup', 'help');
		const frame = await term.see('Keys of the Backup window');
		expect(frame).toMatch(/v +Versions: browse the backup, see a file's versions, restore one/);
		expect(frame).toMatch(/h +History: the runs of this backup folder/);
	});

	it('draws ASCII only in ASCII mode', async () => {
		await open(backup, {columns: 80, rows: 24}, true);
		await term.pressAction('backup', 'versions');
		await openPath('alice/', 'Website/', 'index.html');
		await term.see('3 versions');
		for (const frame of term.stdout.frames) expect(frame).toMatch(/^[\u0000-\u007F]*$/);
	});
});
