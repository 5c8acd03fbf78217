/**
 * Soak: the real Scheduler, armed with `*\/10 * * * *`, fires 1,000 times over a simulated week,
 * and each due time starts a real runBackup against the in-process FTP server into one backup
 * folder, with runStarted()/runEnded() around it as the window does. Fake timers drive the clock;
 * sockets and files are real.
 *
 * Faked: setTimeout/setInterval (the scheduler, the engine's progress ticker and backoff, the test
 * server's passive timers) and Date (the due times, the logs, the history). Left real:
 * setImmediate, process.nextTick and queueMicrotask (streams, promises, ftp-srv's bluebird),
 * performance and hrtime; basic-ftp's and ftp-srv's socket timeouts are node's own timers, which
 * fake timers never touch. The clock stands still while a run goes on, so every run takes 0 ms of
 * fake time and the next due time is never met during a run.
 *
 * The heap checks want a GC function: run node with --expose-gc, else one is taken from V8 at run
 * time (see findGc); they are skipped, with a message, when neither works.
 */
import {readFile, utimes, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {writeTree} from '../../devtools/sample-data.js';
import type {Summary} from '../../source/backup/events.js';
import {readHistory} from '../../source/backup/history.js';
import {runBackup} from '../../source/backup/run.js';
import {Scheduler, type DueInfo} from '../../source/schedule/scheduler.js';
import {makeJob, tempDir} from '../helpers/fixture.js';
import {findGc, heapAfterGc, settle, type Heap, type Probe} from '../helpers/soak-probe.js';

process.env['TZ'] = 'Europe/Paris';

const runs = 1000;
const warmup = 50;
/** Every this many runs a file changes on the server, so the data path (download, older copy kept) is soaked too. */
const changeEvery = 10;
const tenMinutes = 10 * 60_000;
/** A week with no daylight-saving change in Paris: Monday 00:00:30, so the first due time is 00:10. */
const start = new Date('2026-06-01T00:00:30+02:00');
const firstDue = new Date('2026-06-01T00:10:00+02:00').getTime();
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

describe('soak: a week of scheduled runs', () => {
	let server: FtpTestServer;
	let source: string;

	beforeAll(async () => {
		source = await tempDir('packrat-soak-src-');
		await writeTree(source, {
			'readme.txt': {content: 'the root', mtime: new Date('2026-05-01T10:00:00Z')},
			'alice/Site/Plan v1.dh': {content: 'plan one', mtime: new Date('2026-05-02T03:04:05Z')},
			'alice/Site/Plan v2.dh': {content: 'plan two', mtime: new Date('2026-05-03T03:04:05Z')},
			'bob/notes.txt': {content: 'notes 0', mtime: new Date('2026-05-04T05:05:05Z')},
		});
		server = await startFtpServer({root: source, mlsd: true});
	});

	afterAll(async () => {
		vi.useRealTimers();
		await server?.close();
	});

	it('lets go of every finished run: nothing it was given stays reachable', async ({skip}) => {
		const gc = findGc();
		skip(!gc, 'no gc function (run node with --expose-gc)');
		const backup = await tempDir('packrat-soak-backup-');
		// In a function of its own, so that no frame of this test holds the last run's closures.
		const many = async (count: number) => {
			const refs: Array<WeakRef<object>> = [];
			for (let index = 0; index < count; index++) {
				// What the window hands each run: its own listener and its own signal.
				const controller = new AbortController();
				const onEvent = () => undefined;
				refs.push(new WeakRef(onEvent), new WeakRef(controller));
				const summary = await runBackup({job: makeJob(server, backup), signal: controller.signal, onEvent});
				expect(summary.outcome).toBe('success');
			}

			return refs;
		};

		const refs = await many(10);
		await settle(() => server.connections() === 0);
		await heapAfterGc(gc!);
		const alive = refs.flatMap((ref, index) => (ref.deref() ? [`run ${Math.floor(index / 2)} ${index % 2 ? 'controller' : 'onEvent'}`] : []));
		expect(alive).toEqual([]);
	});

	it(`starts ${runs} runs, each on its due second, and leaks neither heap, timers, listeners nor handles`, async () => {
		const backup = await tempDir('packrat-soak-backup-');
		const gc = findGc();
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: start});

		/** The due time of every onDue call, and what was wrong with it (kept small: the heap is measured). */
		const dues: number[] = [];
		const wrong: string[] = [];
		const outcomes: Record<string, number> = {};
		const failures: string[] = [];
		let current: Promise<Summary> | undefined;

		// As the window does: runStarted() before the run, runEnded() once it is over.
		const onDue = (info: DueInfo) => {
			const due = info.due.getTime();
			dues.push(due);
			const problems = [
				Date.now() !== due && `clock at ${new Date(Date.now()).toISOString()}`,
				info.ranAt.getTime() !== due && `ranAt ${info.ranAt.toISOString()}`,
				info.missed && 'missed',
				current && 'a run was going on',
			].filter(Boolean);
			if (problems.length > 0) wrong.push(`${info.due.toISOString()}: ${problems.join(', ')}`);
			if (current) return;
			scheduler.runStarted();
			const controller = new AbortController();
			current = runBackup({job: makeJob(server, backup), signal: controller.signal}).finally(() => scheduler.runEnded());
		};

		const scheduler = new Scheduler({startAt: '03:00', repeat: '*/10 * * * *', armed: true, onDue});
		let atWarmup: Probe | undefined;
		let heapAtWarmup: Heap | undefined;
		let maxTimersAfterWarmup = 0;
		const began = performance.now();
		let warmupMs = 0;

		try {
			for (let index = 0; index < runs; index++) {
				if (index > 0 && index % changeEvery === 0) {
					// A new version of one file: downloaded, the older copy kept beside it.
					const path = join(source, 'bob/notes.txt');
					await writeFile(path, `notes ${index}`);
					const mtime = new Date(Date.now() - 60_000);
					await utimes(path, mtime, mtime);
				}

				const due = scheduler.next();
				if (!due) throw new Error(`run ${index}: the scheduler has no next due time`);
				vi.advanceTimersByTime(due.getTime() - Date.now());
				const run = current;
				if (!run) throw new Error(`run ${index}: nothing started at ${due.toISOString()} (${dues.length} due times met)`);
				const summary = await run;
				current = undefined;
				outcomes[summary.outcome] = (outcomes[summary.outcome] ?? 0) + 1;
				if (summary.outcome !== 'success' && failures.length < 5) failures.push(`run ${index}: ${summary.outcome}: ${summary.reason}`);
				if (index >= warmup) maxTimersAfterWarmup = Math.max(maxTimersAfterWarmup, vi.getTimerCount());
				if (index + 1 === warmup) {
					atWarmup = await settle(() => server.connections() === 0);
					if (gc) heapAtWarmup = await heapAfterGc(gc);
					warmupMs = performance.now() - began;
				}
			}

			// The week is over: nothing more fires until the next due time.
			vi.advanceTimersByTime(scheduler.next()!.getTime() - Date.now() - 1);
			expect(current).toBeUndefined();
		} finally {
			if (current) await current.catch(() => undefined);
		}

		const totalMs = performance.now() - began;
		const atEnd = await settle(() => server.connections() === 0);
		const heapAtEnd = gc ? await heapAfterGc(gc) : undefined;
		const snapshot = scheduler.getSnapshot();
		scheduler.dispose();
		expect(vi.getTimerCount()).toBe(0);

		const perRun = (ms: number, count: number) => `${(ms / count).toFixed(1)} ms/run`;
		const heapLine =
			heapAtWarmup && heapAtEnd
				? `heap after gc: ${mib(heapAtWarmup.used)} after ${warmup} runs, ${mib(heapAtEnd.used)} after ${runs} (${(((heapAtEnd.used - heapAtWarmup.used) / heapAtWarmup.used) * 100).toFixed(1)}%; code space ${mib(heapAtWarmup.code)} → ${mib(heapAtEnd.code)})`
				: 'heap check skipped: no gc function (run node with --expose-gc)';
		console.log(
			[
				`soak: ${runs} runs in ${(totalMs / 1000).toFixed(1)} s (${perRun(totalMs, runs)}; first ${warmup}: ${perRun(warmupMs, warmup)}, rest: ${perRun(totalMs - warmupMs, runs - warmup)})`,
				heapLine,
				`fake timers between runs: ${atWarmup?.timers} after ${warmup}, at most ${maxTimersAfterWarmup} after; process listeners ${JSON.stringify(atEnd.listeners)}; handles ${JSON.stringify(atEnd.resources)}`,
			].join('\n'),
		);

		// Every run started at its due second: none missed, none doubled, none late.
		const expected = Array.from({length: runs}, (_, index) => firstDue + index * tenMinutes);
		expect(wrong).toEqual([]);
		expect(dues).toEqual(expected);
		expect(new Date(dues.at(-1)!).toISOString()).toBe('2026-06-07T20:40:00.000Z'); // Sunday 22:40 in Paris
		expect(snapshot).toMatchObject({armed: true, queued: false, running: false});
		expect(snapshot.note).toBeUndefined();

		// All succeeded; the history has one line per run, started at its due time.
		expect(failures).toEqual([]);
		expect(outcomes).toEqual({success: runs});
		const history = await readHistory(backup);
		expect(history.map(run => Date.parse(run.started))).toEqual(expected);
		expect(history.every(run => run.outcome === 'success')).toBe(true);
		const changes = Math.floor((runs - 1) / changeEvery);
		expect(history.reduce((sum, run) => sum + run.counts.downloaded, 0)).toBe(4 + changes);
		expect(await readFile(join(backup, 'bob/notes.txt'), 'utf8')).toBe(`notes ${changes * changeEvery}`);

		// Nothing piles up between the first runs and the last.
		expect(atWarmup).toBeDefined();
		expect(maxTimersAfterWarmup).toBeLessThanOrEqual(atWarmup!.timers);
		expect(atEnd.timers).toBeLessThanOrEqual(atWarmup!.timers);
		expect(atEnd.listeners).toEqual(atWarmup!.listeners);
		const grown = Object.entries(atEnd.resources).filter(([type, count]) => count > (atWarmup!.resources[type] ?? 0));
		expect(grown, `handles after ${warmup} runs: ${JSON.stringify(atWarmup!.resources)}`).toEqual([]);

		if (!heapAtWarmup || !heapAtEnd) {
			console.warn('soak: heap assertion skipped: global.gc is absent and could not be obtained (run node with --expose-gc)');
		} else {
			// Compiled code keeps growing while the JIT warms up and then levels off; data must not grow.
			expect(heapAtEnd.used - heapAtEnd.code, heapLine).toBeLessThanOrEqual((heapAtWarmup.used - heapAtWarmup.code) * 1.1);
		}
	}, 120_000);
});
