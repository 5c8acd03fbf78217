import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {freePort} from '../../devtools/vsftpd.js';
import type {Summary} from '../../source/backup/events.js';
import {notify} from '../../source/alerts/notify.js';

type Hit = {method: string; url: string; type: string; authorization?: string; body: string};

const servers: Server[] = [];

afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise(resolve => server.close(resolve));
	}
});

/** A real HTTP server on 127.0.0.1 that records each request and answers with `answer`. */
async function receiver(answer: (response: ServerResponse) => void = response => response.end('OK')): Promise<{base: string; hits: Hit[]}> {
	const hits: Hit[] = [];
	const server = createServer((request: IncomingMessage, response) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', chunk => (body += chunk));
		request.on('end', () => {
			hits.push({method: request.method!, url: request.url!, type: request.headers['content-type'] ?? '', authorization: request.headers.authorization, body});
			answer(response);
		});
	});
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits};
}

const summary: Summary & {password: string} = {
	outcome: 'failed', mode: 'incremental', latestOnly: false, started: '2026-11-20T03:00:00.000Z', ended: '2026-11-20T03:00:05.000Z', durationMs: 5000,
	counts: {downloaded: 2, unchanged: 3, failed: 1, skipped: 0}, bytes: 6, errors: 1, reason: '1 file(s) failed; see the error log', target: '/srv/private/backup', password: 'hunter2',
};

describe('alerts (notify.url)', () => {
	it('pings <url>/start, <url> and <url>/fail by POST, with the summary as a text/plain body', async () => {
		const {base, hits} = await receiver();
		const url = `${base}/ping/abc-123`;
		expect(await notify(url, 'start', {mode: 'full'})).toEqual({ok: true, line: `alert start sent to ${url}/start: HTTP 200`});
		expect((await notify(`${url}/`, 'success', {...summary, outcome: 'success', reason: undefined})).ok).toBe(true);
		expect((await notify(url, 'fail', summary)).ok).toBe(true);
		expect(hits.map(hit => [hit.method, hit.url, hit.type])).toEqual([
			['POST', '/ping/abc-123/start', 'text/plain; charset=utf-8'],
			['POST', '/ping/abc-123/', 'text/plain; charset=utf-8'],
			['POST', '/ping/abc-123/fail', 'text/plain; charset=utf-8'],
		]);
		expect(hits[0]!.body).toBe('packrat: backup started (full)\n');
		expect(hits[1]!.body).toBe('packrat: success (incremental)\nfiles: 2 downloaded, 3 unchanged, 1 failed, 0 skipped\nbytes: 6 B\nduration: 0:05\n');
		expect(hits[2]!.body).toBe('packrat: failed (incremental)\nfiles: 2 downloaded, 3 unchanged, 1 failed, 0 skipped\nbytes: 6 B\nduration: 0:05\nreason: 1 file(s) failed; see the error log\n');
		// Only the fields an alert needs: no secret, no local path, even when handed a whole summary.
		for (const hit of hits) expect(hit.body).not.toMatch(/hunter2|\/srv\/private/);
	});

	it('keeps a query string at the end of the address', async () => {
		const {base, hits} = await receiver();
		await notify(`${base}/ping/x?rid=7`, 'fail', summary);
		expect(hits[0]!.url).toBe('/ping/x/fail?rid=7');
	});

	it('resolves with a failure line, never throws, for an error status, a server that never answers, a refused port', async () => {
		const failing = await receiver(response => {
			response.statusCode = 503;
			response.end('down');
		});
		expect(await notify(failing.base, 'success', summary)).toEqual({ok: false, line: `alert success to ${failing.base}/ failed: HTTP 503 Service Unavailable`});

		const silent = await receiver(() => undefined);
		const started = Date.now();
		const stalled = await notify(silent.base, 'start', {}, {timeoutMs: 300});
		expect(Date.now() - started).toBeLessThan(2000);
		expect(stalled).toEqual({ok: false, line: `alert start to ${silent.base}/start failed: no answer in 0.3 s (timeout)`});

		const port = await freePort();
		const refused = await notify(`http://127.0.0.1:${port}/hc`, 'fail', summary);
		expect(refused.ok).toBe(false);
		expect(refused.line).toMatch(new RegExp(`^alert fail to http://127\\.0\\.0\\.1:${port}/hc/fail failed: .*ECONNREFUSED`));

		expect(await notify('ftp://example.com/x', 'start', {})).toEqual({ok: false, line: 'alert start not sent: notify.url ftp://example.com/x is not an http or https address'});
	});

	it('sends user:password@ as an Authorization header, and never shows it in a line', async () => {
		const {base, hits} = await receiver();
		const url = base.replace('//', '//alice:s%3Acret@');
		const sent = await notify(`${url}/ping`, 'success', summary);
		expect(sent).toEqual({ok: true, line: `alert success sent to ${base}/ping: HTTP 200`});
		expect(hits[0]!.authorization).toBe(`Basic ${Buffer.from('alice:s:cret').toString('base64')}`);

		const port = await freePort();
		const refused = await notify(`http://alice:s3cret@127.0.0.1:${port}/ping`, 'fail', summary);
		expect(refused.ok).toBe(false);
		expect(refused.line).not.toMatch(/alice|s3cret/);
		const bad = await notify('gopher://alice:s3cret@host/x', 'start', {});
		expect(bad.line).not.toMatch(/alice|s3cret/);
	});

	it('says in the body that the mass-change guard flagged the run, or still holds pruning off', async () => {
		const {base, hits} = await receiver();
		const suspicious = {total: 120, changed: 84, vanished: 0, changedPercent: 70, vanishedPercent: 0, limits: {changedPercent: 50, vanishedPercent: 50}};
		await notify(base, 'fail', {...summary, outcome: 'success', reason: undefined, suspicious, guard: {since: '2026-11-20T03:00:00.000Z', suspicious}});
		expect(hits[0]!.body).toBe('packrat: success (incremental)\nfiles: 2 downloaded, 3 unchanged, 1 failed, 0 skipped\nbytes: 6 B\nduration: 0:05\nSUSPICIOUS: 70% of the files changed since the last run (84 of 120); no snapshot is pruned until confirmed (packrat guard --accept)\n');
		await notify(base, 'success', {...summary, outcome: 'success', reason: undefined, guard: {since: '2026-11-20T03:00:00.000Z', suspicious: {...suspicious, vanished: 80, vanishedPercent: 67}}});
		expect(hits[1]!.body).toContain('pruning is still off since 2026-11-20T03:00:00.000Z: 70% of the files changed (84 of 120) and 67% are gone (80 of 120) since the last run (packrat guard --accept)\n');
	});
});
