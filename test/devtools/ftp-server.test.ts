import {lstat, mkdtemp, rm, stat, symlink, lutimes, utimes} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import type {TLSSocket} from 'node:tls';
import {Client, enterPassiveModeIPv4, type AccessOptions} from 'basic-ftp';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpServerOptions, type FtpTestServer} from '../../devtools/ftp-server.js';
import {seedSample, writeTree} from '../../devtools/sample-data.js';

const DAY = 24 * 60 * 60 * 1000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 10 days ago at 03:04:05.750 UTC, and 400 days ago at 12:00 UTC. */
const RECENT = new Date(Math.floor((Date.now() - 10 * DAY) / DAY) * DAY + (3 * 3600 + 4 * 60 + 5) * 1000 + 750);
const OLD = new Date(Math.floor((Date.now() - 400 * DAY) / DAY) * DAY + 12 * 3600 * 1000);
const BIG = Buffer.from(Array.from({length: 100_000}, (_, index) => (index * 7 + (index >> 8)) & 255));
const ODD_NAMES = [' lead.txt', 'trail.txt ', 'tab\there.txt', 'ünï 日本.txt', 'quote"d.txt', 'back\\slash.txt', '-dash.txt'];

let root: string;

beforeAll(async () => {
	root = await mkdtemp(path.join(os.tmpdir(), 'packrat-ftp-server-'));
	await writeTree(root, {
		'folder/notes.txt': {content: 'hello world\n', mtime: RECENT},
		'folder/.hidden': {content: 'secret', mtime: RECENT},
		'folder/name with spaces.txt': {content: 'spaces', mtime: RECENT},
		'folder/old.bin': {content: BIG, mtime: OLD},
		'folder/sub dir/inside.txt': {content: 'inside', mtime: RECENT},
		...Object.fromEntries(ODD_NAMES.map((name) => [`names/${name}`, {content: `content of ${name}`, mtime: RECENT}])),
	});
	await symlink('notes.txt', path.join(root, 'folder/link'));
	await lutimes(path.join(root, 'folder/link'), RECENT, RECENT);
	await utimes(path.join(root, 'folder/sub dir'), OLD, OLD);
});

afterAll(async () => {
	await rm(root, {recursive: true, force: true});
});

describe.each([
	{mode: 'plain LIST-only', options: {}, access: {}},
	{mode: 'plain MLSD', options: {mlsd: true}, access: {}},
	{mode: 'explicit TLS', options: {mlsd: true, tls: 'explicit'}, access: {secure: true}},
	{mode: 'implicit TLS', options: {tls: 'implicit'}, access: {secure: 'implicit'}},
] as Array<{mode: string; options: Omit<FtpServerOptions, 'root'>; access: AccessOptions}>)('$mode', ({options, access}) => {
	let server: FtpTestServer;
	let client: Client;

	beforeAll(async () => {
		server = await startFtpServer({root, ...options});
		client = await connect(server, access);
	});

	afterAll(async () => {
		client.close();
		await server.close();
	});

	it('advertises MLST only when MLSD is on', async () => {
		const features = await client.features();
		expect(features.has('MLST')).toBe(options.mlsd === true);
		if (options.mlsd) expect(features.get('MLST')).toBe('type*;size*;modify*;');
		expect(features.has('SIZE') && features.has('MDTM')).toBe(true);
		expect(features.has('AUTH')).toBe(options.tls === 'explicit');
	});

	it('lists a folder the way the mode promises', async () => {
		const text = await rawList(client, 'folder');
		if (options.mlsd) expect(text).toBe(await expectedMlsd());
		else expect(text).toBe(await expectedList());
	});

	it('parses with basic-ftp into the right types', async () => {
		const files = await client.list('folder');
		const types = Object.fromEntries(files.map((file) => [file.name, file.type]));
		expect(types).toEqual({'.hidden': 1, link: 3, 'name with spaces.txt': 1, 'notes.txt': 1, 'old.bin': 1, 'sub dir': 2});
	});

	it('answers MDTM with the exact second in UTC, and SIZE', async () => {
		const reply = await client.send('MDTM folder/notes.txt');
		expect(reply.message).toBe(`213 ${ftpTime(RECENT)}`);
		expect((await client.lastMod('folder/notes.txt')).getTime()).toBe(Math.floor(RECENT.getTime() / 1000) * 1000);
		expect(await client.size('folder/old.bin')).toBe(BIG.length);
		await expect(client.size('folder/sub dir')).rejects.toMatchObject({code: 550});
		await expect(client.send('MDTM folder/missing')).rejects.toMatchObject({code: 550});
		await expect(download(client, 'folder/missing')).rejects.toMatchObject({code: 550});
		await expect(download(client, 'folder/sub dir')).rejects.toMatchObject({code: 550});
	});

	it('resumes a download with REST', async () => {
		// Buffer.equals: vitest's toEqual compares 100 000 bytes one by one, slowly
		expect((await download(client, 'folder/old.bin')).equals(BIG)).toBe(true);
		await client.send('REST 50000');
		await expect(download(client, 'folder/missing')).rejects.toMatchObject({code: 550});
		const tail = await download(client, 'folder/old.bin', 70_000);
		expect(tail.length).toBe(30_000);
		expect(tail.equals(BIG.subarray(70_000))).toBe(true);
		expect((await download(client, 'folder/old.bin')).equals(BIG)).toBe(true);
	});

	it('keeps odd names exactly in LIST and RETR', async () => {
		const text = await rawList(client, 'names');
		const listed = text.split('\r\n').filter(Boolean).map((line) => (options.mlsd ? line.slice(line.indexOf('; ') + 2) : line.slice(56)));
		expect(listed).toEqual([...ODD_NAMES].sort((a, b) => (a < b ? -1 : 1)));
		for (const name of ODD_NAMES) {
			expect((await download(client, `names/${name}`)).toString()).toBe(`content of ${name}`);
		}
	});

	it.runIf(options.tls)('uses the certificate whose fingerprint it reports', async () => {
		const socket = client.ftp.socket as TLSSocket;
		expect(socket.encrypted).toBe(true);
		expect(server.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
		expect(socket.getPeerCertificate().fingerprint256).toBe(server.fingerprint);
	});
});

describe('plain server', () => {
	it('answers MLSD and MLST with 500 when MLSD is off, and AUTH TLS with 502', async () => {
		await withServer({}, async (_server, client) => {
			await expect(client.send('MLSD folder')).rejects.toMatchObject({code: 500});
			await expect(client.send('MLST folder')).rejects.toMatchObject({code: 500});
			await expect(client.send('AUTH TLS')).rejects.toMatchObject({code: 502});
		});
	});

	it('gives a file at x.9996 s as second x, as a server on disk does (Node rounds Stats.mtime to the millisecond)', async () => {
		const edge = path.join(root, 'edge.txt');
		await writeTree(root, {'edge.txt': {content: 'edge'}});
		await utimes(edge, 1_700_000_000.9996, 1_700_000_000.9996);
		try {
			await withServer({mlsd: true}, async (_server, client) => {
				expect((await client.send('MDTM edge.txt')).message).toBe('213 20231114221320');
				expect((await client.send('MLST edge.txt')).message).toContain('modify=20231114221320;');
			});
		} finally {
			await rm(edge);
		}
	});

	it('answers MLST with the facts of one path', async () => {
		await withServer({mlsd: true}, async (_server, client) => {
			const reply = await client.send('MLST folder/notes.txt');
			expect(reply.message).toBe(
				`250-Listing /folder/notes.txt\n type=file;size=12;modify=${ftpTime(RECENT)}; /folder/notes.txt\n250 End`,
			);
		});
	});

	it('lists one file, and accepts LIST -a and LIST -la in the working folder', async () => {
		await withServer({}, async (_server, client) => {
			expect(await rawList(client, 'folder/notes.txt')).toMatch(/^-rw-r--r-- {4}1 1000 {5}1000 {11}12 .{12} folder\/notes.txt\r\n$/);
			await client.cd('folder');
			const listing = await expectedList();
			expect(await rawList(client, '')).toBe(listing);
			client.availableListCommands = ['LIST -la'];
			expect(await rawList(client, '')).toBe(listing);
			await expect(rawList(client, 'missing')).rejects.toMatchObject({code: 550});
		});
	});

	it('serves several connections at once, over EPSV and PASV', async () => {
		const server = await startFtpServer({root, tls: 'explicit'});
		const clients = await Promise.all([1, 2, 3, 4].map(() => connect(server, {secure: true})));
		try {
			clients[0]!.prepareTransfer = enterPassiveModeIPv4;
			const downloads = await Promise.all(clients.map((client) => download(client, 'folder/old.bin')));
			for (const data of downloads) expect(data.equals(BIG)).toBe(true);
			expect(server.connections()).toBe(4);
		} finally {
			for (const client of clients) client.close();
			await server.close();
		}
	});

	it('never serves a path outside the root', async () => {
		await withServer({}, async (_server, client) => {
			await client.cd('folder');
			expect(await client.size('../../../../folder/notes.txt')).toBe(12);
			await expect(client.size('../../../../etc/hostname')).rejects.toMatchObject({code: 550});
		});
	});

	it('accepts only the configured login', async () => {
		const server = await startFtpServer({root, user: 'alice', password: 's3cret'});
		try {
			await expect(connect(server, {user: 'alice', password: 'wrong'})).rejects.toMatchObject({code: 530});
			await expect(connect(server, {user: 'bob', password: 's3cret'})).rejects.toMatchObject({code: 530});
			const client = await connect(server, {user: 'alice', password: 's3cret'});
			expect(await client.size('folder/notes.txt')).toBe(12);
			client.close();
		} finally {
			await server.close();
		}
	});

	it('refuses a connection beyond maxConnections with 421', async () => {
		const server = await startFtpServer({root, maxConnections: 2});
		try {
			const first = await connect(server);
			const second = await connect(server);
			expect(server.connections()).toBe(2);
			await expect(connect(server)).rejects.toMatchObject({code: 421, message: expect.stringContaining('Too many connections')});
			first.close();
			await until(() => server.connections() === 1);
			const third = await connect(server);
			expect(await third.size('folder/notes.txt')).toBe(12);
			second.close();
			third.close();
			await until(() => server.connections() === 0);
		} finally {
			await server.close();
		}
	});

	it('serves the sample data set', async () => {
		const sample = await mkdtemp(path.join(os.tmpdir(), 'packrat-sample-'));
		try {
			await seedSample(sample);
			await withServer({root: sample, mlsd: true}, async (_server, client) => {
				const users = (await client.list('/')).map((file) => file.name).sort();
				expect(users).toEqual(['.welcome', 'README.txt', 'alice', 'bob', 'chloé', 'dan smith']);
				const video = await client.list('dan smith/Video');
				expect(video.map((file) => [file.name, file.size])).toEqual([
					['trailer v1.mp4', 2 * 1024 * 1024],
					['trailer v2.mp4', 2_000_000],
				]);
				expect(await client.list('alice/Empty folder')).toEqual([]);
			});
			expect((await stat(path.join(sample, 'bob/Photos/empty.txt'))).size).toBe(0);
		} finally {
			await rm(sample, {recursive: true, force: true});
		}
	});

	it('closes every socket, even with clients and passive data servers still open', async () => {
		const before = openSockets();
		const server = await startFtpServer({root, tls: 'explicit'});
		const client = await connect(server, {secure: true});
		await client.send('EPSV');
		expect(openSockets()).toBeGreaterThan(before);
		await server.close();
		await until(() => openSockets() === before);
		await expect(client.send('NOOP')).rejects.toThrow();
		client.close();
	});
});

async function connect(server: FtpTestServer, options: AccessOptions = {}): Promise<Client> {
	const client = new Client(5000);
	try {
		await client.access({
			host: server.host,
			port: server.port,
			secureOptions: {rejectUnauthorized: false},
			...options,
		});
	} catch (error) {
		client.close();
		throw error;
	}
	return client;
}

async function withServer(
	options: Partial<FtpServerOptions>,
	use: (server: FtpTestServer, client: Client) => Promise<void>,
): Promise<void> {
	const server = await startFtpServer({root, ...options});
	const client = await connect(server);
	try {
		await use(server, client);
	} finally {
		client.close();
		await server.close();
	}
}

/** The listing text exactly as received, through basic-ftp's own LIST/MLSD choice. */
async function rawList(client: Client, remotePath: string): Promise<string> {
	const parse = client.parseList;
	let text = '';
	client.parseList = (raw) => {
		text = raw;
		return [];
	};
	try {
		await client.list(remotePath);
	} finally {
		client.parseList = parse;
	}
	return text;
}

async function download(client: Client, remotePath: string, startAt = 0): Promise<Buffer> {
	const chunks: Buffer[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			chunks.push(chunk);
			callback();
		},
	});
	await client.downloadTo(sink, remotePath, startAt);
	return Buffer.concat(chunks);
}

async function expectedList(): Promise<string> {
	const folder = await lstat(path.join(root, 'folder/sub dir'));
	const lines = [
		`-rw-r--r--    1 1000     1000            6 ${listDate(RECENT)} .hidden`,
		`lrwxrwxrwx    1 1000     1000            9 ${listDate(RECENT)} link -> notes.txt`,
		`-rw-r--r--    1 1000     1000            6 ${listDate(RECENT)} name with spaces.txt`,
		`-rw-r--r--    1 1000     1000           12 ${listDate(RECENT)} notes.txt`,
		`-rw-r--r--    1 1000     1000       100000 ${listDate(OLD)} old.bin`,
		`drwxr-xr-x ${String(folder.nlink).padStart(4)} 1000     1000     ${String(folder.size).padStart(8)} ${listDate(OLD)} sub dir`,
	];
	return lines.map((line) => `${line}\r\n`).join('');
}

async function expectedMlsd(): Promise<string> {
	const lines = [
		`type=file;size=6;modify=${ftpTime(RECENT)}; .hidden`,
		`type=OS.unix=slink;modify=${ftpTime(RECENT)}; link`,
		`type=file;size=6;modify=${ftpTime(RECENT)}; name with spaces.txt`,
		`type=file;size=12;modify=${ftpTime(RECENT)}; notes.txt`,
		`type=file;size=100000;modify=${ftpTime(OLD)}; old.bin`,
		`type=dir;modify=${ftpTime(OLD)}; sub dir`,
	];
	return lines.map((line) => `${line}\r\n`).join('');
}

function listDate(date: Date): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	const day = `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}`;
	return date === OLD ? `${day}  ${date.getUTCFullYear()}` : `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

function ftpTime(date: Date): string {
	return date.toISOString().slice(0, 19).replace(/\D/g, '');
}

function openSockets(): number {
	return process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP') || name === 'TLSWrap').length;
}

async function until(condition: () => boolean, timeout = 2000): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('Timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
