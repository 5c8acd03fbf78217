/**
 * A reference, not a product: the least a Node pull over basic-ftp does per file — LIST each
 * folder, MDTM each file, RETR it straight into `.name.part` next to its final place, set the
 * time, rename — with no resume records, no logs, no events. It shows how much of packrat's time
 * is the protocol and how much is the engine around it. Options try what the engine could do:
 * `--checkers N` lists and asks MDTM on N more connections while the others only transfer (as
 * rclone does); `--pipeline` asks the MDTMs of a folder in one round trip; `--stat` lists with
 * `STAT <folder>` on the control connection instead of LIST over a data connection; `--batch N`
 * writes each file N bytes at a time (one writev of the socket's chunks) instead of per chunk.
 *
 *   node dist/bench/lean.js --port P [--host H --user U --password W] --root /small --dest DIR [--connections 4] [--checkers 0] [--pipeline] [--stat] [--batch BYTES]
 */
import {createWriteStream, writev, open as openFd, close as closeFd} from 'node:fs';
import {Writable} from 'node:stream';
import {lstat, mkdir, rename, utimes} from 'node:fs/promises';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {Client, parseList, type FileInfo} from 'basic-ftp';
import {RawControl} from './raw-control.js';

const {values} = parseArgs({options: {
	host: {type: 'string', default: '127.0.0.1'}, port: {type: 'string'}, user: {type: 'string', default: 'anonymous'},
	password: {type: 'string', default: 'bench@example.com'}, root: {type: 'string', default: '/'}, dest: {type: 'string'},
	connections: {type: 'string', default: '4'}, checkers: {type: 'string', default: '0'}, pipeline: {type: 'boolean', default: false},
	stat: {type: 'boolean', default: false}, batch: {type: 'string', default: '0'},
}});
if (!values.port || !values.dest) throw new Error('--port and --dest are required');
const server = {host: values.host, port: Number(values.port), user: values.user, password: values.password};

type Listing = {remote: string; local: string};
type Download = {remote: string; local: string; size: number; mtime?: number};

const parseTime = (text: string) => {
	const m = /(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(text);
	return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000 : Number.NaN;
};

const folders: Listing[] = [{remote: values.root!, local: values.dest!}];
const files: Download[] = [];
let busy = 0;
let downloaded = 0;
let unchanged = 0;
const waiters: Array<() => void> = [];
const wake = () => {
	for (const resolve of waiters.splice(0)) resolve();
};

async function connect(): Promise<Client> {
	const client = new Client(30_000);
	await client.access(server);
	return client;
}

async function list(client: Client, raw: RawControl | undefined, folder: Listing): Promise<void> {
	const found: Download[] = [];
	const entries: FileInfo[] = raw && values.stat
		? parseList(await raw.stat(folder.remote)).filter(entry => entry.name !== '.' && entry.name !== '..')
		: await client.list(folder.remote);
	for (const entry of entries) {
		const remote = `${folder.remote.replace(/\/$/, '')}/${entry.name}`;
		const local = join(folder.local, entry.name);
		if (entry.isDirectory) {
			await mkdir(local).catch(() => undefined);
			folders.push({remote, local});
		} else if (entry.isFile) {
			found.push({remote, local, size: entry.size});
		}
	}

	if (raw && values.pipeline) {
		const times = await raw.mdtm(found.map(file => file.remote));
		found.forEach((file, index) => (file.mtime = times[index]));
	}

	files.push(...found);
}

/** A file sink that gathers the socket's 64 KiB chunks and writes them `limit` bytes at a time with one writev. */
function batchSink(path: string, limit: number): Writable {
	let fd = -1;
	let chunks: Buffer[] = [];
	let held = 0;
	const flush = (done: (error?: Error | null) => void) => {
		if (chunks.length === 0) return done();
		const out = chunks;
		chunks = [];
		held = 0;
		writev(fd, out, error => done(error));
	};

	return new Writable({
		highWaterMark: limit,
		construct: done => openFd(path, 'w', (error, opened) => {
			fd = opened;
			done(error);
		}),
		write(chunk: Buffer, _encoding, done) {
			chunks.push(chunk);
			held += chunk.length;
			if (held >= limit) flush(done);
			else done();
		},
		final: done => flush(done),
		destroy: (error, done) => (fd < 0 ? done(error) : closeFd(fd, () => done(error))),
	});
}

async function fetch(client: Client, file: Download): Promise<void> {
	const mtime = file.mtime ?? parseTime((await client.send(`MDTM ${file.remote}`)).message);
	const stat = await lstat(file.local).catch(() => undefined);
	if (stat && stat.size === file.size && Math.floor(stat.mtimeMs / 1000) === mtime) {
		unchanged++;
		return;
	}

	const part = `${file.local}.part`;
	const batch = Number(values.batch);
	await client.downloadTo(batch > 0 ? batchSink(part, batch) : createWriteStream(part), file.remote);
	await utimes(part, mtime, mtime);
	await rename(part, file.local);
	downloaded++;
}

/** A worker lists when it may and there is a folder to list, else fetches. */
async function worker(lists: boolean, fetches: boolean): Promise<void> {
	const client = await connect();
	const raw = (values.pipeline || values.stat) && lists ? await RawControl.open(server.host, server.port, server.user, server.password) : undefined;
	for (;;) {
		const folder = lists ? folders.pop() : undefined;
		const file = folder || !fetches ? undefined : files.pop();
		if (!folder && !file) {
			if (busy === 0 && folders.length === 0 && (files.length === 0 || !fetches)) break;
			await new Promise<void>(resolve => waiters.push(resolve));
			continue;
		}

		busy++;
		try {
			if (folder) await list(client, raw, folder);
			else await fetch(client, file!);
		} finally {
			busy--;
			wake();
		}
	}

	wake();
	client.close();
	raw?.close();
}

await mkdir(values.dest!, {recursive: true});
const transfers = Number(values.connections);
const checkers = Number(values.checkers);
await Promise.all([
	...Array.from({length: transfers}, async () => worker(checkers === 0, true)),
	...Array.from({length: checkers}, async () => worker(true, false)),
]);
process.stdout.write(`Done: ${downloaded} downloaded, ${unchanged} unchanged\n`);
