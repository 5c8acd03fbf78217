import {describe, expect, it} from 'vitest';
import {defaultHandlers} from '../../devtools/hostile-server/handlers.js';
import {startHostileServer} from '../../devtools/hostile-server.js';
import type {RunEvent} from '../../source/backup/events.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const files = {
	'/a/one.txt': 'first folder, first file',
	'/a/two.txt': 'first folder, second file',
	'/b/c/d/deep.txt': 'listed last',
	'/b/c/d/Plan v1.txt': 'old',
	'/b/c/d/Plan v2.txt': 'new',
};

describe('downloads while the scan lists', () => {
	it("a folder's files are downloaded while a slow listing goes on; Latest only still chooses within a folder; the plan counts them all", async () => {
		let slowListings = 0;
		const server = await startHostileServer({
			files,
			mlsd: true,
			handlers: {
				// The deepest folder's listing takes a while: /a is whole long before it.
				async MLSD(session, argument) {
					if (argument.includes('/b/c')) {
						slowListings++;
						await new Promise(resolve => setTimeout(resolve, 400));
					}

					await defaultHandlers['MLSD']!(session, argument);
				},
			},
		});
		try {
			const backup = await tempDir();
			const events: RunEvent[] = [];
			const summary = await runBackup({job: makeJob(server, backup, {connections: 2, latestOnly: true}), onEvent: event => events.push(event)});
			expect(summary.outcome).toBe('success');
			expect(slowListings).toBe(2);
			const planAt = events.findIndex(event => event.type === 'plan');
			const firstDone = events.findIndex(event => event.type === 'file-done' && event.path === '/a/one.txt');
			expect(firstDone).toBeGreaterThan(-1);
			expect(firstDone).toBeLessThan(planAt);
			expect(events[planAt]).toMatchObject({files: 5, toDownload: 4, skipped: 1});
			expect(Object.keys(await tree(backup)).sort()).toEqual(['a/one.txt', 'a/two.txt', 'b/c/d/Plan v2.txt', 'b/c/d/deep.txt']);
			expect(summary.counts).toMatchObject({downloaded: 4, skipped: 1, failed: 0});
		} finally {
			await server.close();
		}
	});
});
