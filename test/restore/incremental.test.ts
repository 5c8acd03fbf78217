import {readdir, rm} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {localStamp} from '../../source/backup/local.js';
import {runBackup} from '../../source/backup/run.js';
import {fileVersions, folderVersions} from '../../source/restore/catalog.js';
import {restore} from '../../source/restore/restore.js';
import {folderState} from '../helpers/folder-state.js';
import {makeJob, tempDir, tree, type Held} from '../helpers/fixture.js';

const t = (iso: string) => new Date(iso);
const seconds = (date: Date) => date.getTime() / 1000;
const web = 'alice/Website';
const long = `${web}/${'n'.repeat(251)}.txt`;
const accents = `${web}/${'é'.repeat(123)}.md`;
const twins = ['A', 'B'].map(letter => `alice/twins/${'t'.repeat(240)}${letter}.txt`);
const oddNames = [' both ends ', 'e\u0301.txt', '\u00e9.txt', 'tab\there.txt', '-rf', 'x'.repeat(255)];

/** What the server holds at each run: path → content and mtime; a missing path is gone from the server. */
const runs: Array<Record<string, TreeFile & {mtime: Date}>> = [];
function run(changes: Record<string, TreeFile & {mtime: Date}>, gone: string[] = []): void {
	const state = {...runs.at(-1), ...changes};
	for (const path of gone) delete state[path];
	runs.push(state);
}

run({
	[`${web}/index v3.html`]: {content: 'v3 one', mtime: t('2026-11-01T10:00:00Z')},
	[long]: {content: 'long 1', mtime: t('2026-11-01T11:00:00Z')},
	[accents]: {content: 'accents 1', mtime: t('2026-11-01T11:30:00Z')},
	[`${web}/gone.txt`]: {content: 'soon gone', mtime: t('2026-11-01T09:00:00Z')},
	'bob/notes.txt': {content: 'never changes', mtime: t('2026-10-01T00:00:00Z')},
	[twins[0]!]: {content: 'twin A 1', mtime: t('2026-11-01T07:00:00Z')},
	[twins[1]!]: {content: 'twin B one', mtime: t('2026-11-01T07:00:00Z')},
	...Object.fromEntries(oddNames.map(name => [`alice/odd/${name}`, {content: `${name} 1`, mtime: t('2026-11-01T08:00:00Z')}])),
});
run({
	[`${web}/index v3.html`]: {content: 'v3 two!', mtime: t('2026-11-02T10:00:05Z')},
	[long]: {content: 'long 2', mtime: t('2026-11-02T11:00:00Z')},
	[twins[0]!]: {content: 'twin A 2', mtime: t('2026-11-02T07:00:00Z')},
	[twins[1]!]: {content: 'twin B 2', mtime: t('2026-11-02T07:00:00Z')},
	...Object.fromEntries(oddNames.map(name => [`alice/odd/${name}`, {content: `${name} 2, changed`, mtime: t('2026-11-02T08:00:00Z')}])),
});
run({
	[long]: {content: 'long three', mtime: t('2026-11-03T11:00:00Z')},
	[accents]: {content: 'accents 3', mtime: t('2026-11-03T11:30:00Z')},
	[`${web}/new.txt`]: {content: 'new at three', mtime: t('2026-11-03T12:00:00Z')},
}, [`${web}/gone.txt`]);
run({[`${web}/index v3.html`]: {content: 'v3 three', mtime: t('2026-11-04T09:30:30Z')}});

/** The distinct versions a path had on the server over the runs, newest first. */
function history(path: string): Array<{text: string; mtime: number}> {
	const seen = new Map<string, {text: string; mtime: number}>();
	for (const state of runs) {
		const file = state[path];
		if (file) seen.set(`${String(file.content)}@${seconds(file.mtime)}`, {text: String(file.content), mtime: seconds(file.mtime)});
	}

	return [...seen.values()].sort((a, b) => b.mtime - a.mtime);
}

describe('restoring from an incremental backup made by real runs', () => {
	let server: FtpTestServer;
	let backup: string;
	let before: Awaited<ReturnType<typeof folderState>>;

	beforeAll(async () => {
		const source = await tempDir();
		server = await startFtpServer({root: source, mlsd: true});
		backup = await tempDir();
		let previous: Record<string, unknown> = {};
		for (const state of runs) {
			for (const path of Object.keys(previous)) if (!state[path]) await rm(join(source, path));
			await writeTree(source, state);
			const summary = await runBackup({job: makeJob(server, backup)});
			expect(summary.outcome).toBe('success');
			previous = state;
		}

		before = await folderState(backup);
	});

	afterAll(async () => {
		// Restoring never wrote into the backup folder: every entry, size, mtime and link count is as the runs left it.
		expect(await folderState(backup)).toEqual(before);
		await server.close();
	});

	it('lists every version of a file newest first: the current copy, then the kept ones, cut names included', async () => {
		for (const path of [`${web}/index v3.html`, long, accents, `${web}/gone.txt`, `${web}/new.txt`, ...oddNames.map(name => `alice/odd/${name}`)]) {
			const found = await fileVersions(backup, path.split('/'));
			const expected = history(path);
			expect(found.versions.map(version => ({size: version.size, mtime: version.mtime})), path).toEqual(expected.map(item => ({size: Buffer.byteLength(item.text), mtime: item.mtime})));
			expect(found.versions.map(version => version.number)).toEqual(expected.map((_, index) => index + 1));
			expect(found.versions.map(version => version.place)).toEqual(expected.map((_, index) => (index === 0 ? 'current' : 'kept')));
			expect(found.versions[0]!.where).toBe(path);
			expect(found.skipped).toEqual([]);
		}

		const cut = await fileVersions(backup, long.split('/'));
		for (const version of cut.versions.slice(1)) {
			const name = version.where.split('/').at(-1)!;
			expect(Buffer.byteLength(name)).toBe(255);
			expect(name).toMatch(/^n+ \(\d{4}-\d\d-\d\d \d{6}\)\.txt$/);
			expect(version.shared).toBe(false);
		}

		expect((await fileVersions(backup, ['alice', 'odd', 'x'.repeat(255)])).versions[1]!.where).toBe(`alice/odd/${'x'.repeat(235)} (${localStamp(t('2026-11-01T08:00:00Z'))})`);
	});

	it('lists a cut kept name that two files beginning alike could own under both, marked shared', async () => {
		for (const path of twins) {
			const [current, ...kept] = (await fileVersions(backup, path.split('/'))).versions;
			expect([current!.size, current!.place, current!.shared]).toEqual([Buffer.byteLength(history(path)[0]!.text), 'current', false]);
			// Both kept at the same time: which one took the ` 2` depends on which download finished first.
			expect(kept.map(version => [version.size, version.place, version.shared]).sort()).toEqual([[10, 'kept', true], [8, 'kept', true]]);
		}
	});

	it('restores each version of each file with its bytes and modification time, under its own name', async () => {
		for (const path of [`${web}/index v3.html`, long, accents, ...oddNames.map(name => `alice/odd/${name}`)]) {
			const name = path.split('/').at(-1)!;
			const expected = history(path);
			for (const [index, item] of expected.entries()) {
				const to = await tempDir();
				const result = await restore({backup, parts: path.split('/'), version: index + 1, to});
				expect(result.failed).toEqual([]);
				expect(await tree(to)).toEqual({[name]: item});
				expect(result.restored).toEqual([{path, from: expect.any(String) as string, to: join(to, name), size: Buffer.byteLength(item.text), mtime: item.mtime}]);
			}
		}
	});

	it('restores a folder as it stood at each run, from the times it lists', async () => {
		const found = await folderVersions(backup, web.split('/'));
		expect(found!.times.map(time => time.mtime)).toEqual([...new Set(runs.flatMap(state => Object.entries(state).filter(([path]) => path.startsWith(`${web}/`)).map(([, file]) => seconds(file.mtime))))].sort((a, b) => b - a));
		for (const [index, state] of runs.entries()) {
			const at = Math.max(...Object.entries(state).filter(([path]) => path.startsWith(`${web}/`)).map(([, file]) => seconds(file.mtime)));
			// Incremental deletes nothing: a file gone from the server is still there, as of its last version.
			const expected: Held = {};
			for (const earlier of runs.slice(0, index + 1)) {
				for (const [path, file] of Object.entries(earlier)) {
					if (path.startsWith(`${web}/`)) expected[path.slice(web.length + 1)] = {text: String(file.content), mtime: seconds(file.mtime)};
				}
			}

			const to = await tempDir();
			const result = await restore({backup, parts: web.split('/'), at, to});
			expect(result.failed).toEqual([]);
			expect(result.asOf).toBe(at);
			expect(await readdir(to)).toEqual(['Website']);
			expect(await tree(join(to, 'Website')), `as of run ${index + 1}`).toEqual(expected);
			const byNumber = await tempDir();
			await restore({backup, parts: web.split('/'), version: found!.times.findIndex(time => time.mtime === at) + 1, to: byNumber});
			expect(await tree(join(byNumber, 'Website'))).toEqual(expected);
		}
	});

	it('restores the whole backup as it is now, the users\' folders straight into DIR', async () => {
		const to = await tempDir();
		const result = await restore({backup, parts: [], to});
		const expected: Held = {};
		for (const state of runs) for (const [path, file] of Object.entries(state)) expected[path] = {text: String(file.content), mtime: seconds(file.mtime)};
		// packrat's own files (logs, export, .packrat) are never versions of anything.
		expect(await tree(to, {own: true})).toEqual(expected);
		expect(result.top).toBe(to);
		for (const own of [['packrat-transfer.log'], ['packrat-export.tsv'], ['.packrat', 'history.jsonl']]) expect((await fileVersions(backup, own)).versions).toEqual([]);
	});

	it('never overwrites: restoring twice gives the second a suffixed name and leaves the first as it was', async () => {
		const to = await tempDir();
		const path = `${web}/index v3.html`;
		const [newest, , oldest] = history(path);
		await restore({backup, parts: path.split('/'), version: 3, to});
		const first = await folderState(to);
		const again = await restore({backup, parts: path.split('/'), version: 1, to});
		const suffixed = `index v3 (${localStamp(new Date(newest!.mtime * 1000))}).html`;
		expect(again.restored[0]).toMatchObject({to: join(to, suffixed), taken: join(to, 'index v3.html')});
		expect(await tree(to)).toEqual({'index v3.html': oldest, [suffixed]: newest});
		const state = await folderState(to);
		expect(state['index v3.html']).toEqual(first['index v3.html']);

		await restore({backup, parts: web.split('/'), to});
		const folder = await folderState(to);
		const twice = await restore({backup, parts: web.split('/'), to});
		expect(twice.top).toBe(join(to, `Website (${localStamp(new Date(twice.asOf! * 1000))})`));
		expect(await tree(twice.top)).toEqual(await tree(join(to, 'Website')));
		for (const [key, entry] of Object.entries(folder)) if (key.startsWith('Website')) expect((await folderState(to))[key]).toEqual(entry);
	});
});
