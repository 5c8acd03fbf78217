/**
 * Sessions for window tests: settings in a temp XDG_CONFIG_HOME (never the user's), and a fake
 * engine whose events the test emits one by one.
 */
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import type {RunEvent, Summary} from '../../source/backup/events.js';
import type {RunOptions} from '../../source/backup/run.js';
import type {Scheduler} from '../../source/schedule/scheduler.js';
import type {VerifyEngine} from '../../source/model/verifier.js';
import {SettingsStore} from '../../source/settings/store.js';
import {Session} from '../../source/model/session.js';
import {afterEach, beforeEach, vi} from 'vitest';
import {tempDir} from '../helpers/fixture.js';

/** Fake timers and a fixed local clock; sockets, streams and microtasks stay real. */
export function fakeClock(at: string): void {
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']});
	vi.setSystemTime(new Date(at));
}

/**
 * Every test of a window file starts on the fake clock of 2026-11-20 10:00; after it, the
 * window is unmounted, its session shut down and real timers are back, then `after` runs.
 */
export function windowTests(current: () => {t: {unmount(): void}; made: Made}, after?: () => void): void {
	beforeEach(() => {
		fakeClock('2026-11-20T10:00:00');
	});

	afterEach(async () => {
		const {t, made} = current();
		t.unmount();
		await made.session.shutdown();
		vi.useRealTimers();
		after?.();
	});
}

let profiles = 0;

export function summaryOf(overrides: Partial<Summary> = {}): Summary {
	return {
		outcome: 'success', mode: 'incremental', latestOnly: false, started: '2026-11-20T03:00:00.000Z', ended: '2026-11-20T03:00:12.000Z', durationMs: 12_000,
		counts: {downloaded: 40, unchanged: 2, failed: 0, skipped: 1}, bytes: 3_400_000, errors: 0, target: '/backup', ...overrides,
	};
}

export type FakeEngine = {
	run: (options: RunOptions) => Promise<Summary>;
	calls: RunOptions[];
	emit: (event: RunEvent) => void;
	/** End the run going on with this summary (its events emitted first). */
	finish: (summary?: Partial<Summary>) => void;
};

export function fakeEngine(): FakeEngine {
	const calls: RunOptions[] = [];
	let end: ((summary: Summary) => void) | undefined;
	const engine: FakeEngine = {
		calls,
		run: options => {
			calls.push(options);
			return new Promise<Summary>(resolve => {
				end = resolve;
				options.signal?.addEventListener('abort', () => engine.finish({outcome: 'cancelled', reason: 'cancelled by the user'}));
			});
		},
		emit: event => calls.at(-1)?.onEvent?.(event),
		finish: overrides => {
			if (!end) return;
			const summary = summaryOf({target: calls.at(-1)?.job.backupFolder ?? '/backup', ...overrides});
			const resolve = end;
			end = undefined;
			engine.emit({type: 'phase', phase: 'done', at: Date.now()});
			engine.emit({type: 'done', summary});
			resolve(summary);
		},
	};
	return engine;
}

/** A session whose settings store and scheduler a test may reach, as another process or the clock would. */
export class TestSession extends Session {
	declare readonly scheduler: Scheduler;

	get settingsStore(): SettingsStore {
		return this.settings;
	}
}

export type Made = {session: TestSession; store: SettingsStore; engine: FakeEngine; folder: string; config: string};

/** A session over fresh settings; `values` are set first (backupFolder defaults to a fresh folder when a host is given). */
export async function makeSession(values: Record<string, unknown> = {host: '127.0.0.1'}, options: {allowCancel?: boolean; load?: boolean; verify?: VerifyEngine} = {}): Promise<Made> {
	const config = await tempDir('packrat-window-config-');
	process.env['XDG_CONFIG_HOME'] = config;
	process.env['XDG_STATE_HOME'] = join(config, 'state');
	const store = new SettingsStore(`window-${process.pid}-${profiles++}`);
	const folder = join(await tempDir('packrat-window-backup-'), 'backup');
	await mkdir(folder);
	const {host, ...rest} = values;
	if (host) store.set('server.host', host);
	if (host && !('backupFolder' in rest)) store.set('backupFolder', folder);
	for (const [key, value] of Object.entries(rest)) if (value !== undefined) store.set(key, value);
	const engine = fakeEngine();
	const session = new TestSession({settings: store, run: engine.run, verify: options.verify, policy: () => ({allowCancel: options.allowCancel ?? true}), batchMs: 50});
	if (options.load !== false) await session.load();
	return {session, store, engine, folder, config};
}
