import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {readSettings, rootSchema, schemaViolation} from '../../source/settings/read.js';
import {SettingsStore} from '../../source/settings/store.js';
import {tempDir} from '../helpers/fixture.js';

/** What opening a profile gives: the settings, or the one line of the error. */
function outcome(open: () => unknown): string {
	try {
		return `ok ${JSON.stringify(open())}`;
	} catch (error) {
		return (error as Error).message;
	}
}

describe('reading settings without conf', () => {
	const saved = process.env['XDG_CONFIG_HOME'];
	let folder: string;
	let profile = 0;

	beforeEach(async () => {
		const home = await tempDir();
		process.env['XDG_CONFIG_HOME'] = home;
		folder = join(home, 'packrat');
		await mkdir(folder, {recursive: true});
	});

	afterEach(() => {
		if (saved === undefined) delete process.env['XDG_CONFIG_HOME'];
		else process.env['XDG_CONFIG_HOME'] = saved;
	});

	const files: Array<[string, string]> = [
		['empty object', '{}'],
		['every key valid', JSON.stringify({server: {host: 'ftp.example.com', port: 2121, user: 'alice', password: 'x', tls: 'implicit', fingerprint: Array.from({length: 32}, () => 'AB').join(':'), root: '/data'}, backupFolder: '/srv/b', mode: 'full', latestOnly: true, startAt: '23:59', repeat: 'every 6h', armed: true, connections: 16, keepSnapshots: 3, linkUnchanged: true, versionPattern: '(?<version>\\d+)', retries: 0, timeoutSeconds: 3600, hooks: {afterRun: 'true'}})],
		['connections auto', '{"connections": "auto"}'],
		['a key conf keeps for itself, and one from a newer packrat', '{"__internal__": {"migrations": {"version": "1.0.0"}}, "someday": 1}'],
		['port too high', '{"server": {"port": 65536}}'],
		['port not whole', '{"server": {"port": 21.5}}'],
		['port as text', '{"server": {"port": "21"}}'],
		['port null', '{"server": {"port": null}}'],
		['tls unknown', '{"server": {"tls": "ssl"}}'],
		['root relative', '{"server": {"root": "data"}}'],
		['fingerprint short', '{"server": {"fingerprint": "AB:CD"}}'],
		['unknown server key', '{"server": {"hostname": "x"}}'],
		['server not an object', '{"server": "ftp.example.com"}'],
		['server null', '{"server": null}'],
		['startAt out of range', '{"startAt": "25:00"}'],
		['connections zero', '{"connections": 0}'],
		['connections another word', '{"connections": "many"}'],
		['connections auto as a number', '{"connections": "4"}'],
		['keepSnapshots negative', '{"keepSnapshots": -1}'],
		['latestOnly as text', '{"latestOnly": "true"}'],
		['mode unknown', '{"mode": "weekly"}'],
		['hook not text', '{"hooks": {"afterRun": 5}}'],
		['unknown hook', '{"hooks": {"beforeRun": "x"}}'],
		['root an array', '[]'],
		['root a number', '3'],
		['not JSON', '{"server": '],
		['empty file', ''],
	];

	it.each(files)('agrees with conf (ajv and the schema) on a file with %s', async (_name, text) => {
		const name = `agree-${profile++}`;
		await writeFile(join(folder, `${name}.json`), text);
		const byConf = outcome(() => new SettingsStore(name).all());
		expect(outcome(() => readSettings(name))).toBe(byConf);
	});

	it('names the key and the file of a bad value, and reads a missing file as no settings', async () => {
		await writeFile(join(folder, 'bad.json'), '{"connections": 99}');
		expect(() => readSettings('bad')).toThrow(`the settings file ${join(folder, 'bad.json')} is damaged (connections must be a whole number from 1 to 16, or auto): fix it, or move it away to start afresh`);
		expect(readSettings('none')).toMatchObject({server: {user: 'anonymous', tls: 'explicit', root: '/'}, connections: 'auto', hooks: {}});
	});

	it('refuses a schema keyword it does not check, rather than skipping it', () => {
		expect(() => schemaViolation({type: 'string', format: 'email'} as never, 'x')).toThrow(/format/);
		expect(schemaViolation(rootSchema(), {})).toBeUndefined();
	});
});
