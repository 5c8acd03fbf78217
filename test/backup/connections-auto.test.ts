import {describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import type {RunEvent} from '../../source/backup/events.js';
import {runBackup, type Job} from '../../source/backup/run.js';
import {startFaultProxy} from '../helpers/fault-proxy.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

/** 48 files of 256 KiB, each paced to 512 KiB/s on its data connection: half a second a file, whatever the count of connections. */
async function pacedRun(connections: Job['connections'], maxConnections?: number) {
	const source = await tempDir();
	const files: Record<string, {content: Buffer}> = {};
	for (let index = 0; index < 48; index++) files[`u/f${String(index).padStart(2, '0')}.bin`] = {content: Buffer.alloc(256 * 1024, index)};
	await writeTree(source, files);
	const server: FtpTestServer = await startFtpServer({root: source, mlsd: true, maxConnections});
	const proxy = await startFaultProxy(server);
	proxy.throttle(512 * 1024);
	try {
		const backup = await tempDir();
		const events: RunEvent[] = [];
		let most = 0;
		const summary = await runBackup({
			job: makeJob(proxy, backup, {connections, retries: 2}),
			onEvent(event) {
				events.push(event);
				most = Math.max(most, server.connections());
			},
		});
		expect(await tree(backup)).toEqual(await tree(source));
		return {summary, changes: events.filter(event => event.type === 'connections'), most};
	} finally {
		await proxy.close();
		await server.close();
	}
}

describe('connections: auto', () => {
	it('grows past 4 while each connection keeps its pace, and the window and the summary show it', async () => {
		const {summary, changes} = await pacedRun('auto');
		expect(summary.outcome).toBe('success');
		expect(changes[0]).toMatchObject({connections: 6, reason: expect.stringContaining('more connections')});
		expect(summary.connections).toBeGreaterThan(6);
	}, 30_000);

	it("never past the server's limit: a 421 lowers the ceiling for the rest of the run", async () => {
		const {summary, changes, most} = await pacedRun('auto', 5);
		expect(summary.outcome).toBe('success');
		expect(most).toBeLessThanOrEqual(5);
		expect(changes.some(event => event.reason.includes('421'))).toBe(true);
		expect(changes.at(-1)!.connections).toBeLessThanOrEqual(5);
		expect(summary.connections).toBeLessThanOrEqual(5);
	}, 30_000);

	it('a number set stays that number', async () => {
		const {summary, changes, most} = await pacedRun(3);
		expect(summary.outcome).toBe('success');
		expect(changes).toEqual([]);
		expect(most).toBe(3);
		expect(summary.connections).toBe(3);
	}, 30_000);
});
