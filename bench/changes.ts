/**
 * Point 4: no change is missed because a LIST date is imprecise. A small tree is pulled by every
 * tool, then changed on the server in ways a LIST line cannot show (same size, time moved within
 * the same minute, or within the same day for files old enough that LIST shows only the year),
 * plus ordinary changes, additions and removals; then every tool pulls again into its folder.
 */
import {lstat, readdir, rm, utimes, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {localStamp} from '../source/backup/local.js';
import {splitExtension} from '../source/backup/versions.js';
import {ensureSet, expectedBytes} from './generate.js';
import {derive} from './random.js';
import {smallSet, type FileSpec} from './layout.js';
import {timedPull, sampleLine, type Target} from './rounds.js';
import {startServer} from './servers.js';
import {loadTools, type Tool, type ToolName} from './tools.js';
import {Source, hashFile} from './verify.js';

type Change = {kind: string; file: FileSpec; before?: {mtime: number; hash: string}; after?: FileSpec};

const sixMonths = 182 * 86_400;
const kinds = [
	{kind: 'minute', label: 'same size, new bytes, time moved within the same minute (LIST shows the same HH:MM)'},
	{kind: 'day', label: 'same size, new bytes, time moved within the same day, file older than 6 months (LIST shows only the year)'},
	{kind: 'touch', label: 'same bytes, time moved by 1 s (a new version by the spec)'},
	{kind: 'size', label: 'new size and time'},
	{kind: 'added', label: 'new file'},
	{kind: 'removed', label: 'removed from the server (must stay in the backup)'},
] as const;

function sameDayShift(mtime: number): number {
	return Math.floor((mtime + 3600) / 86_400) === Math.floor(mtime / 86_400) ? mtime + 3600 : mtime - 3600;
}

function sameMinuteShift(mtime: number): number {
	return mtime % 60 === 59 ? mtime - 1 : mtime + 1;
}

async function mutate(root: string, files: FileSpec[], seed: number): Promise<Change[]> {
	const random = derive(seed, 'changes');
	const now = Date.now() / 1000;
	const recent = files.filter(file => now - file.mtime < sixMonths - 86_400);
	const old = files.filter(file => now - file.mtime > sixMonths + 86_400);
	const taken = new Set<string>();
	const pick = (from: FileSpec[], count: number) => {
		const chosen: FileSpec[] = [];
		while (chosen.length < count && chosen.length + taken.size < files.length) {
			const file = random.pick(from);
			if (taken.has(file.path)) continue;
			taken.add(file.path);
			chosen.push(file);
		}

		return chosen;
	};

	const changes: Change[] = [];
	const write = async (file: FileSpec, label: number) => {
		await writeFile(join(root, file.path), expectedBytes(seed + label, file));
		await utimes(join(root, file.path), file.mtime, file.mtime);
	};

	for (const file of pick(recent, 10)) changes.push({kind: 'minute', file, after: {...file, mtime: sameMinuteShift(file.mtime)}});
	for (const file of pick(old, 10)) changes.push({kind: 'day', file, after: {...file, mtime: sameDayShift(file.mtime)}});
	for (const file of pick(recent, 5)) changes.push({kind: 'touch', file, after: {...file, mtime: file.mtime + 1}});
	for (const file of pick(files, 5)) changes.push({kind: 'size', file, after: {...file, size: file.size + 100, mtime: file.mtime + 7200}});
	for (const file of pick(files, 5)) changes.push({kind: 'removed', file});
	for (let n = 0; n < 5; n++) {
		const near = random.pick(files);
		const folder = dirname(near.path);
		const file = {path: `${folder === '.' ? '' : `${folder}/`}Added file ${n}.txt`, size: random.int(2048, 8192), mtime: near.mtime};
		changes.push({kind: 'added', file, after: file});
	}

	for (const change of changes) {
		const path = join(root, change.file.path);
		if (change.kind !== 'added') change.before = {mtime: change.file.mtime, hash: await hashFile(path)};
		if (change.kind === 'removed') await rm(path);
		else if (change.kind === 'touch') await utimes(path, change.after!.mtime, change.after!.mtime);
		else await write(change.after!, 1);
	}

	return changes;
}

/** Whether `tool`'s folder holds the new version of a changed file (or still holds a removed one). */
async function caught(change: Change, dest: string, source: Source): Promise<boolean> {
	const path = join(dest, change.file.path);
	try {
		if (change.kind === 'removed') return (await hashFile(path)) === change.before!.hash;
		const want = source.tree.get(change.after!.path)!;
		const stat = await lstat(path);
		return stat.size === want.size && Math.floor(stat.mtimeMs / 1000) === want.mtime && (await hashFile(path)) === (await source.hash(change.after!.path));
	} catch {
		return false;
	}
}

const keepsOlder = (change: Change) => change.before !== undefined && change.kind !== 'removed';

/** packrat only: the older copy of a changed file, kept as `<stem> (<its mtime>)<ext>` with the old bytes. */
async function keptOlder(change: Change, dest: string): Promise<boolean> {
	if (!keepsOlder(change) || !change.before) return false;
	const name = change.file.path.split('/').at(-1)!;
	const [stem, extension] = splitExtension(name);
	const folder = join(dest, dirname(change.file.path));
	const expected = `${stem} (${localStamp(new Date(change.before.mtime * 1000))})${extension}`;
	if (!(await readdir(folder)).includes(expected)) return false;
	return (await hashFile(join(folder, expected))) === change.before.hash;
}

export type ChangeOptions = {repo: string; tools: Tool[]; work: string; seed: number; prefer: 'vsftpd' | 'ftp-srv'; log: (line: string) => void};

export async function runChanges(options: ChangeOptions): Promise<string> {
	const {log, seed} = options;
	const dir = join(options.work, 'changes');
	const spec = {...smallSet(seed, 400, 120), name: 'changes'};
	const {root} = await ensureSet(join(dir, 'data'), spec, seed, log);
	log('change detection: a 400-file tree on its own server');
	const server = await startServer({root: dirname(root), prefer: options.prefer, log});
	try {
		const tools = await loadTools(options.tools.map(tool => tool.name as ToolName), {repo: options.repo, work: dir, server}, log);
		const before: Target = {name: 'changes', remote: '/changes', source: await Source.load(root), rerun: true};
		for (const tool of tools) log(sampleLine(await timedPull(tool, before, 'first', 1, join(dir, 'pulls', tool.name), dir)));
		const changes = await mutate(root, spec.files, seed);
		const after: Target = {...before, source: await Source.load(root)};
		const table = new Map<string, Map<string, number>>();
		const notes: string[] = [];
		for (const tool of tools) {
			const dest = join(dir, 'pulls', tool.name);
			const sample = await timedPull(tool, after, 'rerun', 1, dest, dir);
			log(sampleLine(sample));
			const counts = new Map<string, number>();
			for (const change of changes) {
				if (await caught(change, dest, after.source)) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
				if (tool.name === 'packrat' && (await keptOlder(change, dest))) counts.set('older', (counts.get('older') ?? 0) + 1);
			}

			table.set(tool.name, counts);
			if (tool.name === 'packrat') notes.push(`packrat's rerun: ${sample.summary ?? 'no summary'}; exit ${sample.exitCode}.`);
		}

		const names = [...table.keys()];
		const total = (kind: string) => changes.filter(change => change.kind === kind).length;
		const lines = [
			'## Change detection (point 4)',
			'',
			`A ${spec.files.length}-file tree (same layout as \`small\`, its own vsftpd) is pulled by every tool; then the server's copy changes as below, and every tool pulls again into the same folder. "caught" = the folder now holds the new bytes with the new mtime (for a removed file: still holds the old one).`,
			'',
			`| change | files | ${names.join(' | ')} |`,
			`|---|---:|${names.map(() => '---:').join('|')}|`,
		];
		for (const {kind, label} of kinds) {
			lines.push(`| ${label} | ${total(kind)} | ${names.map(name => `${table.get(name)!.get(kind) ?? 0} caught`).join(' | ')} |`);
		}

		const older = changes.filter(change => keepsOlder(change)).length;
		lines.push(`| older copy kept as \`<stem> (<mtime>)<ext>\` with the old bytes | ${older} | ${names.map(name => (name === 'packrat' ? `${table.get(name)!.get('older') ?? 0} kept` : 'n/a')).join(' | ')} |`);
		lines.push('', ...notes, '');
		return lines.join('\n');
	} finally {
		await server.stop();
	}
}
