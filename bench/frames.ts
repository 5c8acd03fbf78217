/**
 * `node dist/bench/frames.js [--seconds 20] [--columns 100] [--rows 30] [--files-per-second 400]`:
 * what the Backup window costs per second of a long run, once its code is warm. A fake engine
 * feeds the real window (the production build of React, Ink at the window's maxFps, the run's
 * progress at the window's rate) the events of 4 connections downloading files; the same events
 * are then folded without a window, as `packrat run` does. The difference, per second and per
 * frame, is what the window adds to a backup that lasts longer than the benchmark's few seconds:
 * the first seconds after start-up also pay for V8 compiling the window's code, the warm ones
 * below do not.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import type {RunEvent, Summary} from '../source/backup/events.js';
import type {RunOptions} from '../source/backup/run.js';

const {values} = parseArgs({options: {seconds: {type: 'string', default: '20'}, columns: {type: 'string', default: '100'}, rows: {type: 'string', default: '30'}, 'files-per-second': {type: 'string', default: '400'}}});
const seconds = Number(values.seconds);
const filesPerSecond = Number(values['files-per-second']);

const home = mkdtempSync(join(tmpdir(), 'packrat-frames-'));
process.env['XDG_CONFIG_HOME'] = join(home, 'config');
process.env['XDG_STATE_HOME'] = join(home, 'state');

// As the window does: the production build of React, chosen when it is first loaded.
const {loadApp, maxFps, progressMs} = await import('../source/window.js');
const {App} = await loadApp();
const React = (await import('react')).default;
const {render} = await import('ink');
const {ThemeProvider, makeTheme} = await import('../source/components/theme.js');
const {Session} = await import('../source/model/session.js');
const {SettingsStore} = await import('../source/settings/store.js');
const {reduce, idleProgress} = await import('../source/backup/progress.js');
const {FakeStdin, FakeStdout} = await import('../devtools/fake-terminal.js');

/** The events of one 10 ms tick of a run: files on 4 slots in turn, each started, half done and finished. */
function feeder(emit: (event: RunEvent) => void): () => void {
	let file = 0;
	const perTick = Math.max(1, Math.round(filesPerSecond / 100));
	return () => {
		for (let index = 0; index < perTick; index++) {
			const slot = file % 4;
			const path = `/home/user${file % 40}/project${file % 7}/v${file % 3}/file-${file}.dat`;
			emit({type: 'file-start', slot, path, size: 40_000, offset: 0});
			emit({type: 'file-progress', slot, path, size: 40_000, bytes: 20_000});
			emit({type: 'file-done', slot, path, status: 'downloaded', bytes: 40_000});
			file++;
		}
	};
}

const beginning = (emit: (event: RunEvent) => void) => {
	const at = Date.now();
	emit({type: 'phase', phase: 'connecting', at});
	emit({type: 'connected', connections: 4, tls: false, listing: 'LIST'});
	emit({type: 'phase', phase: 'initializing', at});
	emit({type: 'scan', folders: 1600, files: 5_000_000, bytes: 200e9});
	emit({type: 'plan', files: 5_000_000, toDownload: 5_000_000, bytesToDownload: 200e9, unchanged: 0, skipped: 0, bytes: 200e9});
	emit({type: 'phase', phase: 'backing-up', at});
};

/** Feed events every 10 ms for `ms`, measuring CPU over the last `measureMs` of it. */
async function drive(emit: (event: RunEvent) => void, ms: number, measureMs: number): Promise<number> {
	const feed = feeder(emit);
	const started = Date.now();
	let cpu: NodeJS.CpuUsage | undefined;
	await new Promise<void>(resolve => {
		const timer = setInterval(() => {
			feed();
			const elapsed = Date.now() - started;
			if (!cpu && elapsed >= ms - measureMs) cpu = process.cpuUsage();
			if (elapsed >= ms) {
				clearInterval(timer);
				resolve();
			}
		}, 10);
	});
	const used = process.cpuUsage(cpu);
	return (used.user + used.system) / 1000;
}

const warmMs = Math.min(5000, (seconds * 1000) / 2);
const measureMs = seconds * 1000 - warmMs;

// Without a window: the events folded as packrat run folds them.
let progress = idleProgress;
const headlessEmit = (event: RunEvent) => {
	progress = reduce(progress, event);
};

beginning(headlessEmit);
const headlessMs = await drive(headlessEmit, seconds * 1000, measureMs);

// The window.
const settings = new SettingsStore('frames');
settings.set('server.host', '127.0.0.1');
settings.set('backupFolder', home);
let emitToWindow: (event: RunEvent) => void = () => undefined;
let endRun: (summary: Summary) => void = () => undefined;
const session = new Session({
	settings, batchMs: progressMs, policy: () => ({allowCancel: true}),
	run: async (options: RunOptions) => new Promise<Summary>(resolve => {
		emitToWindow = event => options.onEvent?.(event);
		endRun = resolve;
	}),
});
await session.load();
const screen = new FakeStdout(Number(values.columns), Number(values.rows), 2);
const theme = makeTheme({ascii: false, color: true});
const instance = render(React.createElement(ThemeProvider, {theme, children: React.createElement(App, {session, onQuit: () => undefined})}), {
	stdout: screen as unknown as NodeJS.WriteStream, stdin: new FakeStdin() as unknown as NodeJS.ReadStream, maxFps, exitOnCtrlC: false, patchConsole: false,
});
const running = session.start('manual');
await new Promise(resolve => setTimeout(resolve, 100));
beginning(event => emitToWindow(event));
const windowMs = await drive(event => emitToWindow(event), seconds * 1000, measureMs);
endRun({outcome: 'success', mode: 'incremental', latestOnly: false, started: new Date().toISOString(), ended: new Date().toISOString(), durationMs: seconds * 1000, counts: {downloaded: 1, unchanged: 0, failed: 0, skipped: 0}, bytes: 1, errors: 0, target: home});
await running;
instance.unmount();
await session.shutdown();
rmSync(home, {recursive: true, force: true});

const perSecond = (ms: number) => ms / (measureMs / 1000);
const frames = (measureMs / 1000) * (1000 / progressMs);
const extra = perSecond(windowMs) - perSecond(headlessMs);
process.stdout.write([
	`${screen.columns}×${screen.rows}, ${filesPerSecond} files a second over 4 connections, measured over ${(measureMs / 1000).toFixed(0)} s after ${(warmMs / 1000).toFixed(0)} s warm-up`,
	`events folded without a window: ${perSecond(headlessMs).toFixed(1)} ms of CPU a second`,
	`the same events in the window:  ${perSecond(windowMs).toFixed(1)} ms of CPU a second (progress drawn every ${progressMs} ms, at most ${maxFps} frames a second)`,
	`the window's own cost: ${extra.toFixed(1)} ms a second (${(extra / 10).toFixed(1)}% of a CPU), about ${(extra * (measureMs / 1000) / frames).toFixed(1)} ms a frame`,
	'',
].join('\n'));

