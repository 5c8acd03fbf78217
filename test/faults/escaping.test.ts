/**
 * Control characters from a hostile server — in names and in its replies — never reach a
 * terminal or the export raw: `packrat run` (the built command, readable and JSON lines, stdout
 * and stderr) and `packrat-export.tsv` carry them escaped, and so do `packrat versions` and
 * `packrat restore` for the names a run backed up.
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {startHostileServer, type Handler} from '../../devtools/hostile-server.js';
import {defaultHandlers} from '../../devtools/hostile-server/handlers.js';
import {escapeField} from '../../source/backup/export.js';
import {configure, runCli} from '../helpers/cli.js';
import {exportRows, tempDir, tree} from '../helpers/fixture.js';

/** Retitles the terminal, rings its bell, clears it (ESC and CSI as C1), backs over text. */
const nasty = '\u001b]0;owned\u0007\u001b[2J\u009b2J\b\u007f';
/** Every raw control character but the line end that ends each line. */
const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const files = {
	'/u/\u001b]0;owned\u0007title.txt': 'title',
	'/u/bs\bdel\u007fcsi\u009b2J.txt': 'c1',
	'/u/cr\rname.txt': 'cr',
	'/u/plain.txt': 'plain',
	'/u/locked/': '',
};

async function hostileServer() {
	let logins = 0;
	const retr = {refuse: true};
	const handlers: Record<string, Handler> = {
		// The second login is refused as a server with too many connections does: the run goes on with fewer.
		USER(session, argument) {
			if (++logins !== 2) return defaultHandlers['USER']!(session, argument);
			session.reply(`421 ${nasty} too many`);
			session.socket.end();
		},
		// One folder cannot be listed; its refusal is the estimate's reason.
		MLSD(session, argument) {
			if (argument.endsWith('/locked')) return session.reply(`550 ${nasty} locked`);
			return defaultHandlers['MLSD']!(session, argument);
		},
		// The first download of one file is refused for now: the retry's reason.
		RETR(session, argument) {
			if (!retr.refuse || !argument.endsWith('title.txt')) return defaultHandlers['RETR']!(session, argument);
			retr.refuse = false;
			session.rest = 0;
			session.reply(`450 ${nasty} try later`);
		},
	};
	return Object.assign(await startHostileServer({files, mlsd: true, handlers}), {retr});
}

describe('control characters from the server', () => {
	for (const json of [false, true]) {
		it(`never reach packrat run's ${json ? 'JSON' : 'readable'} lines or the export raw`, async () => {
			const server = await hostileServer();
			try {
				const home = await tempDir();
				const backup = join(home, 'backup');
				await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'u', 'server.tls': 'none', backupFolder: backup});
				const result = await runCli(['run', '--connections', '2', ...(json ? ['--json'] : [])], {home, env: {PACKRAT_PASSWORD: 'p'}});
				expect(result.code, result.stderr).toBe(1);
				const output = result.stdout + result.stderr;
				expect(output).not.toMatch(rawControl);
				if (json) {
					const events = result.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as {type: string; reason?: string});
					expect(events.find(event => event.type === 'retry')?.reason).toContain(nasty);
					expect(events.find(event => event.type === 'connections')?.reason).toContain(nasty);
					expect(events.find(event => event.type === 'estimate-failed')?.reason).toContain(nasty);
				} else {
					const escaped = '\\x1b]0;owned\\x07\\x1b[2J\\x9b2J\\x08\\x7f';
					expect(result.stdout).toContain(`(421 ${escaped} too many)`);
					expect(result.stdout).toMatch(/^Retrying \/u\/\\x1b]0;owned\\x07title\.txt in \d+s \(attempt 1\): 450 .* try later$/m);
					expect(result.stdout).toContain(`450 ${escaped} try later`);
					expect(result.stdout).toContain(`/u/locked: 550 ${escaped} locked`);
					expect(result.stderr).toMatch(/^Error: \/u\/locked: 550 \\x1b\]0;owned/m);
				}

				const text = await readFile(join(backup, 'packrat-export.tsv'), 'utf8');
				expect(text.replace(/[\t\n]/g, '')).not.toMatch(rawControl);
				const paths = (await exportRows(join(backup, 'packrat-export.tsv'))).map(row => `${row[3]} ${row[6]}`);
				expect(paths).toEqual(expect.arrayContaining([
					'/u/\\x1b]0;owned\\x07title.txt downloaded',
					'/u/bs\\x08del\\x7fcsi\\x9b2J.txt downloaded',
					'/u/cr\\rname.txt skipped',
					'/u/plain.txt downloaded',
				]));
				for (const log of ['packrat-transfer.log', 'packrat-errors.log']) {
					expect((await readFile(join(backup, log), 'utf8')).replace(/[\t\n]/g, '')).not.toMatch(rawControl);
				}

				expect(await readFile(join(backup, 'u', '\u001b]0;owned\u0007title.txt'), 'utf8')).toBe('title');

				// packrat verify against the same server, its sample of the file refused once more: its lines go out the same way.
				server.retr.refuse = true;
				const verify = await runCli(['verify', '--sample', '100', ...(json ? ['--json'] : [])], {home, env: {PACKRAT_PASSWORD: 'p'}});
				expect(verify.code).toBe(1);
				expect(verify.stdout + verify.stderr).not.toMatch(rawControl);
				expect(verify.stdout).toContain(json ? 'try later' : '450 \\x1b]0;owned');
			} finally {
				await server.close();
			}
		});
	}

	it('never reach packrat versions or restore raw, in lines, JSON or errors', async () => {
		const title = '/u/\u001b]0;owned\u0007title.txt';
		const c1 = '/u/bs\bdel\u007fcsi\u009b2J.txt';
		const server = await startHostileServer({files: {[title]: 'title', [c1]: 'c1', '/u/plain.txt': 'plain'}, mlsd: true});
		try {
			const home = await tempDir();
			const backup = join(home, 'backup');
			await configure(home, {'server.host': '127.0.0.1', 'server.port': String(server.port), 'server.user': 'u', 'server.tls': 'none', backupFolder: backup});
			expect((await runCli(['run'], {home, env: {PACKRAT_PASSWORD: 'p'}})).code).toBe(0);
			const cwd = await tempDir();
			const results = {
				versions: await runCli(['versions', title], {home}),
				versionsJson: await runCli(['versions', c1, '--json'], {home}),
				restore: await runCli(['restore', '/u', '--to', 'lines'], {home, cwd}),
				restoreJson: await runCli(['restore', title, '--to', 'json', '--json'], {home, cwd}),
				// A name too long for the file system: the error's own text carries the path.
				tooLong: await runCli(['versions', `${title}${'x'.repeat(300)}/f`], {home}),
			};
			for (const [name, result] of Object.entries(results)) expect(result.stdout + result.stderr, name).not.toMatch(rawControl);
			expect(results.versions.stdout).toContain('/u/\\x1b]0;owned\\x07title.txt: 1 version');
			expect(results.versions.stdout).toMatch(/ u\/\\x1b\]0;owned\\x07title\.txt$/m);
			expect((JSON.parse(results.versionsJson.stdout) as {versions: Array<{where: string}>}).versions[0]!.where).toBe(c1.slice(1));
			expect(results.restore.stdout).toContain('Restored /u/bs\\x08del\\x7fcsi\\x9b2J.txt (');
			expect(results.restore.stdout).toContain('to lines/u/\\x1b]0;owned\\x07title.txt');
			expect((JSON.parse(results.restoreJson.stdout) as {restored: Array<{path: string}>}).restored[0]!.path).toBe(title);
			expect(results.tooLong.code).toBe(1);
			expect(results.tooLong.stderr).toMatch(/^packrat: ENAMETOOLONG: .*\/u\/\\x1b\]0;owned\\x07title\.txtxxx/);
			expect(Object.keys(await tree(join(cwd, 'lines'))).sort()).toEqual([c1, title, '/u/plain.txt'].map(path => path.slice(1)).sort());
		} finally {
			await server.close();
		}
	});

	it('an export field keeps its documented escapes and escapes every other control character', () => {
		expect(escapeField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
		expect(escapeField('\u0000\u0007\b\u001b\u007f\u0085\u009b é 日本')).toBe('\\x00\\x07\\x08\\x1b\\x7f\\x85\\x9b é 日本');
	});
});
