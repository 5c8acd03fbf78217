/**
 * What a frame of a run costs: the engine's events of one frame make one snapshot and one frame,
 * and the parts of the window they do not change (the job, the last and next backups, the
 * footer) are not drawn again. `when` (format.ts) is watched: only those parts call it.
 */
import React from 'react';
import {describe, expect, it, vi} from 'vitest';
import {App} from '../../source/app.js';
import {makeTheme} from '../../source/components/theme.js';
import {makeSession, windowTests, type Made} from './fixture.js';
import {during, renderAt, waitFor, type Terminal} from './terminal.js';

const calls = vi.hoisted(() => ({when: 0}));

vi.mock('../../source/format.js', async original => {
	const format = await original<typeof import('../../source/format.js')>();
	return {
		...format,
		when(date: Date) {
			calls.when++;
			return format.when(date);
		},
	};
});

let made: Made;
let t: Terminal;

windowTests(() => ({t, made}));

describe('the frames of a run', () => {
	it('draws one frame per batch of events and leaves the parts they do not change alone', async () => {
		made = await makeSession({host: '127.0.0.1', armed: true});
		t = await renderAt(<App session={made.session} onQuit={() => undefined} />, {columns: 100, rows: 30, theme: makeTheme({ascii: false, color: false})});
		await t.pressAction('backup', 'now');
		await waitFor(() => made.engine.calls.length === 1, 'the run to start');
		const at = Date.now();
		await during(() => {
			made.engine.emit({type: 'phase', phase: 'connecting', at});
			made.engine.emit({type: 'phase', phase: 'backing-up', at});
			made.engine.emit({type: 'plan', files: 1000, bytes: 100_000, toDownload: 1000, bytesToDownload: 100_000, unchanged: 0, skipped: 0});
		});
		await t.see('Backing up');
		const frames = t.stdout.frames.length;
		const whens = calls.when;
		for (let batch = 0; batch < 20; batch++) {
			await during(() => {
				for (let index = 0; index < 50; index++) {
					const path = `/alice/f${batch}-${index}.txt`;
					made.engine.emit({type: 'file-start', slot: index % 4, path, size: 100, offset: 0});
					made.engine.emit({type: 'file-done', slot: index % 4, path, status: 'downloaded', bytes: 100});
				}
			}, 50);
		}

		expect(t.frame()).toContain('Files 1000 of 1000');
		// 20 batches of 100 events in one second: a frame each, at most.
		expect(t.stdout.frames.length - frames).toBeLessThanOrEqual(20);
		// The last and next backups are drawn again when the clock ticks (once in that second), not on each frame.
		expect(calls.when - whens).toBeLessThanOrEqual(4);
	});
});
