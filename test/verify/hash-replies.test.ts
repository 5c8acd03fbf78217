import {createHash} from 'node:crypto';
import {crc32} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {startFtpServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import {sendData} from '../../devtools/hostile-server/handlers.js';
import {startHostileServer, type Handler, type HostileServer} from '../../devtools/hostile-server.js';
import {chooseHash, remoteHash} from '../../source/backup/ftp/hash.js';
import {connect} from '../../source/backup/remote.js';
import {runBackup} from '../../source/backup/run.js';
import {createDigest} from '../../source/verify/digest.js';
import {verifyBackup} from '../../source/verify/verify.js';
import {makeJob, tempDir} from '../helpers/fixture.js';
import {readReport} from '../helpers/verify-report.js';

const feat = (...features: string[]): Handler => session => session.raw(['211-Features:', ' EPSV', ' MDTM', ' SIZE', ...features.map(line => ` ${line}`), '211 End', ''].join('\r\n'));
const hex = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('hex');

/** A hostile server, honest but for `handlers`, and a backup of it made by a real run. */
async function backedUp(files: Record<string, string>, handlers: Record<string, Handler>): Promise<{server: HostileServer; job: ReturnType<typeof makeJob>}> {
	const server = await startHostileServer({files, handlers});
	const job = makeJob(server, await tempDir(), {connections: 2, retries: 0});
	expect((await runBackup({job})).outcome).toBe('success');
	return {server, job};
}

describe('hash commands as servers announce and answer them', () => {
	it('chooses the strongest method a FEAT announces, HASH before the older commands', () => {
		expect(chooseHash('211-Features:\n HASH SHA-256;SHA-1;MD5*;CRC32\n MDTM\n211 End')).toEqual({command: 'HASH', algorithm: 'SHA-256'});
		// proftpd with mod_digest.
		expect(chooseHash('211-Features:\n XCRC\n XMD5\n XSHA1\n HASH SHA-1*;MD5;CRC32\n211 End')).toEqual({command: 'HASH', algorithm: 'SHA-1'});
		expect(chooseHash('211-Features:\n XCRC\n XMD5\n211 End')).toEqual({command: 'XMD5', algorithm: 'MD5'});
		expect(chooseHash('211-Features:\n HASH SHA-512;CRC32*\n211 End')).toEqual({command: 'HASH', algorithm: 'CRC32'});
		expect(chooseHash('211-Features:\n MDTM\n SIZE\n211 End')).toBeUndefined();
	});

	it('computes CRC32 as zlib does', () => {
		for (const text of ['', '123456789', 'the quick brown fox']) {
			const digest = createDigest('CRC32');
			digest.update(Buffer.from(text));
			expect(digest.hex()).toBe(crc32(text).toString(16).padStart(8, '0'));
		}
	});

	it('reads the test server\'s HASH (after OPTS HASH) and XMD5 replies', async () => {
		const source = await tempDir();
		await writeTree(source, {'d/f.txt': {content: 'hash me'}});
		for (const hash of ['HASH', 'XMD5'] as const) {
			const server = await startFtpServer({root: source, hash});
			try {
				const {client} = await connect(makeJob(server, source).server);
				const features = (await client.send('FEAT')).message;
				const method = chooseHash(features)!;
				expect(method).toEqual(hash === 'HASH' ? {command: 'HASH', algorithm: 'SHA-256'} : {command: 'XMD5', algorithm: 'MD5'});
				const expected = hex(method.algorithm === 'SHA-256' ? 'sha256' : 'md5', Buffer.from('hash me'));
				expect(await remoteHash(client, method, '/d/f.txt')).toBe(expected);
				if (hash === 'HASH') {
					expect((await client.send('HASH /d/f.txt')).message).toBe(`213 SHA-256 0-6 ${expected} /d/f.txt`);
					await client.send('OPTS HASH MD5');
					expect((await client.send('HASH /d/f.txt')).message).toMatch(/^213 MD5 0-6 [\da-f]{32} \/d\/f.txt$/);
				} else {
					expect((await client.send('XMD5 /d/f.txt')).message).toBe(`250 ${expected}`);
				}

				client.close();
			} finally {
				await server.close();
			}
		}
	});

	it('takes XSHA256 answered 213 and XCRC answered without leading zeros', async () => {
		// A content whose CRC32 starts with a zero, so that a server dropping it is played.
		let content = '';
		for (let index = 0; !content; index++) if (crc32(`file ${index}`) < 0x10_00_00_00) content = `file ${index}`;
		const files = {'/u/a.txt': content};
		for (const [command, answer] of [
			['XSHA256', `213 ${hex('sha256', Buffer.from(content))}`],
			['XCRC', `250 ${crc32(content).toString(16)}`],
		] as const) {
			const {server, job} = await backedUp(files, {FEAT: feat(command), [command]: session => session.reply(answer)});
			try {
				const summary = await verifyBackup({job});
				expect(summary).toMatchObject({outcome: 'good', hash: command === 'XCRC' ? 'CRC32 (XCRC)' : 'SHA-256 (XSHA256)'});
				expect(server.commands).toContain(`${command} /u/a.txt`);
			} finally {
				await server.close();
			}
		}
	});

	it('a HASH reply with no digest makes that file not verified; a HASH the server does not really have stops the hash', async () => {
		const files = {'/u/a.txt': 'aaa', '/u/b.txt': 'bbb'};
		const garbled = await backedUp(files, {FEAT: feat('HASH SHA-256*'), HASH: session => session.reply('213 SHA-256 0-2 \u001b[2Jnot-hex /u/a.txt')});
		try {
			const summary = await verifyBackup({job: garbled.job});
			expect(summary.outcome).toBe('differs');
			expect(summary.counts).toMatchObject({failed: 2, ok: 0});
			// The server's words are escaped: no escape sequence reaches the report.
			expect((await readReport(garbled.job.backupFolder))['u/a.txt']).toEqual(['size+mtime', 'failed', "the server's HASH reply carries no SHA-256 digest: 213 SHA-256 0-2 \\\\x1b[2Jnot-hex /u/a.txt"]);
		} finally {
			await garbled.server.close();
		}

		const absent = await backedUp(files, {FEAT: feat('HASH SHA-256*'), HASH: session => session.reply('502 HASH not implemented.')});
		try {
			const summary = await verifyBackup({job: absent.job});
			expect(summary).toMatchObject({outcome: 'good', hash: 'SHA-256 (HASH)', hashNote: 'HASH refused: 502 HASH not implemented.'});
			expect(summary.counts).toMatchObject({checked: 2, ok: 2});
			expect((await readReport(absent.job.backupFolder))['u/b.txt']).toEqual(['size+mtime', 'ok', 'HASH refused: 502 HASH not implemented.']);
		} finally {
			await absent.server.close();
		}
	});

	it('--sample stops a download that runs past the listed size, and tells a short one', async () => {
		let lie: 'long' | 'short' | undefined;
		const data = Buffer.from('exactly twenty bytes');
		const {server, job} = await backedUp({'/u/a.bin': data.toString()}, {
			async RETR(session) {
				await sendData(session, lie === 'long' ? Buffer.concat([data, Buffer.alloc(1 << 20)]) : lie === 'short' ? data.subarray(0, 7) : data);
			},
		});
		try {
			lie = 'long';
			const long = await verifyBackup({job, samplePercent: 100});
			expect(long.outcome).toBe('differs');
			expect((await readReport(job.backupFolder))['u/a.bin']).toEqual(['size+mtime+bytes', 'different', 'the server sent more than the 20 bytes its listing said']);
			lie = 'short';
			const short = await verifyBackup({job, samplePercent: 100});
			expect(short.outcome).toBe('differs');
			expect((await readReport(job.backupFolder))['u/a.bin']).toEqual(['size+mtime+bytes', 'different', 'the server sent 7 of the 20 bytes its listing said']);
		} finally {
			await server.close();
		}
	});
});
