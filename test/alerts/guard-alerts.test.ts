/**
 * The alerts of runs the mass-change guard judges, with real runs against the test server and a
 * real HTTP receiver on 127.0.0.1, through the one before- and after-run path: a flagged run pings
 * `/fail` with the mass change in its body, and a run while pruning is still held says so.
 */
import {afterEach, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree, type TreeFile} from '../../devtools/sample-data.js';
import {afterRun, beforeRun} from '../../source/after-run.js';
import {runBackup, type Job} from '../../source/backup/run.js';
import {makeJob, tempDir} from '../helpers/fixture.js';
import {startReceiver, type Receiver} from '../helpers/receiver.js';

const day = (n: number) => () => new Date(Date.UTC(2026, 10, n, 3, 0, 0));

/** `count` files, each `v<version>` with a time of that version. */
function files(count: number, version = 1): Record<string, TreeFile> {
	const result: Record<string, TreeFile> = {};
	for (let index = 0; index < count; index++) result[`u${index % 3}/file-${String(index).padStart(3, '0')}.txt`] = {content: `file ${index} v${version}`, mtime: new Date(Date.UTC(2026, 0, version, 0, 0, index % 60))};
	return result;
}

let server: FtpTestServer | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
	await server?.close();
	await receiver?.close();
	server = undefined;
	receiver = undefined;
});

/** One run as the window and `packrat run` make it: the start alert, the run, the after-run path. */
async function run(job: Job, url: string, now: () => Date): Promise<void> {
	const alerts = beforeRun(url, job);
	const summary = await runBackup({job, now});
	await afterRun(undefined, summary, job.backupFolder, alerts);
}

describe('alerts of the mass-change guard', () => {
	it('pings /start then /fail for a run that finds 70% of 120 files changed, and says pruning is still off on the next run', async () => {
		const source = await tempDir();
		await writeTree(source, files(120));
		server = await startFtpServer({root: source, mlsd: true});
		receiver = await startReceiver();
		const url = `${receiver.base}/hc/uuid`;
		const job = makeJob(server, await tempDir(), {mode: 'full', keepSnapshots: 1});

		await run(job, url, day(1));
		expect(receiver.hits.map(hit => hit.url)).toEqual(['/hc/uuid/start', '/hc/uuid']);

		await writeTree(source, files(84, 2)); // 84 of 120: 70%
		await run(job, url, day(2));
		expect(receiver.hits.map(hit => hit.url).slice(2)).toEqual(['/hc/uuid/start', '/hc/uuid/fail']);
		expect(receiver.hits[3]!.body).toMatch(/^packrat: Done \(full\)\nfiles: 120 downloaded, 0 unchanged, 0 failed, 0 skipped\n/);
		expect(receiver.hits[3]!.body).toContain('SUSPICIOUS: 70% of the files changed since the last run (84 of 120); no snapshot is pruned until confirmed (packrat guard --accept)\n');

		await run(job, url, day(3));
		expect(receiver.hits.map(hit => hit.url).slice(4)).toEqual(['/hc/uuid/start', '/hc/uuid']);
		expect(receiver.hits[5]!.body).toContain(`pruning is still off since ${day(2)().toISOString()}: 70% of the files changed since the last run (84 of 120) (packrat guard --accept)\n`);
		expect(receiver.hits[5]!.body).not.toContain('SUSPICIOUS');
	});
});
