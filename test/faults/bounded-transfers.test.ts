import {lstat, readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {flood, repeated, type Tally} from '../../devtools/hostile-server/flood.js';
import {defaultHandlers, trickle} from '../../devtools/hostile-server/handlers.js';
import {MiB, errorsOf, runWithin, unlocked} from '../helpers/bounded.js';
import {connect} from '../../source/backup/remote.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

/** A job with a short idle timeout (its low-speed window and deadlines follow) and one retry. */
function shortJob(port: number, backup: string) {
	const job = makeJob({port}, backup, {connections: 1, retries: 1});
	job.server.timeoutMs = 500;
	return job;
}

const commandsOf = (list: string[], verb: string) => list.filter(command => command.startsWith(verb));

describe('a server cannot make a transfer hang or grow past its listing', () => {
	it('a data connection that trickles a byte at a time falls under the low-speed limit: given up, retried, then the run fails', async () => {
		const server = await startHostileServer({
			files: {'/a/big.bin': Buffer.alloc(100_000, 1)},
			handlers: {
				async RETR(session) {
					session.reply('150 Here it comes, slowly.');
					await trickle(await session.data(), 'x', 100, 150);
				},
			},
		});
		try {
			const backup = await tempDir();
			const {summary, ms, events} = await runWithin(shortJob(server.port, backup), 12_000);
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			// That file's budget is spent: it fails and the run goes on (Done with errors).
			expect(summary.outcome).toBe('partial');
			expect(errorsOf(events)).toEqual([expect.stringMatching(/^\/a\/big\.bin: gave up on \/a\/big\.bin after 2 attempts: the data connection brought \d bytes in 0\.5 s, slower than 1 KiB\/s \(low-speed limit\)$/)]);
			expect(commandsOf(server.commands, 'RETR')).toHaveLength(2);
			expect(ms).toBeLessThan(6000);
			expect(await unlocked(backup)).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('a listing that flows just fast enough, forever, is given up at its deadline (10 × the timeout) and retried, then the run fails', async () => {
		const server = await startHostileServer({
			files: {'/slow/': '', '/ok/one.txt': 'one'},
			handlers: {
				async LIST(session, argument) {
					if (!argument.includes('/slow')) return defaultHandlers.LIST!(session, argument);
					session.reply('150 Here it comes, steadily.');
					await trickle(await session.data(), '\r\n'.repeat(512), 50, 400);
				},
			},
		});
		try {
			const backup = await tempDir();
			const job = shortJob(server.port, backup);
			job.server.timeoutMs = 300;
			const {summary, ms} = await runWithin(job, 12_000);
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			expect(summary.outcome).toBe('failed');
			expect(summary.reason).toBe('gave up on list /slow after 2 attempts: the data connection was not done in 3 s (deadline: 10 × the timeout)');
			expect(commandsOf(server.commands, 'LIST -a /slow')).toHaveLength(2);
			expect(ms).toBeLessThan(9000);
		} finally {
			await server.close();
		}
	});

	it('a file listed at 2 MiB that streams forever is stopped at its listed size: never more on disk, retried, failed, the partial dropped', async () => {
		const listed = Buffer.alloc(2 * MiB, 7);
		const tally: Tally = {sent: 0};
		const server = await startHostileServer({
			files: {'/a/grows.bin': listed, '/b/fine.txt': 'fine'},
			handlers: {
				async RETR(session, argument) {
					if (!argument.includes('grows')) return defaultHandlers.RETR!(session, argument);
					session.reply('150 Here it comes, and comes.');
					const data = await session.data();
					await flood(data, Buffer.concat([listed, Buffer.from(repeated('z'))]), 24 * MiB, tally);
					data.end();
					session.reply('226 Transfer complete.');
				},
			},
		});
		try {
			const backup = await tempDir();
			const partials = join(backup, '.packrat', 'partial');
			let largest = 0;
			const watching = setInterval(() => {
				void readdir(partials).then(async names => {
					for (const name of names) largest = Math.max(largest, (await lstat(join(partials, name)).catch(() => ({size: 0}))).size);
				}, () => undefined);
			}, 5);
			const {summary, ms, events} = await runWithin(shortJob(server.port, backup), 15_000);
			clearInterval(watching);
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			expect(summary.outcome).toBe('partial');
			expect(errorsOf(events)).toEqual(['/a/grows.bin: gave up on /a/grows.bin after 2 attempts: the file changed during the download: the server sent more than the 2097152 bytes listed; stopped there']);
			expect(commandsOf(server.commands, 'RETR /a/grows.bin')).toHaveLength(2);
			expect(largest).toBeLessThanOrEqual(listed.length);
			expect(tally.sent).toBeLessThan(2 * (listed.length + 6 * MiB));
			expect(await readdir(partials)).toEqual([]);
			expect(Object.keys(await tree(backup))).not.toContain('a/grows.bin');
			expect(ms).toBeLessThan(8000);
		} finally {
			await server.close();
		}
	});
});

describe('a server cannot make a listing grow without bound', () => {
	const honestList = defaultHandlers.LIST!;

	it('a listing line of 16 MiB stops at 64 KiB: that folder fails to be listed, named with the limit, not retried; the rest is backed up; the log stays small', async () => {
		const tally: Tally = {sent: 0};
		const server = await startHostileServer({
			files: {'/big/': '', '/ok/one.txt': 'one'},
			handlers: {
				async LIST(session, argument) {
					if (!argument.includes('/big')) return honestList(session, argument);
					session.reply('150 Here comes a long line.');
					const data = await session.data();
					await flood(data, repeated('x'), 16 * MiB, tally);
					data.end();
					session.reply('226 Transfer complete.');
				},
			},
		});
		try {
			const backup = await tempDir();
			const {summary, ms, events} = await runWithin(shortJob(server.port, backup), 10_000);
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			expect(summary.outcome).toBe('failed');
			expect(summary.reason).toMatch(/^1 folder\(s\) could not be listed; see /);
			expect(errorsOf(events)).toEqual(['/big: the listing of /big has a line longer than the limit of 64 KiB; it was not read further']);
			expect(await tree(backup)).toEqual({'ok/one.txt': {text: 'one', mtime: expect.any(Number)}});
			expect(commandsOf(server.commands, 'LIST -a /big')).toHaveLength(1);
			expect(tally.sent).toBeLessThan(8 * MiB);
			expect((await lstat(join(backup, 'packrat-transfer.log'))).size).toBeLessThan(16 * 1024);
			expect(ms).toBeLessThan(5000);
		} finally {
			await server.close();
		}
	});

	it('a listing of more than a million lines stops there: that folder fails to be listed, named with the limit', async () => {
		const tally: Tally = {sent: 0};
		const server = await startHostileServer({
			files: {'/many/': '', '/ok/one.txt': 'one'},
			handlers: {
				async LIST(session, argument) {
					if (!argument.includes('/many')) return honestList(session, argument);
					session.reply('150 Here they come.');
					const data = await session.data();
					await flood(data, repeated('\r\n'), 4 * MiB, tally);
					data.end();
					session.reply('226 Transfer complete.');
				},
			},
		});
		try {
			const backup = await tempDir();
			const {summary, events} = await runWithin(shortJob(server.port, backup), 10_000);
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			expect(summary.outcome).toBe('failed');
			expect(errorsOf(events)).toEqual(['/many: the listing of /many has more entries than the limit of 1,000,000; it was not read further']);
			expect(Object.keys(await tree(backup))).toEqual(['ok/one.txt']);
		} finally {
			await server.close();
		}
	});

	it('an unparsed listing line and a long refusal are cut in the transfer log at 1 KiB, with their length', async () => {
		const odd = `?${'q'.repeat(10_239)}`;
		const server = await startHostileServer({
			files: {'/ok/one.txt': 'one', '/ok/two.txt': 'two'},
			handlers: {
				async LIST(session, argument) {
					if (!argument.includes('/ok')) return honestList(session, argument);
					const honest = session.server.tree.listLines('/ok').map(line => `${line}\r\n`).join('');
					session.reply('150 Here it comes.');
					const data = await session.data();
					await new Promise<void>(resolve => data.end(`${honest}${odd}\r\n`, resolve));
					session.reply('226 Transfer complete.');
				},
				async RETR(session, argument) {
					if (!argument.includes('two')) return defaultHandlers.RETR!(session, argument);
					session.reply(`550 ${'no '.repeat(20_000)}`);
				},
			},
		});
		try {
			const backup = await tempDir();
			const {summary} = await runWithin(shortJob(server.port, backup), 10_000);
			expect(summary).not.toBe('hung');
			const lines = (await readFile(join(backup, 'packrat-transfer.log'), 'utf8')).split('\n');
			const unparsed = lines.find(line => line.includes('\tunparsed\t'));
			expect(unparsed?.split('\t')[6]).toBe(`${odd.slice(0, 1024)}… (10,240 characters)`);
			const refused = lines.find(line => line.includes('\tdownload\t/ok/two.txt'));
			expect(refused?.split('\t')[6]).toMatch(/^550 (no ){340}… \(60,004 characters\)$/);
			expect(Math.max(...lines.map(line => line.length))).toBeLessThan(1200);
		} finally {
			await server.close();
		}
	});
});

describe('a slow disk is no fault of the server', () => {
	it('a data connection packrat holds for the disk, longer than the timeout, is not given up', async () => {
		const body = Buffer.alloc(3 * MiB, 7);
		const server = await startHostileServer({files: {'/big.bin': {data: body, mtime: new Date('2026-11-20T03:00:00Z')}}});
		try {
			const {client} = await connect({host: server.host, port: server.port, user: 'u', password: 'p', tls: 'none', root: '/', timeoutMs: 300});
			let got = 0;
			let holds = 0;
			// The disk stops twice for three times the timeout: the socket is paused by packrat, not idle by the server's fault.
			await client.retrieve('/big.bin', 0, async chunk => {
				got += chunk.length;
				if (holds++ < 2) await new Promise(resolve => setTimeout(resolve, 900));
			});
			expect(got).toBe(body.length);
			client.close();
		} finally {
			await server.close();
		}
	});
});
