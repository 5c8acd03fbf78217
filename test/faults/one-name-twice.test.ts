import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHostileServer} from '../../devtools/hostile-server.js';
import {runBackup} from '../../source/backup/run.js';
import {makeJob, tempDir, tree} from '../helpers/fixture.js';

const old = new Date('2026-11-20T03:00:00Z');
const now = new Date('2026-11-21T03:00:00Z');

describe('a server listing a file and a folder under one name', () => {
	it('keeps all three (the folder held, the file, the file in the folder) under names of their own: what was learnt of a folder moved aside is forgotten', async () => {
		const server = await startHostileServer({files: {'/u/a/x.txt': {data: 'old x', mtime: old}}, mlsd: true});
		try {
			const backup = await tempDir();
			expect((await runBackup({job: makeJob(server, backup)})).outcome).toBe('success');
			server.tree.put('/u/a', {data: 'file a', mtime: now});
			server.tree.put('/u/a/x.txt', {data: 'new x', mtime: now});
			const summary = await runBackup({job: makeJob(server, backup)});
			// Whichever came first is kept under an older copy's name when the other needs its place.
			expect(summary.outcome).toBe('success');
			expect(summary.counts).toMatchObject({downloaded: 2, failed: 0});
			expect(Object.values(await tree(backup)).map(file => file.text).sort()).toEqual(['file a', 'new x', 'old x']);
			expect(await readFile(join(backup, 'packrat-errors.log'), 'utf8').catch(() => '')).toBe('');
		} finally {
			await server.close();
		}
	});
});
