/**
 * The window's runs send the same alerts as `packrat run`, through the same before- and after-run
 * path: `/start` as a run starts, `/fail` for one Done with errors, `<url>` for one Done, to a real
 * HTTP receiver on 127.0.0.1, with the results in the transfer log.
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {startReceiver, type Receiver} from '../helpers/receiver.js';
import {makeSession, type Made} from './fixture.js';

let receiver: Receiver | undefined;
let made: Made | undefined;

afterEach(async () => {
	await made?.session.shutdown();
	await receiver?.close();
});

/** Wait (real time, at most 5 s) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
	for (let round = 0; round < 1000 && !check(); round++) await new Promise(resolve => setTimeout(resolve, 5));
	expect(check()).toBe(true);
}

describe('alerts of the window\'s runs', () => {
	it('pings /start when a run starts, /fail when it ends Done with errors, then the address itself when Done', async () => {
		receiver = await startReceiver();
		made = await makeSession({host: '127.0.0.1', 'notify.url': `${receiver.base}/hc/uuid`});
		const first = made.session.start('manual');
		await until(() => made!.engine.calls.length === 1);
		await until(() => receiver!.hits.length === 1);
		expect(receiver.hits[0]).toMatchObject({url: '/hc/uuid/start', body: 'packrat: backup started (incremental)\n'});
		made.engine.finish({outcome: 'partial', counts: {downloaded: 40, unchanged: 2, failed: 2, skipped: 1}, reason: `2 files could not be fetched; see ${made.folder}/packrat-errors.log`});
		await first;
		expect(receiver.hits.map(hit => hit.url)).toEqual(['/hc/uuid/start', '/hc/uuid/fail']);
		expect(receiver.hits[1]!.body).toContain('packrat: Done with errors (incremental)\nfiles: 40 downloaded, 2 unchanged, 2 failed, 1 skipped\n');
		expect(receiver.hits[1]!.body).toContain('reason: 2 files could not be fetched\n');

		const second = made.session.start('scheduled');
		await until(() => made!.engine.calls.length === 2);
		made.engine.finish();
		await second;
		expect(receiver.hits.map(hit => hit.url)).toEqual(['/hc/uuid/start', '/hc/uuid/fail', '/hc/uuid/start', '/hc/uuid']);
		const log = await readFile(join(made.folder, 'packrat-transfer.log'), 'utf8');
		expect(log.match(/\talert\tnotify\.url\t\t\talert \w+ sent to /g)).toHaveLength(4);
	});

	it('sends nothing without notify.url', async () => {
		receiver = await startReceiver();
		made = await makeSession({host: '127.0.0.1'});
		const run = made.session.start('manual');
		await until(() => made!.engine.calls.length === 1);
		made.engine.finish();
		await run;
		expect(receiver.hits).toEqual([]);
	});
});
