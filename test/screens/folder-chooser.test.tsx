/**
 * The folder chooser: browses folders (files left out), goes up, makes a new folder, and refuses
 * a folder that cannot be written.
 */
import {mkdir, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import React from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';
import {FolderChooser} from '../../source/screens/folder-chooser.js';
import {folderProblem} from '../../source/files/write-check.js';
import {tempDir} from '../helpers/fixture.js';
import {frameHeights, renderAt} from '../window/terminal.js';

let root: string;

beforeEach(async () => {
	root = await tempDir('packrat-chooser-');
	for (const name of ['alpha', 'beta', '.hidden', 'alpha/inner']) await mkdir(join(root, name));
	await writeFile(join(root, 'file.txt'), 'not a folder');
});

async function open(canWrite?: (folder: string) => Promise<string | undefined>) {
	const chosen: string[] = [];
	let closed = 0;
	const t = await renderAt(<FolderChooser initial={root} width={80} height={23} onChoose={folder => chosen.push(folder)} onClose={() => closed++} canWrite={canWrite} />, {columns: 80, rows: 24});
	await t.see('alpha');
	return {t, chosen, closed: () => closed};
}

describe('the folder chooser', () => {
	it('lists the folders, not the files, and browses down and up', async () => {
		const {t} = await open();
		const frame = t.frame();
		expect(frame).toContain(`In ${root}`);
		expect(frame).toMatch(/alpha[\s\S]*beta[\s\S]*\.hidden/);
		expect(frame).not.toContain('file.txt');
		await t.pressAction('folder', 'down');
		await t.pressAction('folder', 'down');
		await t.pressAction('folder', 'open');
		await t.see(`In ${join(root, 'alpha')}`);
		await t.see('inner');
		await t.pressAction('folder', 'parent');
		await t.see(`In ${root}`);
		await t.see('› ▸ alpha');
		expect(Math.max(...frameHeights(t.stdout))).toBeLessThanOrEqual(24);
		t.unmount();
	});

	it('makes a new folder and goes into it', async () => {
		const {t} = await open();
		await t.pressAction('folder', 'new-folder');
		await t.see('New folder name:');
		await t.type('gamma');
		await t.pressAction('folder-name', 'submit');
		await t.see(`made ${join(root, 'gamma')}`);
		expect((await stat(join(root, 'gamma'))).isDirectory()).toBe(true);
		await t.pressAction('folder', 'new-folder');
		await t.type('..');
		await t.pressAction('folder-name', 'submit');
		await t.see('that name is taken');
		await t.pressAction('folder-name', 'close');
		t.unmount();
	});

	it('uses a folder that can be written', async () => {
		const {t, chosen} = await open();
		await t.pressAction('folder', 'use-folder');
		// Chosen once the folder has been checked by writing to it: however long the disk takes.
		await vi.waitFor(() => expect(chosen).toEqual([root]), {timeout: 10_000, interval: 20});
		t.unmount();
	});

	it('refuses a folder that cannot be written, and stays open', async () => {
		const {t, chosen, closed} = await open(async () => 'EROFS');
		await t.pressAction('folder', 'open');
		expect(await t.see('cannot be written (EROFS): choose another folder')).toContain(root);
		expect(chosen).toEqual([]);
		await t.pressAction('folder', 'close');
		expect(closed()).toBe(1);
		t.unmount();
	});

	it('checks a folder by writing to it: a file or a missing parent is refused', async () => {
		expect(await folderProblem(root)).toBeUndefined();
		expect(await folderProblem(join(root, 'new'))).toBeUndefined();
		expect(await folderProblem(join(root, 'file.txt'))).toBe('it is not a folder');
		expect(await folderProblem(join(root, 'missing', 'deeper'))).toBe('neither it nor its parent folder exists');
		if (process.platform === 'linux') expect(await folderProblem('/proc/self')).toBeDefined();
	});
});
