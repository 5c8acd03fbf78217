/** The Start-at dialog: HH:MM checked as typed, only digits and a colon taken, 0300 read as 03:00. */
import React from 'react';
import {describe, expect, it} from 'vitest';
import {StartAtDialog, acceptTyped, checkTyped} from '../../source/screens/start-at.js';
import {renderAt} from '../window/terminal.js';

describe('Start at', () => {
	it('tells a valid time, a half-typed one and one that cannot become valid', () => {
		expect(checkTyped('03:00').state).toBe('ok');
		expect(checkTyped('0300')).toEqual({state: 'ok', message: 'a valid time: 03:00'});
		for (const partial of ['', '0', '03', '03:', '03:0', '030']) expect(checkTyped(partial).state).toBe('partial');
		for (const bad of ['3', '24', '25:00', '03:60', '037', '12:7']) expect(checkTyped(bad).state).toBe('bad');
		expect(acceptTyped('03', '03a')).toBe('03');
		expect(acceptTyped('03:0', '03:0:')).toBe('03:0');
		expect(acceptTyped('03:00', '03:001')).toBe('03:00');
	});

	it('saves what was typed, and refuses to save a half-typed time', async () => {
		const saved: string[] = [];
		let closed = 0;
		const t = await renderAt(<StartAtDialog initial="03:00" repeat="daily" width={80} height={10} onClose={() => closed++} onSave={value => {
			saved.push(value);
			return undefined;
		}} />, {columns: 80, rows: 24});
		expect(await t.see('Now 03:00 daily')).toContain('HH:MM');
		await t.type('04x');
		await t.pressAction('start-at', 'submit');
		await t.see('not a whole time yet');
		expect(saved).toEqual([]);
		await t.type('30');
		await t.see('a valid time: 04:30');
		await t.pressAction('start-at', 'submit');
		expect(saved).toEqual(['04:30']);
		await t.pressAction('start-at', 'close');
		expect(closed).toBe(1);
		t.unmount();
	});
});
