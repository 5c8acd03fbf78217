/**
 * A server that refuses a download (550) closes its passive port at once, often before the data
 * connection reaches it (vsftpd does; so does the demo's server in another process): the refusal
 * is what the run reports, at the first attempt, not the refused connection and its retries.
 */
import {createServer, type AddressInfo} from 'node:net';
import {describe, expect, it} from 'vitest';
import {startHostileServer} from '../../devtools/hostile-server.js';
import type {RunEvent} from '../../source/backup/events.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

/** A port on 127.0.0.1 that nothing listens on any more. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}

describe('a download refused while its data connection is refused too', () => {
	it('fails that file with the 550 at once, without retries', async () => {
		let passives = 0;
		const server = await startHostileServer({
			files: {'/locked.bin': 'locked'},
			handlers: {
				// The first passive request is the listing's; the port of each one after it is gone by the time the client connects.
				async EPSV(session) {
					passives++;
					session.reply(`229 Entering Extended Passive Mode (|||${passives === 1 ? await session.listen() : await closedPort()}|)`);
				},
				RETR(session) {
					session.reply('550 Permission denied.');
				},
			},
		});
		try {
			const backup = await tempDir();
			const events: RunEvent[] = [];
			const summary = await runBackup({job: makeJob(server, backup, {connections: 1, retries: 3}), backoffMs: () => 0, onEvent: event => events.push(event)});
			expect(summary.counts).toMatchObject({downloaded: 0, failed: 1});
			expect(events.filter(event => event.type === 'retry')).toEqual([]);
			expect(events.filter(event => event.type === 'error').map(event => event.type === 'error' && [event.path, event.message])).toEqual([['/locked.bin', '550 Permission denied.']]);
			expect(await tree(backup)).toEqual({});
			// Asked once: the passive request behind each transfer (its port for the next) is no attempt of its own.
			expect(server.commands.filter(command => command.startsWith('RETR'))).toHaveLength(1);
			expect(passives).toBeLessThanOrEqual(3);
		} finally {
			await server.close();
		}
	});
});
