/**
 * vsftpd waits, after sending a file and ending its side of the data connection, for packrat's end
 * before its 226: one round trip a file. packrat ends its side of a download's data connection as
 * soon as it opens when the greeting names vsftpd (nothing goes that way on a download), and only
 * then: a server that ends a data connection with the client's end (Node's default) would cut files.
 */
import type {Socket} from 'node:net';
import {describe, expect, it} from 'vitest';
import {startHostileServer, type Handler} from '../../devtools/hostile-server.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const files = {'/a.txt': 'alpha', '/b/b.txt': 'bravo', '/b/c.txt': 'charlie'};

/** Resolves true when `socket` ends within `ms`, false otherwise. */
const endsWithin = (socket: Socket, ms: number) =>
	new Promise<boolean>(resolve => {
		if (socket.readableEnded) return resolve(true);
		const timer = setTimeout(() => resolve(false), ms);
		socket.once('end', () => {
			clearTimeout(timer);
			resolve(true);
		});
		socket.resume();
	});

/** RETR as vsftpd does it: the file, its end, then a wait for the client's end before the 226; what the client had sent before the file is recorded. */
function vsftpdRetr(endedBeforeFile: boolean[]): Handler {
	return async (session, argument) => {
		const file = session.server.tree.files.get(session.server.tree.resolve(session.cwd, argument));
		session.reply('150 Opening BINARY mode data connection.');
		const data = await session.data();
		endedBeforeFile.push(await endsWithin(data, 200));
		data.end(file!.data);
		await endsWithin(data, 5000);
		session.reply('226 Transfer complete.');
	};
}

describe('the data connection of a download', () => {
	for (const [greeting, early] of [['220 (vsFTPd 3.0.3)', true], ['220 hostile test server', false]] as const) {
		it(`is ended on packrat's side ${early ? 'as soon as it opens on vsftpd' : 'only after the file on another server'}`, async () => {
			const endedBeforeFile: boolean[] = [];
			const server = await startHostileServer({files, greeting, dataHalfOpen: true, handlers: {RETR: vsftpdRetr(endedBeforeFile)}});
			try {
				const backup = await tempDir();
				const summary = await runBackup({job: makeJob(server, backup, {connections: 1}), backoffMs: () => 0});
				expect(summary.counts).toMatchObject({downloaded: 3, failed: 0});
				expect(Object.fromEntries(Object.entries(await tree(backup)).map(([name, held]) => [name, held.text]))).toEqual({'a.txt': 'alpha', 'b/b.txt': 'bravo', 'b/c.txt': 'charlie'});
				expect(endedBeforeFile).toEqual([early, early, early]);
			} finally {
				await server.close();
			}
		});
	}
});
