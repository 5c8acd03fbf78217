import {describe, expect, it} from 'vitest';
import {PackratError} from '../../source/backup/errors.js';
import {serverPath} from '../../source/restore/server-path.js';
import {localTime, parseAt} from '../../source/restore/times.js';

describe('the PATH and the --at of versions and restore', () => {
	it('reads PATH as on the server: below the root when under it, names kept exactly', () => {
		expect(serverPath('/alice/Website/index v3.html')).toEqual({parts: ['alice', 'Website', 'index v3.html'], folder: false, shown: '/alice/Website/index v3.html'});
		expect(serverPath('/data/alice/ both ends ', '/data')).toEqual({parts: ['alice', ' both ends '], folder: false, shown: '/data/alice/ both ends '});
		expect(serverPath('/alice/x', '/data')).toMatchObject({parts: ['alice', 'x'], shown: '/alice/x'});
		expect(serverPath('/data', '/data')).toMatchObject({parts: [], folder: true});
		expect(serverPath('alice/Website/')).toMatchObject({parts: ['alice', 'Website'], folder: true});
		expect(serverPath('/')).toMatchObject({parts: [], folder: true, shown: '/'});
		expect(serverPath('/u/tab\there.txt').parts).toEqual(['u', 'tab\there.txt']);
		for (const bad of ['', '/a/../b', '/./a']) expect(() => serverPath(bad)).toThrow(PackratError);
	});

	it('reads --at in local time, a minute or a day standing for the whole of it', () => {
		const local = (...parts: number[]) => new Date(parts[0]!, parts[1]! - 1, parts[2]!, parts[3]!, parts[4]!, parts[5]!).getTime() / 1000;
		expect(parseAt('2026-11-20 03:00')).toBe(local(2026, 11, 20, 3, 0, 59));
		expect(parseAt('2026-11-20 03:00:30')).toBe(local(2026, 11, 20, 3, 0, 30));
		expect(parseAt('2026-11-20T03:00')).toBe(local(2026, 11, 20, 3, 0, 59));
		expect(parseAt('2026-11-20')).toBe(local(2026, 11, 20, 23, 59, 59));
		expect(localTime(local(2026, 11, 20, 3, 4, 5))).toBe('2026-11-20 03:04:05');
		for (const bad of ['yesterday', '2026-02-30 10:00', '2026-11-20 24:00', '20-11-2026', '2026-11-20 3:00']) expect(() => parseAt(bad), bad).toThrow(/is not a time/);
	});
});
