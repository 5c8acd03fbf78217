/**
 * The window's model, outside React: it runs backups (Now or scheduled), feeds their events into
 * the batched store, holds a paused run's trust question until it is answered, keeps the
 * schedule, and shuts everything down on one path. Screens read it with `useSession`.
 */
import type {RunEvent, Summary} from '../backup/events.js';
import {oneLine} from '../backup/errors.js';
import type {Job, RunOptions} from '../backup/job.js';
import {runBackup} from '../backup/run.js';
import {hookLogger, runAfterRunHook, transferLogPath} from '../after-run.js';
import {bindingFor} from '../keymap.js';
import {cancelRefusal, loadPolicy, type Policy} from '../policy.js';
import {Scheduler} from '../schedule/scheduler.js';
import {toJob} from '../settings/job.js';
import type {Settings} from '../settings/keys.js';
import type {SettingsStore} from '../settings/store.js';
import {BatchedStore} from './batched-store.js';
import {diagnose, rootProblem} from './diagnose.js';
import {errorsOfRun, lastRuns} from './last-run.js';
import {TrustGate} from './trust-gate.js';
import {applyEvents, initialState, isUrgent, type Blocked, type Notice, type SessionState} from './session-state.js';

export type SessionOptions = {
	settings: SettingsStore;
	run?: (options: RunOptions) => Promise<Summary>;
	policy?: () => Policy;
	now?: () => Date;
	/** How often listeners hear of changes, at most (default 100 ms). */
	batchMs?: number;
	noticeMs?: number;
};

export class Session {
	readonly store: BatchedStore<SessionState, RunEvent>;
	readonly scheduler: Scheduler;
	/** A password typed in the window and not saved: used for this window's runs only. */
	password: string | undefined;
	private controller: AbortController | undefined;
	private current: Promise<Summary | undefined> | undefined;
	private readonly trust = new TrustGate(question => this.store.update(state => ({...state, trust: question}), true));
	private noticeTimer: NodeJS.Timeout | undefined;
	private rootBlocked: Blocked | undefined;
	private closing: Promise<void> | undefined;
	private readonly unsubscribe: () => void;

	constructor(private readonly options: SessionOptions) {
		const settings = options.settings.all();
		this.scheduler = new Scheduler({startAt: settings.startAt, repeat: settings.repeat, armed: settings.armed, now: options.now, onDue: () => void this.start('scheduled')});
		this.store = new BatchedStore(initialState(settings, this.scheduleView(settings), this.cancelRefused() === undefined), options.batchMs ?? 100, applyEvents);
		this.unsubscribe = this.scheduler.subscribe(() => this.store.update(state => ({...state, schedule: this.scheduleView(state.settings)}), true));
	}

	get settingsStore(): SettingsStore {
		return this.options.settings;
	}

	get state(): SessionState {
		return this.store.state;
	}

	private scheduleView(settings: Settings) {
		const view = this.scheduler.getSnapshot();
		return {armed: view.armed, startAt: settings.startAt, repeat: settings.repeat, next: view.next, note: view.note ?? view.problem};
	}

	/** Read the history and the error lines of the last run, and check the job. */
	async load(): Promise<void> {
		const settings = this.options.settings.all();
		const runs = await lastRuns(settings);
		const blocked = await diagnose(settings);
		this.store.update(state => ({...state, settings, ...runs, blocked}), true);
	}

	/** The settings changed (in the window or outside): show them, reschedule, check again. */
	async settingsChanged(options: {folderChanged?: boolean; serverChanged?: boolean} = {}): Promise<void> {
		const settings = this.options.settings.all();
		if (options.serverChanged) this.rootBlocked = undefined;
		this.scheduler.update(settings.startAt, settings.repeat);
		this.store.update(state => ({...state, settings, schedule: this.scheduleView(settings)}), true);
		if (options.folderChanged) await this.load();
		else await this.check();
	}

	/** Check the job again; true when it can run. */
	async check(): Promise<boolean> {
		const blocked = (await diagnose(this.options.settings.all())) ?? this.rootBlocked;
		this.store.update(state => ({...state, blocked}), true);
		return blocked === undefined;
	}

	notify(text: string, tone: Notice['tone'] = 'muted'): void {
		if (this.noticeTimer) clearTimeout(this.noticeTimer);
		this.store.update(state => ({...state, notice: {text, tone}}), true);
		this.noticeTimer = setTimeout(() => this.store.update(state => ({...state, notice: undefined}), true), this.options.noticeMs ?? 6000);
		this.noticeTimer.unref?.();
	}

	get running(): boolean {
		return this.current !== undefined;
	}

	/** Run a backup now; resolves with its summary, or undefined when it was not run. */
	start(trigger: 'manual' | 'scheduled' = 'manual'): Promise<Summary | undefined> {
		if (this.closing) return Promise.resolve(undefined);
		if (this.current) {
			if (trigger === 'manual') this.notify('a backup is already running', 'warn');
			return Promise.resolve(undefined);
		}

		const task = this.runOnce(trigger).finally(() => {
			this.current = undefined;
		});
		this.current = task;
		return task;
	}

	private async runOnce(trigger: 'manual' | 'scheduled'): Promise<Summary | undefined> {
		const settings = this.options.settings.all();
		// Made first, so that a cancel or a shutdown during the checks stops the run before it starts.
		const controller = new AbortController();
		this.controller = controller;
		const ready = await this.check();
		if (controller.signal.aborted) {
			this.controller = undefined;
			this.store.update(state => ({...state, cancelling: false}), true);
			return undefined;
		}

		if (!ready) {
			this.controller = undefined;
			const blocked = this.store.state.blocked;
			const fix = blocked ? ` ${blocked.reason}; press ${bindingFor('backup', blocked.fix).keys[0]} to fix it` : '';
			this.notify(`${trigger === 'scheduled' ? 'the scheduled backup was not run' : 'not run'}: the job is misconfigured:${fix}`, 'bad');
			return undefined;
		}

		let job: Job;
		try {
			job = toJob(settings);
		} catch (error) {
			this.controller = undefined;
			this.notify(oneLine(error), 'bad');
			return undefined;
		}

		if (this.password !== undefined) job = {...job, server: {...job.server, password: this.password}};
		this.store.update(state => ({...state, running: true, cancelling: false, trigger, notice: undefined, errors: [], errorCount: 0}), true);
		this.scheduler.runStarted();
		const onEvent = (event: RunEvent) => this.store.queue(event, isUrgent(event));
		const summary = await (this.options.run ?? runBackup)({job, signal: controller.signal, onEvent, decideTrust: question => this.trust.ask(question)});
		this.controller = undefined;
		this.answerTrust(false);
		this.rootBlocked = rootProblem(summary);
		const errors = await errorsOfRun(settings, summary);
		this.store.update(
			state => ({...state, running: false, cancelling: false, trust: undefined, blocked: this.rootBlocked ?? state.blocked, errors: errors.length > 0 ? errors : state.errors, lastRun: summary}),
			true,
		);
		if (!this.closing) await runAfterRunHook(settings.hooks.afterRun, summary, transferLogPath(job.backupFolder), hookLogger(job.backupFolder));
		this.scheduler.runEnded();
		return summary;
	}

	/** Answer the trust question of a paused run; a trusted fingerprint is saved in the settings. */
	answerTrust(trust: boolean): void {
		const question = this.store.state.trust;
		if (trust && question && this.trust.waiting) {
			this.options.settings.set('server.fingerprint', question.fingerprint);
			this.store.update(state => ({...state, settings: this.options.settings.all()}));
		}

		this.trust.settle(trust);
	}

	/** Why cancelling is refused now, or undefined when it is allowed. */
	cancelRefused(): string | undefined {
		try {
			return cancelRefusal((this.options.policy ?? loadPolicy)());
		} catch (error) {
			return oneLine(error);
		}
	}

	/** Cancel the run going on, cleanly: the engine stops at the next safe point, partial files resume next time. */
	cancel(): void {
		if (!this.controller) return;
		this.store.update(state => ({...state, cancelling: true}), true);
		this.answerTrust(false);
		this.controller.abort();
	}

	/** The one way out: no more due times, the run cancelled and waited for. */
	shutdown(): Promise<void> {
		this.closing ??= (async () => {
			this.scheduler.dispose();
			this.cancel();
			await this.current?.catch(() => undefined);
			this.unsubscribe();
			if (this.noticeTimer) clearTimeout(this.noticeTimer);
			this.store.flush();
		})();
		return this.closing;
	}
}
