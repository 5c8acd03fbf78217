import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startFtpServer, type FtpServerOptions} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {createServer, type Socket} from 'node:net';
import {Control} from '../../source/backup/ftp/control.js';
import {connect} from '../../source/backup/remote.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

/** 40 project folders (more than one pipelined STAT batch) and one folder of 230 files (three MDTM batches), each with its own time. */
function wideTree(): Record<string, TreeFile> {
	const files: Record<string, TreeFile> = {};
	const base = Date.parse('2026-11-20T03:00:00Z');
	for (let project = 0; project < 40; project++) {
		files[`u${project % 3}/p${project}/v${project}.dat`] = {content: `project ${project}`, mtime: new Date(base - project * 61_000 - 7_000)};
	}

	for (let index = 0; index < 230; index++) {
		files[`many/f${String(index).padStart(3, '0')}.txt`] = {content: `file ${index}`, mtime: new Date(base - index * 1000)};
	}

	return files;
}

async function pull(options: Omit<FtpServerOptions, 'root'>) {
	const source = await tempDir();
	await writeTree(source, wideTree());
	const server = await startFtpServer({root: source, ...options});
	try {
		const backup = await tempDir();
		const summary = await runBackup({job: makeJob(server, backup, {connections: 3})});
		const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
		return {summary, held: await tree(backup), source: await tree(source), log};
	} finally {
		await server.close();
	}
}

describe('the FTP client', () => {
	it('lists folders by STAT, several per round trip, where the server lists them so: the same tree, times exact', async () => {
		const {summary, held, source, log} = await pull({});
		expect(summary.outcome).toBe('success');
		expect(summary.counts.downloaded).toBe(270);
		expect(held).toEqual(source);
		expect(log).toMatch(/\tlisting\t\/\t\t\tSTAT /);
	});

	it('lists by LIST where the server has no STAT listing, and uses PASV where it has no EPSV', async () => {
		const {summary, held, source, log} = await pull({statListing: false, epsv: false});
		expect(summary.outcome).toBe('success');
		expect(held).toEqual(source);
		expect(log).toMatch(/\tlisting\t\/\t\t\tLIST\n/);
	});

	it('takes replies in order when pipelined commands reach the server split across packets', async () => {
		const source = await tempDir();
		await writeTree(source, {
			'a.txt': {content: 'a', mtime: new Date('2026-01-02T03:04:05Z')},
			'b.txt': {content: 'b', mtime: new Date('2025-06-07T08:09:10Z')},
		});
		const server = await startFtpServer({root: source});
		const {control} = await Control.open('127.0.0.1', server.port, 5000);
		try {
			await control.send('USER anonymous');
			await control.send('PASS guest');
			const replies = control.sendAll(['MDTM /a.txt', 'MDTM /nothing', 'MDTM /b.txt']);
			const answers = await Promise.allSettled(replies);
			expect(answers.map(answer => (answer.status === 'fulfilled' ? answer.value.message : String((answer.reason as {code: number}).code)))).toEqual([
				'213 20260102030405',
				'550',
				'213 20250607080910',
			]);
			// One command in two writes, as a slow network may deliver it.
			control.socket.write('MDTM /b');
			await new Promise(resolve => setTimeout(resolve, 50));
			const split = control.expect();
			control.socket.write('.txt\r\n');
			expect((await split).message).toBe('213 20250607080910');
		} finally {
			control.close();
			await server.close();
		}
	});

	it('gives up on a TLS handshake that never comes, within the timeout, with one line', async () => {
		// A server that accepts AUTH TLS and then stays silent.
		const sockets: Socket[] = [];
		const server = createServer(socket => {
			sockets.push(socket);
			socket.write('220 hello\r\n');
			socket.once('data', () => socket.write('234 go ahead\r\n'));
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		try {
			const started = Date.now();
			const attempt = connect({host: '127.0.0.1', port, user: 'u', password: 'p', tls: 'explicit', root: '/', timeoutMs: 500});
			await expect(attempt).rejects.toThrow(/TLS handshake got no answer in \d+ s \(timeout\)/);
			expect(Date.now() - started).toBeLessThan(3000);
		} finally {
			for (const socket of sockets) socket.destroy();
			await new Promise(resolve => server.close(resolve));
		}
	});
});
