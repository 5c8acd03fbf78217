/** The key map: the spec's default keys, no key bound twice on a screen, names and sequences that agree. */
import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {allScreens, bindingFor, bindingsOf, dispatch, keyName, keymap, sequenceOf, showKey} from '../../source/keymap.js';

const none: Key = {upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false} as Key;

describe('the key map', () => {
	it('has the spec\'s default keys for the Backup window', () => {
		const defaults = {n: 'now', s: 'schedule', c: 'cancel', f: 'folder', t: 'start-at', m: 'mode', l: 'latest', o: 'settings', e: 'log', '?': 'help', q: 'quit'};
		for (const [key, action] of Object.entries(defaults)) expect(dispatch('backup', key, none)?.action).toBe(action);
		for (const screen of ['help', 'settings', 'folder', 'log', 'start-at'] as const) expect(dispatch(screen, '', {...none, escape: true})?.action).toMatch(/close|no/);
		expect(dispatch('confirm', '', {...none, escape: true})?.action).toBe('no');
	});

	it('has v for Versions and h for History, each screen closed with Esc', () => {
		expect(dispatch('backup', 'v', none)?.action).toBe('versions');
		expect(dispatch('backup', 'h', none)?.action).toBe('history');
		for (const screen of ['versions', 'version-choice', 'history'] as const) expect(dispatch(screen, '', {...none, escape: true})?.action).toBe('close');
		expect(dispatch('version-choice', '', {...none, return: true})?.action).toBe('restore');
	});

	it('binds no key twice on one screen', () => {
		for (const screen of allScreens) {
			const keys = bindingsOf(screen).flatMap(binding => binding.keys);
			expect(keys.length, screen).toBe(new Set(keys).size);
		}
	});

	it('names the keys ink reports', () => {
		expect(keyName('c', {...none, ctrl: true})).toBe('ctrl+c');
		expect(keyName('', {...none, pageUp: true})).toBe('pageup');
		expect(keyName('', {...none, tab: true, shift: true})).toBe('shift+tab');
		expect(keyName('G', {...none, shift: true})).toBe('G');
		expect(keyName(' ', none)).toBe('space');
		expect(keyName('x', {...none, meta: true})).toBeUndefined();
	});

	it('does not take a typed letter for a command while a field is being typed in', () => {
		expect(dispatch('settings', 'q', none, true)).toBeUndefined();
		expect(dispatch('settings', '', {...none, escape: true}, true)?.action).toBe('close');
		expect(dispatch('settings', '', {...none, tab: true}, true)?.action).toBe('next-field');
	});

	it('has a sequence and a display for every key it names', () => {
		for (const binding of keymap) {
			for (const key of binding.keys) {
				expect(sequenceOf(key).length).toBeGreaterThan(0);
				expect(showKey(key, true)).toMatch(/^[\u0020-\u007E]+$/);
			}
		}

		expect(sequenceOf(bindingFor('log', 'page-up').keys[0]!)).toBe('\u001B[5~');
		expect(() => bindingFor('backup', 'page-up')).toThrow();
	});
});
