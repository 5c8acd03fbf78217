/**
 * The window's model without the screen: batched store, runs, cancel, the one shutdown path,
 * scheduled firing, and error lines from the transfer log.
 */
import {appendFile, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {RunEvent} from '../../source/backup/events.js';
import {reduce} from '../../source/backup/progress.js';
import {BatchedStore} from '../../source/model/batched-store.js';
import {fakeClock, makeSession} from './fixture.js';

beforeEach(() => {
	fakeClock('2026-11-20T09:59:58');
});

afterEach(() => {
	vi.useRealTimers();
});

const realSetTimeout = globalThis.setTimeout;

/** Wait, in real time (at most 5 s), for the file system work of the session; fake timers stand still. */
const until = async (check: () => boolean) => {
	for (let round = 0; round < 1000 && !check(); round++) {
		await new Promise(resolve => realSetTimeout(resolve, 5));
		await vi.advanceTimersByTimeAsync(0);
	}

	expect(check()).toBe(true);
};

describe('BatchedStore', () => {
	it('tells its listeners at most once per interval, urgent changes at once, and keeps a stable snapshot', () => {
		const store = new BatchedStore({count: 0}, 100);
		const heard: number[] = [];
		store.subscribe(() => heard.push(store.getSnapshot().count));
		for (let index = 0; index < 1000; index++) store.update(state => ({count: state.count + 1}));
		expect(heard).toEqual([]);
		expect(store.getSnapshot().count).toBe(0);
		expect(store.getSnapshot()).toBe(store.getSnapshot());
		vi.advanceTimersByTime(100);
		expect(heard).toEqual([1000]);
		store.update(state => ({count: state.count + 1}), true);
		expect(heard).toEqual([1000, 1001]);
		vi.advanceTimersByTime(1000);
		expect(heard).toHaveLength(2);
		store.dispose();
		expect(store.listenerCount).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('BatchedStore queue', () => {
	it('folds the items of one frame once, when the frame is due, and tells its listeners once', () => {
		const folds: number[] = [];
		const store = new BatchedStore<{count: number}, number>({count: 0}, 100, (state, items, at) => {
			folds.push(items.length);
			expect(at).toHaveLength(items.length);
			return {count: items.reduce((sum, item) => sum + item, state.count)};
		});
		const heard: number[] = [];
		store.subscribe(() => heard.push(store.getSnapshot().count));
		for (let index = 0; index < 1000; index++) store.queue(1);
		expect(folds).toEqual([]);
		expect(store.queuedCount).toBe(1000);
		vi.advanceTimersByTime(100);
		expect(folds).toEqual([1000]);
		expect(heard).toEqual([1000]);
		store.dispose();
	});

	it('folds early, in order, for a reader of the newest state or a change made meanwhile', () => {
		const store = new BatchedStore<string[], string>([], 100, (state, items) => [...state, ...items]);
		store.queue('a');
		store.queue('b');
		expect(store.state).toEqual(['a', 'b']);
		store.queue('c');
		store.update(state => [...state, 'changed']);
		store.queue('urgent', true);
		expect(store.getSnapshot()).toEqual(['a', 'b', 'c', 'changed', 'urgent']);
		expect(store.queuedCount).toBe(0);
		store.dispose();
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('Session', () => {
	it('folds the engine events of one frame into one snapshot, as packrat run would reduce them one by one', async () => {
		const {session, engine} = await makeSession();
		void session.start();
		await until(() => engine.calls.length === 1);
		engine.emit({type: 'phase', phase: 'connecting', at: Date.now()});
		engine.emit({type: 'phase', phase: 'backing-up', at: Date.now()});
		const snapshots: unknown[] = [];
		session.store.subscribe(() => snapshots.push(session.store.getSnapshot()));
		const events: RunEvent[] = [{type: 'plan', files: 500, bytes: 5000, toDownload: 500, bytesToDownload: 5000, unchanged: 0, skipped: 0}];
		for (let index = 0; index < 500; index++) {
			events.push({type: 'file-start', slot: index % 4, path: `/f${index}`, size: 10, offset: 0}, {type: 'file-done', slot: index % 4, path: `/f${index}`, status: 'downloaded', bytes: 10});
		}

		const before = session.store.getSnapshot();
		const emittedAt = Date.now();
		for (const event of events) engine.emit(event);
		expect(session.store.queuedCount).toBe(events.length);
		await vi.advanceTimersByTimeAsync(100);
		expect(snapshots).toHaveLength(1);
		expect(session.store.getSnapshot().progress).toEqual(events.reduce((progress, event) => reduce(progress, event, emittedAt), before.progress));
		expect(session.store.getSnapshot().progress.filesDone).toBe(500);
		await session.shutdown();
	});

	it('feeds engine events into the state through the same reducer as packrat run', async () => {
		const {session, engine} = await makeSession();
		const done = session.start();
		await until(() => engine.calls.length === 1);
		engine.emit({type: 'phase', phase: 'connecting', at: Date.now()});
		engine.emit({type: 'scan', folders: 3, files: 7, bytes: 700});
		expect(session.store.getSnapshot().progress.phase).toBe('connecting');
		await vi.advanceTimersByTimeAsync(100);
		expect(session.store.getSnapshot().progress.scan).toEqual({folders: 3, files: 7, bytes: 700});
		engine.finish();
		const summary = await done;
		expect(summary?.outcome).toBe('success');
		expect(session.state.running).toBe(false);
		expect(session.state.lastSuccess).toBe(summary);
		await session.shutdown();
	});

	it('shuts down on one path: the schedule stops, the run is cancelled and waited for', async () => {
		const {session, engine, store} = await makeSession({host: '127.0.0.1', armed: true});
		expect(store.get('armed')).toBe(true);
		void session.start();
		await until(() => engine.calls.length === 1);
		await session.shutdown();
		expect(engine.calls[0]!.signal?.aborted).toBe(true);
		expect(session.running).toBe(false);
		expect(session.scheduler.next()).toBeUndefined();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('runs the scheduled backup at Start at when armed', async () => {
		const {session, engine} = await makeSession({host: '127.0.0.1', armed: true, startAt: '10:00'});
		expect(session.state.schedule.next?.getTime()).toBe(new Date('2026-11-20T10:00:00').getTime());
		await vi.advanceTimersByTimeAsync(2000);
		await until(() => engine.calls.length === 1);
		expect(session.state.trigger).toBe('scheduled');
		engine.finish();
		await until(() => !session.running);
		expect(session.state.schedule.next?.getTime()).toBe(new Date('2026-11-21T10:00:00').getTime());
		await session.shutdown();
	});

	it('does not run a misconfigured job on schedule either, and says so', async () => {
		const {session, engine} = await makeSession({host: '127.0.0.1', armed: true, startAt: '10:00', backupFolder: '/nonexistent/packrat/x'});
		await vi.advanceTimersByTimeAsync(2000);
		await until(() => session.state.notice !== undefined);
		expect(session.state.notice?.text).toContain('the scheduled backup was not run');
		expect(engine.calls).toHaveLength(0);
		await session.shutdown();
	});

	it('a cancel during the checks stops the run before it starts', async () => {
		const {session, engine} = await makeSession();
		const done = session.start();
		void session.run('cancel');
		expect(await done).toBeUndefined();
		expect(engine.calls).toHaveLength(0);
		await session.shutdown();
	});

	it('shows the error lines of the last run from the tail of the transfer log, escaped', async () => {
		const {session, folder, store} = await makeSession({host: '127.0.0.1'}, {load: false});
		await mkdir(join(folder, '.packrat'), {recursive: true});
		await writeFile(join(folder, '.packrat', 'history.jsonl'), `${JSON.stringify({outcome: 'failed', started: '2026-11-20T03:00:00.000Z', ended: '2026-11-20T03:01:00.000Z', errors: 2, counts: {downloaded: 1, unchanged: 0, failed: 2, skipped: 0}, bytes: 10, mode: 'incremental', latestOnly: false, durationMs: 60_000, target: folder})}\n`);
		const old = '2026-11-19T03:00:00.000Z\tERROR\tdownload\t/old.txt\t\t\t550 old\n';
		const lines = ['2026-11-20T03:00:10.000Z\tERROR\tdownload\t/a\\x1b.txt\t\t\t550 denied', '2026-11-20T03:00:11.000Z\tINFO\tdownload\t/b.txt\t10\t5\t', `2026-11-20T03:00:12.000Z\tERROR\tdownload\t/c.txt\t\t\t550 gone\u001B[2J`];
		await appendFile(join(folder, 'packrat-transfer.log'), old + lines.join('\n') + '\n');
		void store;
		await session.load();
		const {errors, errorCount} = session.state;
		expect(errorCount).toBe(2);
		expect(errors.map(line => line.path)).toEqual(['/a\\x1b.txt', '/c.txt']);
		expect(errors[1]!.message).toBe('550 gone\\x1b[2J');
		await session.shutdown();
	});
});
