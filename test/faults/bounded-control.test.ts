import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {flood, repeated, type Tally} from '../../devtools/hostile-server/flood.js';
import {trickle} from '../../devtools/hostile-server/handlers.js';
import {configure, spawnCli} from '../helpers/cli.js';
import {MiB, errorsOf, runWithin, unlocked} from '../helpers/bounded.js';
import {makeJob, tempDir} from '../helpers/fixture.js';

const files = {'/a/one.txt': 'one', '/b/two.txt': 'two'};

/** A job with a short idle timeout (its deadlines follow) and one retry. */
function shortJob(port: number, backup: string, connections = 1) {
	const job = makeJob({port}, backup, {connections, retries: 1});
	job.server.timeoutMs = 500;
	return job;
}

const commandsOf = (list: string[], verb: string) => list.filter(command => command.startsWith(verb));

describe('a server cannot make the control connection grow or hang', () => {
	it('a multi-line reply that never ends stops at 1 MiB: one attempt, one line, the lock released', async () => {
		const tally: Tally = {sent: 0};
		const line = ` FEATURE ${'y'.repeat(1000)}\r\n`;
		const server = await startHostileServer({files, handlers: {FEAT: async session => void (await flood(session.socket, `211-Features:\r\n${repeated(line)}`, 16 * MiB, tally))}});
		try {
			const backup = await tempDir();
			const {summary, ms} = await runWithin(shortJob(server.port, backup, 2), 10_000);
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			expect(summary.outcome).toBe('failed');
			expect(summary.reason).toMatch(/^127\.0\.0\.1:\d+: the reply to FEAT passed the limit of 1 MiB or 10,000 lines; the connection was closed$/);
			expect(tally.sent).toBeLessThan(8 * MiB);
			expect(server.accepted).toBe(1);
			expect(ms).toBeLessThan(5000);
			expect(await unlocked(backup)).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('a reply line without an end stops at 64 KiB, read once, not rescanned: the file fails, not retried, and the run ends Done with errors', async () => {
		const tally: Tally = {sent: 0};
		const server = await startHostileServer({files: {'/a/one.txt': 'one'}, handlers: {MDTM: async session => void (await flood(session.socket, repeated('x'), 16 * MiB, tally))}});
		try {
			const backup = await tempDir();
			const {summary, ms, events} = await runWithin(shortJob(server.port, backup), 10_000);
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			// That one file could not be had; the run went on (Done with errors).
			expect(summary.outcome).toBe('partial');
			expect(errorsOf(events)).toEqual(['/a/one.txt: the server gave no modification time (MDTM)']);
			const log = await readFile(join(backup, 'packrat-transfer.log'), 'utf8');
			expect(log).toMatch(/\tmdtm\t\/a\/one\.txt\t\t\d+\tthe reply to MDTM \/a\/one\.txt has a line longer than the limit of 64 KiB; the connection was closed\n/);
			expect(commandsOf(server.commands, 'MDTM')).toHaveLength(1);
			expect(tally.sent).toBeLessThan(8 * MiB);
			expect(ms).toBeLessThan(5000);
			expect(await unlocked(backup)).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('a reply trickled a line at a time, never idle, is given up at its deadline (4 × the timeout) and retried, then the run fails', async () => {
		const server = await startHostileServer({files: {'/a/one.txt': 'one'}, handlers: {MDTM: async session => trickle(session.socket, '213-still looking\r\n', 100, 150)}});
		try {
			const backup = await tempDir();
			const {summary, ms} = await runWithin(shortJob(server.port, backup), 12_000);
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			expect(summary.outcome).toBe('failed');
			expect(summary.reason).toBe('gave up on MDTM /a/one.txt after 2 attempts: the reply to MDTM /a/one.txt was not whole in 2 s (deadline: 4 × the timeout)');
			expect(commandsOf(server.commands, 'MDTM')).toHaveLength(2);
			expect(ms).toBeLessThan(8000);
		} finally {
			await server.close();
		}
	});

	it('a cancel while the other connections are still connecting (their greetings trickle) ends the run at once', async () => {
		const server = await startHostileServer({
			files,
			async greeting(session) {
				if (session.server.accepted === 1) session.reply('220 the first is quick');
				else await trickle(session.socket, '2', 100, 300);
			},
		});
		try {
			const backup = await tempDir();
			let cancelledAt = 0;
			const {summary, ms} = await runWithin(shortJob(server.port, backup, 3), 10_000, (event, cancel) => {
				if (event.type !== 'phase' || event.phase !== 'connecting') return;
				const waiting = setInterval(() => {
					if (server.accepted < 3) return;
					clearInterval(waiting);
					cancelledAt = Date.now();
					cancel();
				}, 20);
			});
			expect(summary).not.toBe('hung');
			if (summary === 'hung') return;
			expect(summary).toMatchObject({outcome: 'cancelled', reason: 'cancelled by the user'});
			expect(Date.now() - cancelledAt).toBeLessThan(1000);
			expect(ms).toBeLessThan(3000);
			expect(await unlocked(backup)).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('packrat run exits 130 on SIGTERM while the greeting trickles, and leaves no lock behind', async () => {
		const server = await startHostileServer({files, greeting: async session => trickle(session.socket, '2', 200, 300)});
		const home = await tempDir();
		const backup = join(home, 'b');
		await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.tls': 'none', backupFolder: backup});
		const child = spawnCli(['run'], {home, stdio: ['ignore', 'pipe', 'pipe']});
		try {
			let output = '';
			child.stdout!.on('data', chunk => (output += String(chunk)));
			const closed = new Promise<number | null>(resolve => child.once('close', resolve));
			while (server.accepted < 1) await new Promise(resolve => setTimeout(resolve, 20));
			await new Promise(resolve => setTimeout(resolve, 500));
			const signalled = Date.now();
			child.kill('SIGTERM');
			const code = await Promise.race([closed, new Promise(resolve => setTimeout(() => resolve('still running'), 5000))]);
			expect(code).toBe(130);
			expect(Date.now() - signalled).toBeLessThan(3000);
			expect(output).toMatch(/^Cancelled: 0 downloaded, .* — cancelled by the user$/m);
			expect(await unlocked(backup)).toBe(true);
		} finally {
			child.kill('SIGKILL');
			await server.close();
		}
	});
});
