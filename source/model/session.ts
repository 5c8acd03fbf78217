/**
 * The window's model, outside React: it owns the settings store and the scheduler, runs backups
 * (Now or scheduled) into the batched store, holds a paused run's trust question, and shuts down
 * on one path. All that can be asked of it is a command (commands.ts), run with `run`; views
 * read its state through selectors (components/use-view.tsx).
 */
import type {RunEvent, Summary} from '../backup/events.js';
import type {RunOptions} from '../backup/job.js';
import {runBackup} from '../backup/run.js';
import {afterRun, beforeRun} from '../after-run.js';
import {cancelRefusalNow, type Policy} from '../policy.js';
import {Scheduler} from '../schedule/scheduler.js';
import type {Settings} from '../settings/keys.js';
import type {SettingsStore} from '../settings/store.js';
import {BatchedStore} from './batched-store.js';
import {commands, disabledReasons, type ArgOf, type CommandArgs, type CommandId, type Model, type Outcome} from './commands.js';
import {testConnection} from './connection-form.js';
import {diagnose, prepareRun, rootProblem} from './diagnose.js';
import {lastRuns} from './last-run.js';
import {NoticeTimer} from './notice-timer.js';
import {TrustGate} from './trust-gate.js';
import {Verifier, type VerifyEngine} from './verifier.js';
import {applyEvents, initialState, isUrgent, type Blocked, type Notice, type SessionState} from './session-state.js';

export type SessionOptions = {
	settings: SettingsStore;
	run?: (options: RunOptions) => Promise<Summary>;
	verify?: VerifyEngine;
	policy?: () => Policy;
	now?: () => Date;
	/** How often listeners hear of changes, at most (default 100 ms). */
	batchMs?: number;
	noticeMs?: number;
};

export class Session {
	private readonly batched: BatchedStore<SessionState, RunEvent>;
	/** Private to the model: a test's subclass may read them (test/window/fixture.ts). */
	protected readonly settings: SettingsStore;
	protected readonly scheduler: Scheduler;
	private typedPassword: string | undefined;
	private refusal: string | undefined;
	private controller: AbortController | undefined;
	private current: Promise<Summary | undefined> | undefined;
	private readonly trust = new TrustGate(
		question => this.batched.update(state => ({...state, trust: question}), true),
		fingerprint => {
			this.settings.set('server.fingerprint', fingerprint);
			this.batched.update(state => ({...state, settings: this.settings.all()}));
		},
	);
	private readonly quitListeners = new Set<(code: number) => void>();
	private readonly notices: NoticeTimer;
	private rootBlocked: Blocked | undefined;
	private closing: Promise<void> | undefined;
	private readonly unsubscribe: () => void;
	private readonly model: Model;
	private readonly verifier = new Verifier({engine: () => this.options.verify, settings: () => this.settings.all(), password: () => this.typedPassword,
		update: (change, urgent) => this.batched.update(state => ({...state, verify: change(state.verify)}), urgent)});

	constructor(private readonly options: SessionOptions) {
		this.settings = options.settings;
		const settings = this.settings.all();
		this.refusal = cancelRefusalNow(this.options.policy);
		this.scheduler = new Scheduler({startAt: settings.startAt, repeat: settings.repeat, armed: settings.armed, now: options.now, onDue: () => void this.start('scheduled')});
		this.batched = new BatchedStore(initialState(settings, this.scheduleView(settings), this.refusal === undefined), options.batchMs ?? 100, applyEvents);
		this.unsubscribe = this.scheduler.subscribe(() => this.batched.update(state => ({...state, schedule: this.scheduleView(state.settings)}), true));
		this.model = this.makeModel();
		this.notices = new NoticeTimer(notice => this.batched.update(state => ({...state, notice}), true), options.noticeMs);
	}

	/** The state as views read it (BatchedStore, read-only): only the model changes it. */
	get store(): Pick<BatchedStore<SessionState, RunEvent>, 'getSnapshot' | 'subscribe' | 'state' | 'queuedCount'> {
		return this.batched;
	}

	get state(): SessionState {
		return this.batched.state;
	}

	/** A password typed in the window and not saved: used for this window's runs only. */
	get password(): string | undefined {
		return this.typedPassword;
	}

	/** A run is going on, or is being prepared. */
	get running(): boolean {
		return this.current !== undefined;
	}

	/** Why a command cannot run now, or undefined when it can. */
	disabledReason(id: CommandId): string | undefined {
		return this.disabledReasons()[id];
	}

	/** Why each command cannot run in this state, for the footer and the help: the disabled ones only. */
	disabledReasons(state: SessionState = this.batched.state): Partial<Record<CommandId, string>> {
		return disabledReasons({state, cancelRefusal: this.refusal, running: this.running, verifying: state.verify?.running === true});
	}

	/** Run a command from the window: a refusal or what it did becomes the window's notice (unless the caller shows it). */
	async run<Id extends CommandId>(id: Id, ...arg: ArgOf<Id>): Promise<Outcome> {
		const outcome = await this.execute(id, arg[0] as CommandArgs[Id]);
		if (!outcome.silent) this.notify(outcome.message, outcome.tone ?? (outcome.ok ? 'ok' : 'warn'), outcome.hint);
		return outcome;
	}

	/** Run a command asked for from another shell (the control socket): the outcome goes back there. */
	request = async (id: 'now' | 'cancel'): Promise<Outcome> => this.execute(id, undefined);

	private execute<Id extends CommandId>(id: Id, arg: CommandArgs[Id]): Outcome | Promise<Outcome> {
		this.refusal = cancelRefusalNow(this.options.policy);
		const cancelAllowed = this.refusal === undefined;
		if (this.batched.state.cancelAllowed !== cancelAllowed) this.batched.update(state => ({...state, cancelAllowed}), true);
		const reason = this.disabledReason(id);
		if (reason) return {ok: false, message: reason, tone: 'warn'};
		return commands[id].run(this.model, arg);
	}

	/** The commands' view of the model: the only way to the settings store, the scheduler and the run. */
	private makeModel(): Model {
		const {batched: store, settings} = this;
		const session = () => ({refusal: this.refusal, running: this.running});
		return {
			get state() { return store.state; },
			get cancelRefusal() { return session().refusal; },
			get running() { return session().running; },
			verifier: this.verifier,
			settings,
			applySettings: async changed => this.settingsChanged({folderChanged: changed?.folder, serverChanged: changed?.server}),
			startRun: () => new Promise(resolve => void this.start('manual', resolve)),
			stopRun: () => this.stop(),
			answerTrust: trust => this.trust.settle(trust),
			keepPassword: password => {
				this.typedPassword = password;
			},
			testConnection,
			reloadRuns: async () => this.load(),
			quit: code => {
				for (const listener of [...this.quitListeners]) listener(code);
			},
		};
	}

	/** Who closes the window when the quit command runs. */
	onQuit(listener: (code: number) => void): () => void {
		this.quitListeners.add(listener);
		return () => void this.quitListeners.delete(listener);
	}

	private scheduleView(settings: Settings) {
		const view = this.scheduler.getSnapshot();
		return {armed: view.armed, startAt: settings.startAt, repeat: settings.repeat, next: view.next, note: view.note ?? view.problem};
	}

	/** Read the history and the error lines of the last run, and check the job. */
	async load(): Promise<void> {
		const settings = this.settings.all();
		const runs = await lastRuns(settings);
		const blocked = await diagnose(settings);
		this.batched.update(state => ({...state, settings, ...runs, blocked, cancelAllowed: this.refusal === undefined}), true);
	}

	/**
	 * The settings changed (by a command, or outside the window): show them, and let the
	 * scheduler follow them (the settings own `armed`, Start at and repeat; the scheduler only
	 * plans from them). The job is checked again only when the folder or the server changed.
	 */
	async settingsChanged(options: {folderChanged?: boolean; serverChanged?: boolean} = {}): Promise<void> {
		const settings = this.settings.all();
		if (options.serverChanged) this.rootBlocked = undefined;
		this.scheduler.follow(settings);
		this.batched.update(state => ({...state, settings, schedule: this.scheduleView(settings)}), true);
		if (options.folderChanged) await this.load();
		else if (options.serverChanged) await this.check();
	}

	/** Check the job again; true when it can run. */
	private async check(): Promise<boolean> {
		const blocked = (await diagnose(this.settings.all())) ?? this.rootBlocked;
		this.batched.update(state => ({...state, blocked}), true);
		return blocked === undefined;
	}

	notify(text: string, tone: Notice['tone'] = 'muted', hint?: Notice['hint']): void {
		this.notices.show({text, tone, hint});
	}

	/** Run a backup (now, or scheduled: after a verify going on, which holds the run lock): its summary, or undefined when not run; `ready` hears whether it started, else a refusal is the notice. */
	start(trigger: 'manual' | 'scheduled' = 'manual', ready?: (outcome: Outcome) => void): Promise<Summary | undefined> {
		const refuse = (outcome: Outcome) => (ready ? ready(outcome) : this.notify(outcome.message, outcome.tone ?? 'warn', outcome.hint));
		if (this.closing || this.current) {
			refuse({ok: false, message: this.closing ? 'the window is closing' : 'a backup is already running', tone: 'warn'});
			return Promise.resolve(undefined);
		}

		if (trigger === 'scheduled' && this.verifier.running) return this.verifier.settled.then(async () => this.start(trigger));
		const task = this.runOnce(trigger, ready ?? (outcome => !outcome.ok && refuse(outcome))).finally(() => {
			this.current = undefined;
			// The rules read `running`: the views hear of its end, or they show now and cancel as they were.
			this.batched.update(state => ({...state}), true);
		});
		this.current = task;
		return task;
	}

	private async runOnce(trigger: 'manual' | 'scheduled', ready: (outcome: Outcome) => void): Promise<Summary | undefined> {
		const settings = this.settings.all();
		// Made first, so that a cancel or a shutdown during the checks stops the run before it starts.
		const controller = new AbortController();
		this.controller = controller;
		const fit = await this.check();
		const prepared = prepareRun({settings, trigger, fit, aborted: controller.signal.aborted, blocked: this.batched.state.blocked});
		if ('refusal' in prepared) {
			this.controller = undefined;
			this.batched.update(state => ({...state, cancelling: false}), true);
			ready(prepared.refusal);
			return undefined;
		}

		let {job} = prepared;
		if (this.typedPassword !== undefined) job = {...job, server: {...job.server, password: this.typedPassword}};
		this.batched.update(state => ({...state, running: true, cancelling: false, trigger, notice: undefined, errors: [], errorCount: 0}), true);
		this.scheduler.runStarted();
		ready({ok: true, message: 'a backup started in the Backup window', silent: true});
		const onEvent = (event: RunEvent) => this.batched.queue(event, isUrgent(event));
		const alerts = beforeRun(settings.notify?.url, job);
		// The summary reaches the state through the run's own `done` event, as in `packrat run`.
		const summary = await (this.options.run ?? runBackup)({job, signal: controller.signal, onEvent, decideTrust: question => this.trust.ask(question)});
		this.controller = undefined;
		this.trust.settle(false);
		this.rootBlocked = rootProblem(summary);
		this.batched.update(state => ({...state, running: false, cancelling: false, trust: undefined, blocked: this.rootBlocked ?? state.blocked}), true);
		if (!this.closing) await afterRun(settings.hooks.afterRun, summary, job.backupFolder, alerts);
		this.scheduler.runEnded();
		return summary;
	}

	/** Stop the run going on, cleanly: the engine stops at the next safe point, partial files resume next time. */
	private stop(): void {
		if (!this.controller) return;
		this.batched.update(state => ({...state, cancelling: true}), true);
		this.trust.settle(false);
		this.controller.abort();
	}

	/** The one way out: no more due times, the run stopped and waited for. */
	shutdown(): Promise<void> {
		this.closing ??= (async () => {
			this.scheduler.dispose();
			this.stop();
			this.verifier.stop();
			await Promise.all([this.current?.catch(() => undefined), this.verifier.settled]);
			this.unsubscribe();
			this.notices.dispose();
			this.batched.flush();
		})();
		return this.closing;
	}
}
