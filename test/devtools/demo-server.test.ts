/**
 * The demo's server options: a download paced per data connection, a file refused with 550, and
 * the edit between runs (new content, new modification time) made when the history grows.
 */
import {appendFile, mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {Writable} from 'node:stream';
import {Client, FTPError} from 'basic-ftp';
import {afterEach, describe, expect, it} from 'vitest';
import {afterEachRun, deniedFile, demoServerOptions, editFile} from '../../devtools/demo-server.js';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {tempDir} from '../helpers/fixture.js';

const KB = 1000;
const big = Buffer.alloc(200 * KB, 7);
let server: FtpTestServer | undefined;
let client: Client | undefined;

afterEach(async () => {
	client?.close();
	await server?.close();
	client = undefined;
	server = undefined;
});

async function serve(options: {paceBytesPerSecond?: number; deniedReads?: string[]} = {}) {
	const root = await tempDir('packrat-demo-server-');
	await writeTree(root, {'big.bin': {content: big}, 'dan smith/Archive 2024/old project (2).zip': {content: 'zip'}, 'open.txt': {content: 'open'}});
	server = await startFtpServer({root, user: 'demo', password: 'demo', ...options});
	client = new Client(5000);
	await client.access({host: server.host, port: server.port, user: 'demo', password: 'demo'});
	return {root, client};
}

async function download(from: Client, remote: string): Promise<Buffer> {
	const chunks: Buffer[] = [];
	await from.downloadTo(new Writable({write(chunk: Buffer, _encoding, callback) {
		chunks.push(chunk);
		callback();
	}}), remote);
	return Buffer.concat(chunks);
}

describe('the demo server', () => {
	it('offers HASH, paces each download and refuses one file', () => {
		expect(demoServerOptions('/served', 'explicit')).toMatchObject({root: '/served', tls: 'explicit', hash: 'HASH', paceBytesPerSecond: expect.any(Number), deniedReads: [deniedFile]});
	});

	it('paces a download: 200 KB at 100 KB/s take at least 1.5 s, and arrive whole', async () => {
		const {client: paced} = await serve({paceBytesPerSecond: 100 * KB});
		const started = Date.now();
		const got = await download(paced, 'big.bin');
		expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
		expect(got.equals(big)).toBe(true);
	});

	it('without a pace the same download is quick', async () => {
		const {client: quick} = await serve();
		const started = Date.now();
		expect((await download(quick, 'big.bin')).length).toBe(big.length);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('refuses a denied file with 550 Permission denied, and serves the others', async () => {
		const {client: refused} = await serve({deniedReads: [deniedFile]});
		const error = await download(refused, deniedFile).then(() => undefined, (caught: unknown) => caught);
		expect(error).toBeInstanceOf(FTPError);
		expect((error as FTPError).code).toBe(550);
		expect((error as FTPError).message).toContain('Permission denied');
		expect((await download(refused, 'open.txt')).toString()).toBe('open');
	});

	it('edits a file between runs: new content and a newer modification time, once each time the history grows', async () => {
		const root = await tempDir('packrat-demo-edit-');
		await writeTree(root, {'alice/notes.txt': {content: 'notes\n', mtime: new Date('2026-11-15T10:00:00Z')}});
		const history = path.join(root, 'backup', '.packrat', 'history.jsonl');
		let edits = 0;
		const at = new Date('2026-11-20T10:00:00Z');
		const watch = afterEachRun(history, async () => {
			edits++;
			await editFile(root, 'alice/notes.txt', at);
		}, 20);
		try {
			await mkdir(path.dirname(history), {recursive: true});
			await writeFile(history, '{"outcome":"success"}\n');
			await expect.poll(() => edits, {timeout: 3000}).toBe(1);
			await expect.poll(async () => (await stat(path.join(root, 'alice/notes.txt'))).mtime.toISOString()).toBe(at.toISOString());
			expect(await readFile(path.join(root, 'alice/notes.txt'), 'utf8')).toMatch(/^notes\nedited between two runs of the demo, at 2026-11-20T10:00:00.000Z\n$/);
			await appendFile(history, '{"outcome":"failed"}\n');
			await expect.poll(() => edits, {timeout: 3000}).toBe(2);
		} finally {
			watch.stop();
		}
	});
});
