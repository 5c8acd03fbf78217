import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {cancelRefusal, loadPolicy, readPolicyFile} from '../source/policy.js';

describe('policy', () => {
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'packrat-policy-'));
	});
	afterEach(() => {
		rmSync(folder, {recursive: true, force: true});
	});

	const write = (name: string, text: string) => {
		const path = join(folder, name);
		writeFileSync(path, text);
		return path;
	};

	it('allows cancelling when there is no policy file', () => {
		const policy = loadPolicy({PACKRAT_POLICY: join(folder, 'missing.json')});
		expect(policy).toEqual({allowCancel: true});
		expect(cancelRefusal(policy)).toBeUndefined();
	});

	it('forbids cancelling with allowCancel false, naming the file', () => {
		const path = write('policy.json', '{"allowCancel": false}');
		const policy = loadPolicy({PACKRAT_POLICY: path});
		expect(policy).toEqual({allowCancel: false, path});
		expect(cancelRefusal(policy)).toBe(`cancelling is disabled by the administrator (policy file ${path})`);
	});

	it('allows with allowCancel true or absent', () => {
		expect(loadPolicy({PACKRAT_POLICY: write('a.json', '{"allowCancel": true}')}).allowCancel).toBe(true);
		expect(loadPolicy({PACKRAT_POLICY: write('b.json', '{}')}).allowCancel).toBe(true);
	});

	it.each([
		['not JSON', '{allowCancel: false', /is malformed/],
		['an array', '[]', /expected a JSON object/],
		['a string for allowCancel', '{"allowCancel": "no"}', /allowCancel must be true or false/],
	])('refuses a policy file that is %s, naming the file', (_what, text, message) => {
		const path = write('bad.json', text);
		expect(() => loadPolicy({PACKRAT_POLICY: path})).toThrow(message);
		expect(() => loadPolicy({PACKRAT_POLICY: path})).toThrow(path);
		try {
			readPolicyFile(path);
		} catch (error) {
			expect((error as {code?: string}).code).toBe('config');
		}
	});
});
