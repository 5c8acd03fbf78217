/**
 * An endless folder tree (issue 11, point 9): a server whose folders list as their ancestors, and
 * a tree deeper than `maxDepth`. The scan must end within a few listings with an error naming the
 * folder, and an honest tree that merely repeats itself must still be backed up whole.
 */
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHostileServer, type Handler, type HostileServer, type TreeInput} from '../../devtools/hostile-server.js';
import {sendData} from '../../devtools/hostile-server/handlers.js';
import {normalize} from '../../devtools/hostile-server/tree.js';
import {runBackup, type Job} from '../../source/backup/run.js';
import type {Summary} from '../../source/backup/events.js';
import {configure, runCli} from '../helpers/cli.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const when = new Date('2026-11-20T03:00:00Z');
const files: TreeInput = {'/top.txt': {data: 'top', mtime: when}, '/alice/a.txt': {data: 'alice', mtime: when}, '/bob/b.txt': {data: 'bob', mtime: when}};

/** Listings served so far (LIST and MLSD). */
const listings = (server: HostileServer) => server.commands.filter(command => /^(LIST|MLSD)\b/i.test(command)).length;

/**
 * A run that is cancelled once the server has served `cap` listings, so that a scan that never
 * ends fails the test in seconds instead of running forever.
 */
async function cappedRun(server: HostileServer, job: Job, cap = 400): Promise<Summary> {
	const controller = new AbortController();
	const watch = setInterval(() => {
		if (listings(server) > cap) controller.abort();
	}, 20);
	try {
		return await runBackup({job, signal: controller.signal});
	} finally {
		clearInterval(watch);
	}
}

/**
 * A listing handler that lists `resolve(path)` instead of the folder asked for; with `unique`, each
 * entry carries the id of what it really is (as proftpd's dev and inode); with `restamp`, every
 * folder entry gets a time of its own on each listing, as servers that make folder times up do;
 * with `reorder`, every other listing comes in the reverse order.
 */
function listingAs(resolve: (path: string) => string, mlsd: boolean, {unique = false, restamp = false, reorder = false} = {}): Handler {
	let served = 0;
	return async (session, argument) => {
		served++;
		const asked = session.server.tree.resolve(session.cwd, argument.replace(/^-a(\s+|$)/, ''));
		const path = resolve(asked);
		const {tree} = session.server;
		if (!tree.folders.has(path)) {
			session.reply('550 No such folder.');
			return;
		}

		const lines = mlsd ? tree.mlsdLines(path) : tree.listLines(path);
		const names = tree.children(path).map(([name]) => name);
		const minute = String(served % 60).padStart(2, '0');
		const body = lines
			.map(line => (restamp && /^(d|type=dir)/.test(line) ? line.replace(/Nov 20 2026|modify=20261120030000/, mlsd ? `modify=202611200300${minute}` : `Nov 20 03:${minute}`) : line))
			.map((line, index) => (unique ? line.replace('; ', `;unique=${Buffer.from(resolve(`${path === '/' ? '' : path}/${names[index]}`)).toString('hex')}; `) : line));
		if (reorder && served % 2 === 0) body.reverse();
		await sendData(session, body.map(line => `${line}\r\n`).join(''));
	};
}

/** Every folder lists as the one it is in, as that one was answered: in the end, as the root. */
const asTheRoot = () => '/';

/** `/alice/back` is a link to the root, followed by the server: `/alice/back/alice/back/x` is `/x`. */
const throughBack = (path: string) => {
	let real = path;
	while (/^\/alice\/back(\/|$)/.test(real)) real = normalize(real.slice('/alice/back'.length));
	return real;
};

async function errorLog(backup: string): Promise<string> {
	return readFile(join(backup, 'packrat-errors.log'), 'utf8');
}

/**
 * A run against `input` whose every LIST answers as the root: it fails within a few listings, the
 * loop found at /alice and logged. The backup folder, for what each test asserts of it.
 */
async function rootLoopFound(input: TreeInput, options?: Parameters<typeof listingAs>[2]): Promise<string> {
	const server = await startHostileServer({files: input, handlers: {LIST: listingAs(asTheRoot, false, options)}});
	try {
		const backup = await tempDir();
		const summary = await cappedRun(server, makeJob(server, backup));
		expect(summary.outcome).toBe('failed');
		expect(listings(server)).toBeLessThan(40);
		expect(await errorLog(backup)).toMatch(/\t\/alice\tlists as its ancestor \/ \(the same entries, repeated over 8 levels\): a loop, not entered\n/);
		return backup;
	} finally {
		await server.close();
	}
}

describe('a folder that lists as one of its ancestors', () => {
	for (const [mlsd, restamp] of [[false, false], [true, false], [false, true], [true, true]] as const) {
		it(`is not entered when every ${mlsd ? 'MLSD' : 'LIST'} answers with the folder it is in${restamp ? ', folder times made up anew each time' : ''}; the scan ends within a few listings`, async () => {
			const verb = mlsd ? 'MLSD' : 'LIST';
			const server = await startHostileServer({files, mlsd, handlers: {[verb]: listingAs(asTheRoot, mlsd, {restamp})}});
			try {
				const backup = await tempDir();
				const summary = await cappedRun(server, makeJob(server, backup));
				expect(summary.outcome).toBe('failed');
				expect(listings(server)).toBeLessThan(40);
				expect(summary.reason).toMatch(/2 folder\(s\) could not be listed/);
				const errors = await errorLog(backup);
				expect(errors).toMatch(/\t\/alice\tlists as its ancestor \/ \(the same entries, repeated over 8 levels\): a loop, not entered\n/);
				expect(errors).toMatch(/\t\/bob\tlists as its ancestor \/ /);
				// Only the root's own file is real; nothing was made of the phantom folders.
				expect(await tree(backup)).toEqual({'top.txt': {text: 'top', mtime: when.getTime() / 1000}});
				await expect(stat(join(backup, 'alice'))).rejects.toThrow(/ENOENT/);
			} finally {
				await server.close();
			}
		});
	}

	it('is not entered when the same listing comes in another order each time', async () => {
		const backup = await rootLoopFound(files, {reorder: true});
		expect(await tree(backup)).toEqual({'top.txt': {text: 'top', mtime: when.getTime() / 1000}});
	});

	it('is not entered when the listing is long (259 entries), fingerprinted as soon as it is listed', async () => {
		const long: TreeInput = {...files};
		for (let index = 0; index < 256; index++) long[`/file ${index}.txt`] = {data: String(index), mtime: when};
		const backup = await rootLoopFound(long);
		expect(Object.keys(await tree(backup))).toHaveLength(257);
	});

	it('is not entered when a folder is a link to an ancestor two levels up, the rest being backed up', async () => {
		const server = await startHostileServer({files: {...files, '/alice/back/': ''}, handlers: {LIST: listingAs(throughBack, false)}});
		try {
			const backup = await tempDir();
			const summary = await cappedRun(server, makeJob(server, backup));
			expect(summary.outcome).toBe('failed');
			expect(listings(server)).toBeLessThan(40);
			expect(await errorLog(backup)).toMatch(/\t\/alice\/back\tlists as its ancestor \/ \(the same entries, repeated over 8 levels\): a loop, not entered\n/);
			expect(Object.keys(await tree(backup)).sort()).toEqual(['alice/a.txt', 'bob/b.txt', 'top.txt']);
		} finally {
			await server.close();
		}
	});

	it('is a loop at once where MLSD gives every entry a unique id', async () => {
		const server = await startHostileServer({files: {...files, '/alice/back/': ''}, mlsd: true, handlers: {MLSD: listingAs(throughBack, true, {unique: true})}});
		try {
			const backup = await tempDir();
			const summary = await cappedRun(server, makeJob(server, backup));
			expect(summary.outcome).toBe('failed');
			expect(await errorLog(backup)).toMatch(/\t\/alice\/back\tlists as its ancestor \/ \(the same entries\): a loop, not entered\n/);
			// The root, alice, bob and the link: nothing more.
			expect(listings(server)).toBe(4);
			expect(Object.keys(await tree(backup)).sort()).toEqual(['alice/a.txt', 'bob/b.txt', 'top.txt']);
		} finally {
			await server.close();
		}
	});
});

describe('an honest tree that repeats itself', () => {
	// a/a/a/a/a/a, each level holding the same file (same bytes, same time) and an empty folder e/:
	// five levels list exactly alike, yet the tree ends, and every file is backed up.
	const levels = 6;
	const honest: TreeInput = {};
	for (let depth = 1; depth <= levels; depth++) {
		const folder = '/a'.repeat(depth);
		honest[`${folder}/leaf.txt`] = {data: 'the same leaf', mtime: when};
		honest[`${folder}/e/`] = '';
	}

	for (const mlsd of [false, true]) {
		it(`is not taken for a loop (${mlsd ? 'MLSD' : 'LIST'})`, async () => {
			const server = await startHostileServer({files: honest, mlsd});
			try {
				const backup = await tempDir();
				const summary = await runBackup({job: makeJob(server, backup)});
				expect(summary.reason).toBeUndefined();
				expect(summary.outcome).toBe('success');
				const held = await tree(backup);
				expect(Object.keys(held).sort()).toEqual(Array.from({length: levels}, (_, index) => `${'a/'.repeat(index + 1)}leaf.txt`).sort());
				for (let depth = 1; depth <= levels; depth++) expect((await stat(join(backup, 'a/'.repeat(depth), 'e'))).isDirectory()).toBe(true);
				// Each folder listed once: a probe's listing is not asked for again.
				expect(listings(server)).toBe(1 + 2 * levels);
			} finally {
				await server.close();
			}
		});
	}
});

describe('an honest tree whose levels are of one shape', () => {
	// a/a/…/a, 12 levels, each holding one file and the next folder: every level lists as many
	// entries and folders as the one above it, and differs only in its file's name and size.
	const deep = 12;
	const shaped: TreeInput = {};
	for (let depth = 1; depth <= deep; depth++) shaped[`${'/a'.repeat(depth)}/level ${depth}.txt`] = {data: 'x'.repeat(depth), mtime: when};

	it('is not taken for a loop: each level is compared by its entries, not only by how many there are', async () => {
		const server = await startHostileServer({files: shaped});
		try {
			const backup = await tempDir();
			const summary = await runBackup({job: makeJob(server, backup)});
			expect(summary.reason).toBeUndefined();
			expect(summary.outcome).toBe('success');
			expect(Object.keys(await tree(backup))).toHaveLength(deep);
			expect(listings(server)).toBe(deep + 1);
		} finally {
			await server.close();
		}
	});
});

describe('maxDepth', () => {
	const depth = 100;
	const chain = Array.from({length: depth}, (_, index) => `d${index + 1}`);
	const deep: TreeInput = {'/top.txt': {data: 'top', mtime: when}, [`/${chain.join('/')}/deep.txt`]: {data: 'deep', mtime: when}};

	it('stops a tree 100 levels deep at 64 with an error naming the folder and the limit', async () => {
		const server = await startHostileServer({files: deep});
		try {
			const backup = await tempDir();
			const summary = await cappedRun(server, makeJob(server, backup, {maxDepth: 64}));
			expect(summary.outcome).toBe('failed');
			expect(listings(server)).toBe(65);
			const errors = await errorLog(backup);
			expect(errors).toContain(`\t/${chain.slice(0, 65).join('/')}\tit is 65 folders below the root, deeper than maxDepth (64): not entered (packrat config set maxDepth N to go deeper)\n`);
			expect(Object.keys(await tree(backup))).toEqual(['top.txt']);
			expect((await stat(join(backup, ...chain.slice(0, 64)))).isDirectory()).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('lets the same tree through with maxDepth 200', async () => {
		const server = await startHostileServer({files: deep});
		try {
			const backup = await tempDir();
			const summary = await runBackup({job: makeJob(server, backup, {maxDepth: 200})});
			expect(summary.reason).toBeUndefined();
			expect(summary.outcome).toBe('success');
			expect(Object.keys(await tree(backup)).sort()).toEqual([`${chain.join('/')}/deep.txt`, 'top.txt']);
		} finally {
			await server.close();
		}
	});

	it('is a setting: packrat config set maxDepth takes 1 to 1000, and packrat run keeps to it', async () => {
		const server = await startHostileServer({files: {'/u/v/w/x.txt': 'x'}});
		try {
			const home = await tempDir();
			expect(await runCli(['config', 'set', 'maxDepth', '1001'], {home})).toMatchObject({code: 2, stderr: 'packrat: maxDepth must be a number of folder levels below the root, from 1 to 1000 (got "1001")\n'});
			expect((await runCli(['config', 'set', 'maxDepth', '0'], {home})).code).toBe(2);
			await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.tls': 'none', backupFolder: join(home, 'backup'), maxDepth: '2'});
			const run = await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'x'}});
			expect(run.code).toBe(1);
			expect(await errorLog(join(home, 'backup'))).toContain('\t/u/v/w\tit is 3 folders below the root, deeper than maxDepth (2)');
			await configure(home, {maxDepth: '3'});
			expect((await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'x'}})).code).toBe(0);
			expect(Object.keys(await tree(join(home, 'backup')))).toEqual(['u/v/w/x.txt']);
		} finally {
			await server.close();
		}
	});
});
