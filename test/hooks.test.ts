import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {Summary} from '../source/backup/events.js';
import {hookLogger, runAfterRunHook, transferLogPath} from '../source/after-run.js';

const summary: Summary = {
	outcome: 'success', mode: 'incremental', latestOnly: false, started: '2026-06-01T01:00:00.000Z', ended: '2026-06-01T01:02:00.000Z', durationMs: 120_000,
	counts: {downloaded: 7, unchanged: 3, failed: 0, skipped: 1}, bytes: 12_345, errors: 0, target: '/backup',
};

describe('hooks.afterRun', () => {
	let folder: string;
	let lines: Array<[string, string | undefined]>;
	const log = (line: string, level?: string) => lines.push([line, level]);
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'packrat-hook-'));
		lines = [];
	});
	afterEach(() => {
		rmSync(folder, {recursive: true, force: true});
	});

	it('runs the command with the outcome, counts and log path in its environment, and logs its output', async () => {
		const out = join(folder, 'env.txt');
		process.env['PACKRAT_PASSWORD'] = 'hunter2';
		try {
			await runAfterRunHook(`env | grep '^PACKRAT_' | sort > '${out}'; echo hello; echo oops >&2`, summary, '/backup/packrat-transfer.log', log);
		} finally {
			delete process.env['PACKRAT_PASSWORD'];
		}

		const environment = readFileSync(out, 'utf8');
		expect(environment).toContain('PACKRAT_OUTCOME=success\n');
		expect(environment).toContain('PACKRAT_FILES=7\n');
		expect(environment).toContain('PACKRAT_BYTES=12345\n');
		expect(environment).toContain('PACKRAT_LOG=/backup/packrat-transfer.log\n');
		expect(environment).not.toContain('hunter2');
		expect(lines.map(([line]) => line)).toEqual(expect.arrayContaining(['hook: hello', 'hook: oops']));
		expect(lines.at(-1)?.[0]).toMatch(/^hook done in/);
	});

	it('logs a failing hook and does not throw', async () => {
		await expect(runAfterRunHook('echo before; exit 3', summary, 'log', log)).resolves.toBeUndefined();
		expect(lines).toContainEqual(['hook: before', undefined]);
		expect(lines.at(-1)).toEqual([expect.stringMatching(/hook failed \(exit code 3\)/), 'ERROR']);
	});

	it('logs a command that does not exist', async () => {
		await runAfterRunHook('/nonexistent/packrat-hook', summary, 'log', log);
		expect(lines.at(-1)).toEqual([expect.stringMatching(/hook failed \(exit code 127\)/), 'ERROR']);
	});

	it('stops a hook at its time limit, with whatever it started', async () => {
		const started = Date.now();
		await runAfterRunHook('echo started; sleep 20; echo never', summary, 'log', log, 300);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(lines.map(([line]) => line)).toEqual(['hook: started', 'hook stopped after the time limit of 300ms']);
		expect(lines.at(-1)?.[1]).toBe('ERROR');
	});

	it('does nothing without a command', async () => {
		await runAfterRunHook(undefined, summary, 'log', log);
		await runAfterRunHook('  ', summary, 'log', log);
		expect(lines).toEqual([]);
	});

	it('appends its lines to the transfer log of the backup folder, errors to the error log too', async () => {
		await runAfterRunHook('printf "one\\ttab\\n"; exit 1', summary, transferLogPath(folder), hookLogger(folder, () => new Date('2026-06-01T01:03:00Z')));
		const transfer = readFileSync(join(folder, 'packrat-transfer.log'), 'utf8').trim().split('\n');
		expect(transfer[0]).toBe('2026-06-01T01:03:00.000Z\tINFO\thook\thooks.afterRun\t\t\thook: one\\ttab');
		expect(transfer[1]).toMatch(/^2026-06-01T01:03:00.000Z\tERROR\thook\thooks.afterRun\t\t\thook failed \(exit code 1\)/);
		expect(readFileSync(join(folder, 'packrat-errors.log'), 'utf8')).toMatch(/hooks.afterRun\thook failed/);
	});
});
