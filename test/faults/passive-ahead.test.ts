import {describe, expect, it} from 'vitest';
import {startHostileServer, type Handler} from '../../devtools/hostile-server.js';
import type {RunEvent} from '../../source/backup/events.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const files: Record<string, string> = {};
for (let index = 0; index < 8; index++) files[`/u/f${index}.txt`] = `file ${index} `.repeat(200 + index);

/**
 * RETR as the hostile server's default, telling whether the next passive request had already come
 * when the transfer ended (`during`), and letting a test answer it there, before the 226.
 */
function retr(during: (session: Parameters<Handler>[0]) => void | Promise<void>, seen: {ahead: number; retrs: number}): Handler {
	return async (session, argument) => {
		const {server} = session;
		const file = server.tree.files.get(server.tree.resolve(session.cwd, argument));
		if (!file) {
			session.reply('550 No such file.');
			return;
		}

		const asked = server.commands.lastIndexOf(`RETR ${argument}`) + 1;
		session.reply('150 Here it comes.');
		const data = await session.data();
		await new Promise<void>(resolve => data.end(file.data, resolve));
		seen.retrs++;
		if (server.commands.slice(asked).includes('EPSV')) {
			seen.ahead++;
			await during(session);
		}

		session.reply('226 Transfer complete.');
	};
}

const expected = Object.fromEntries(Object.entries(files).map(([path, text]) => [path.slice(1), text]));

/**
 * A pull of `files` from a server answering with `handlers` (one connection, two retries), which
 * must end Done with every file whole; its retries, for what each test asserts beyond that.
 */
async function pullWhole(handlers: Record<string, Handler>): Promise<RunEvent[]> {
	const server = await startHostileServer({files, handlers});
	try {
		const backup = await tempDir();
		const events: RunEvent[] = [];
		const summary = await runBackup({job: makeJob(server, backup, {connections: 1, retries: 2}), backoffMs: () => 10, onEvent: event => events.push(event)});
		expect(summary.outcome).toBe('success');
		const held = await tree(backup);
		expect(Object.fromEntries(Object.entries(held).map(([path, {text}]) => [path, text]))).toEqual(expected);
		return events.filter(event => event.type === 'retry');
	} finally {
		await server.close();
	}
}

/** EPSV that says nothing to a request the RETR handler already answered during its transfer (`answered` counts them). */
function epsvAfter(answered: {count: number}): Handler {
	return async session => {
		if (answered.count > 0) {
			answered.count--;
			return; // Answered already, during the transfer.
		}

		session.reply(`229 Entering Extended Passive Mode (|||${await session.listen()}|)`);
	};
}

describe('the next passive request, asked during a transfer', () => {
	it('a server that answers in order has it when the transfer ends: one round trip less per file', async () => {
		const seen = {ahead: 0, retrs: 0};
		const retries = await pullWhole({RETR: retr(() => undefined, seen)});
		expect(retries).toEqual([]);
		expect(seen.retrs).toBe(8);
		expect(seen.ahead).toBe(8);
	});

	it('a server that refuses it during the transfer (ProFTPD: 450 before the 226): the transfer stands, and it is not asked again', async () => {
		const seen = {ahead: 0, retrs: 0};
		const answered = {count: 0};
		const retries = await pullWhole({
			RETR: retr(session => {
				session.reply('450 EPSV: data transfer in progress');
				answered.count++;
			}, seen),
			EPSV: epsvAfter(answered),
		});
		expect(retries).toEqual([]);
		expect(seen.retrs).toBe(8);
		// Seen once (the listing's, or the first file's), then never asked during a transfer again.
		expect(seen.ahead).toBe(1);
	});

	it('a server that opens the next port during the transfer: that transfer is tried again, and it is not asked again', async () => {
		const seen = {ahead: 0, retrs: 0};
		const answered = {count: 0};
		const retries = await pullWhole({
			RETR: retr(async session => {
				session.reply(`229 Entering Extended Passive Mode (|||${await session.listen()}|)`);
				answered.count++;
			}, seen),
			EPSV: epsvAfter(answered),
		});
		expect(retries).toHaveLength(1);
		expect(retries[0]).toMatchObject({reason: expect.stringContaining('answered the next passive request before this transfer ended')});
		expect(seen.ahead).toBe(1);
	});
});
