import {describe, expect, it} from 'vitest';
import {checkRepeat, findKey, keySpecs, parseValue} from '../../source/settings/keys.js';
import {toJob} from '../../source/settings/job.js';
import {netrcPassword} from '../../source/settings/password.js';
import {withDefaults} from '../../source/settings/read.js';

describe('settings keys', () => {
	it('has every key of the spec table', () => {
		const keys = keySpecs.map(spec => spec.key);
		for (const key of ['server.host', 'server.port', 'server.user', 'server.password', 'server.tls', 'server.fingerprint', 'server.root', 'backupFolder', 'mode', 'latestOnly', 'startAt', 'repeat', 'armed', 'connections', 'keepSnapshots', 'linkUnchanged', 'versionPattern', 'hooks.afterRun', 'notify.url', 'maxDepth', 'guard.changedPercent', 'guard.vanishedPercent']) {
			expect(keys).toContain(key);
		}
	});

	it.each([
		['server.port', '0', /server.port must be a whole number from 1 to 65535/],
		['connections', '17', /connections must be a whole number from 1 to 16, or auto/],
		['connections', 'Auto', /connections must be a whole number from 1 to 16, or auto/],
		['mode', 'weekly', /mode must be incremental or full/],
		['latestOnly', 'yes', /latestOnly must be true or false/],
		['startAt', '25:00', /startAt must be a time as HH:MM/],
		['repeat', 'weekly', /repeat must be daily, every Nh, or a cron expression/],
		['versionPattern', 'v(\\d+)', /named group/],
		['guard.changedPercent', '0', /guard.changedPercent must be a percentage from 1 to 100/],
		['guard.vanishedPercent', '101', /guard.vanishedPercent must be a percentage from 1 to 100/],
		['versionPattern', '(?<version>', /not a valid regular expression/],
		['server.root', 'data', /must start with \//],
		['server.fingerprint', 'AB:CD', /32 hex pairs/],
		['notify.url', 'ftp://hc.example.com/x', /notify.url must be an http or https address: the address must start with http:\/\/ or https:\/\//],
		['notify.url', 'hc-ping.com/uuid', /notify.url must be an http or https address: it is not a valid address/],
		['maxDepth', '0', /maxDepth must be a number of folder levels below the root, from 1 to 1000/],
		['maxDepth', '1001', /maxDepth must be a number of folder levels below the root, from 1 to 1000/],
	])('refuses %s=%s with a line naming the key', (key, value, message) => {
		expect(() => parseValue(findKey(key)!, value)).toThrow(message);
	});

	it('parses good values to their types', () => {
		expect(parseValue(findKey('server.port')!, '2121')).toBe(2121);
		expect(parseValue(findKey('latestOnly')!, 'true')).toBe(true);
		expect(parseValue(findKey('maxDepth')!, '1000')).toBe(1000);
		expect(parseValue(findKey('connections')!, 'auto')).toBe('auto');
		expect(parseValue(findKey('connections')!, '16')).toBe(16);
		expect(findKey('connections')!.default).toBe('auto');
		expect(findKey('maxDepth')!.default).toBe(64);
		expect(parseValue(findKey('repeat')!, 'every 6h')).toBe('every 6h');
		expect(checkRepeat('0 3 * * 1-5')).toBeUndefined();
		expect(parseValue(findKey('notify.url')!, 'https://hc-ping.com/5f1c')).toBe('https://hc-ping.com/5f1c');
	});

	it('gives the mass-change guard its limits from the settings, 50 and 50 by default', () => {
		expect([findKey('guard.changedPercent')!.default, findKey('guard.vanishedPercent')!.default]).toEqual([50, 50]);
		expect(parseValue(findKey('guard.vanishedPercent')!, '100')).toBe(100);
		expect(toJob(withDefaults({server: {host: 'h'}, backupFolder: '/b'})).guard).toEqual({changedPercent: 50, vanishedPercent: 50});
		expect(toJob(withDefaults({server: {host: 'h'}, backupFolder: '/b', guard: {vanishedPercent: 30}})).guard).toEqual({changedPercent: 50, vanishedPercent: 30});
	});

	it('finds a password in netrc by machine and login, with default as fallback', () => {
		const text = 'machine other login bob password nope\nmachine ftp.example.com login alice password s3cret\ndefault login alice password fallback\n';
		expect(netrcPassword(text, 'ftp.example.com', 'alice')).toBe('s3cret');
		expect(netrcPassword(text, 'ftp.example.com', 'carol')).toBeUndefined();
		expect(netrcPassword(text, 'elsewhere', 'alice')).toBe('fallback');
	});
});
