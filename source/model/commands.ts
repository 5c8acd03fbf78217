/**
 * Every action of the window as one command: an id, the rule that says when it is allowed
 * (`disabledReason`, read from the model's state) and what it does (`run`). A key (through the
 * key map), a request on the control socket (`packrat now`, `packrat cancel`) and the tests all
 * reach a command through `Session.run`, which asks the rule first: the cancel policy, for one,
 * is written once, below. The footer and the `?` help show a disabled command with its reason;
 * a command that asks first carries its question here.
 */
import {resolve} from 'node:path';
import {oneLine} from '../backup/errors.js';
import {acceptGuard} from '../backup/guard.js';
import type {ServerConfig, TrustDecider} from '../backup/remote.js';
import {massChange, massChangeParts, when, whenIso} from '../format.js';
import {restore, type RestoreRequest, type RestoreResult} from '../restore/restore.js';
import type {SettingsStore} from '../settings/store.js';
import {saveForm, type Form, type TestResult} from './connection-form.js';
import type {Notice, SessionState} from './session-state.js';

/** What a command did, or why it did nothing: the window shows it as a notice, the socket sends it back. */
export type Outcome = {
	ok: boolean;
	message: string;
	tone?: Notice['tone'];
	/** The command whose key the notice names ("press o to fix it"). */
	hint?: Notice['hint'];
	/** The caller shows it (a dialog's own error line), not the window's notice. */
	silent?: boolean;
};

export type Question = {title: string; lines: string[]; yes: string; no: string};

/** The argument each command takes (undefined: none). */
export type CommandArgs = {
	now: undefined;
	cancel: undefined;
	schedule: undefined;
	'start-at': string;
	folder: string;
	mode: undefined;
	latest: undefined;
	settings: Form;
	'test-connection': {config: ServerConfig; decide: TrustDecider};
	trust: boolean;
	quit: number;
	'accept-guard': undefined;
	versions: undefined;
	history: undefined;
	/** What to restore (the backup folder is the job's), and who shows what was restored. */
	restore: {request: Omit<RestoreRequest, 'backup'>; report: (result: RestoreResult) => void};
	verify: undefined;
	'verify-cancel': undefined;
};

export type CommandId = keyof CommandArgs;

/** What the commands read and change: the model's insides, handed to them by the Session alone. */
export type Model = {
	readonly state: SessionState;
	/** The administrator's refusal of cancelling (policy.ts), read afresh whenever a command is tried. */
	readonly cancelRefusal: string | undefined;
	/** A run is going on, or is being prepared (its checks). */
	readonly running: boolean;
	readonly settings: SettingsStore;
	/** The settings were changed: show them, plan the schedule again, check the job when the folder or the server changed. */
	applySettings(changed?: {folder?: boolean; server?: boolean}): Promise<void>;
	/** Start a run; resolves once it has started, or with the reason it was not. */
	startRun(): Promise<Outcome>;
	stopRun(): void;
	answerTrust(trust: boolean): void;
	keepPassword(password: string | undefined): void;
	testConnection(config: ServerConfig, decide: TrustDecider): Promise<TestResult>;
	/** Read the backup folder's history and guard again (after something changed them outside a run). */
	reloadRuns(): Promise<void>;
	quit(code: number): void;
	/** The window's verify: one at a time, over the job of the settings; it holds the run lock while it goes. */
	readonly verifier: {readonly running: boolean; start(): Outcome; stop(): void};
};

/** What the rules read. */
export type RuleContext = Pick<Model, 'state' | 'cancelRefusal' | 'running'> & {verifying: boolean};

type Command<Id extends CommandId> = {
	/** Why the command cannot run now, or undefined when it can. */
	disabledReason?: (context: RuleContext) => string | undefined;
	/** The question the window asks before running it (the command line and the socket do not ask). */
	askFirst?: (state: SessionState) => Question | undefined;
	run: (model: Model, arg: CommandArgs[Id]) => Outcome | Promise<Outcome>;
};

const ok = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ok: true, message, tone: 'ok', ...extra});
const noBackupFolder = ({state}: RuleContext) => (state.settings.backupFolder ? undefined : 'no backup folder is set (press f to choose one)');
const later = (model: Model) => (model.running ? ' (from the next run)' : '');

export const commands: {[Id in CommandId]: Command<Id>} = {
	now: {
		disabledReason: ({running, verifying}) => (running ? 'a backup is already running' : verifying ? 'a verify is running' : undefined),
		run: model => model.startRun(),
	},
	cancel: {
		disabledReason: ({cancelRefusal, running}) => cancelRefusal ?? (running ? undefined : 'no backup is running'),
		askFirst: () => ({
			title: 'Cancel the backup?',
			lines: ['Files already copied stay; a partial download resumes on the next run.', 'The next scheduled backup runs as usual.'],
			yes: 'Cancel the backup',
			no: 'Let it run',
		}),
		run: model => {
			model.stopRun();
			return ok('the backup is being cancelled; the next scheduled cycle runs as usual', {silent: true});
		},
	},
	schedule: {
		run: async model => {
			const arm = !model.state.schedule.armed;
			model.settings.set('armed', arm);
			await model.applySettings();
			const {next} = model.state.schedule;
			if (arm) return ok(`schedule started${next ? `: next backup ${when(next)}` : ''}`);
			return {ok: true, message: 'schedule stopped: no backup runs until the schedule is started', tone: 'warn', hint: {action: 'schedule', does: 'to start it'}};
		},
	},
	'start-at': {
		run: async (model, text) => {
			try {
				model.settings.setText('startAt', text);
			} catch (error) {
				return {ok: false, message: oneLine(error), silent: true};
			}

			await model.applySettings();
			return ok(`Start at ${text}`);
		},
	},
	folder: {
		run: async (model, folder) => {
			model.settings.set('backupFolder', resolve(folder));
			const message = `backup folder: ${resolve(folder)}${later(model)}`;
			await model.applySettings({folder: true});
			return ok(message);
		},
	},
	mode: {
		run: async model => {
			const mode = model.state.settings.mode === 'full' ? 'incremental' : 'full';
			model.settings.set('mode', mode);
			const message = `mode: ${mode === 'full' ? 'Full' : 'Incremental'}${later(model)}`;
			await model.applySettings();
			return ok(message);
		},
	},
	latest: {
		run: async model => {
			const latestOnly = !model.state.settings.latestOnly;
			model.settings.set('latestOnly', latestOnly);
			const message = `Latest only: ${latestOnly ? 'on' : 'off'}${later(model)}`;
			await model.applySettings();
			return ok(message);
		},
	},
	settings: {
		run: async (model, form) => {
			try {
				model.keepPassword(saveForm(model.settings, form));
			} catch (error) {
				return {ok: false, message: oneLine(error), silent: true};
			}

			await model.applySettings({server: true});
			return ok('connection settings saved');
		},
	},
	'test-connection': {
		run: async (model, {config, decide}) => {
			const result = await model.testConnection(config, decide);
			return {ok: result.ok, message: result.text, silent: true};
		},
	},
	trust: {
		disabledReason: ({state}) => (state.trust ? undefined : 'no certificate question is waiting'),
		run: (model, trust) => {
			model.answerTrust(trust);
			return ok(trust ? 'the certificate is trusted' : 'the certificate is refused', {silent: true});
		},
	},
	quit: {
		disabledReason: ({cancelRefusal, running}) => (running && cancelRefusal ? `${cancelRefusal}: the window stays open until the backup ends` : undefined),
		askFirst: state => (state.running
			? {
					title: 'Quit while a backup is running?',
					lines: ['The backup is cancelled cleanly: files already copied stay, a partial download', 'resumes on the next run, and the next scheduled backup runs as usual.'],
					yes: 'Cancel it and quit',
					no: 'Keep the window open',
				}
			: undefined),
		run: (model, code) => {
			model.quit(code);
			return ok('quitting', {silent: true});
		},
	},
	'accept-guard': {
		disabledReason: ({state, running}) => (running ? 'a backup is running: confirm once it has ended' : state.guard ? undefined : 'no mass change is held: pruning is on'),
		askFirst: ({guard}) => ({
			title: 'Accept the mass change?',
			lines: [
				`Pruning is off since ${guard ? whenIso(guard.since) : '?'}: a run found on the server`,
				...(guard?.suspicious ? massChangeParts(guard.suspicious) : [massChange(undefined)]).map(part => `  ${part}`),
				'Accept only if you made or expected this change: from the next run,',
				'keepSnapshots prunes again, and the snapshots before the change may go.',
			],
			yes: 'Accept, prune again',
			no: 'Keep pruning off',
		}),
		run: async model => {
			const folder = model.state.settings.backupFolder;
			try {
				const accepted = folder ? await acceptGuard(resolve(folder)) : undefined;
				await model.reloadRuns();
				return accepted ? ok('mass change accepted: snapshots are pruned again from the next run') : {ok: true, message: 'nothing to accept: pruning is on', tone: 'muted'};
			} catch (error) {
				return {ok: false, message: `not accepted: ${oneLine(error)}`, tone: 'bad'};
			}
		},
	},
	// The window opens the screen when the command runs; the screen reads the backup folder itself.
	versions: {
		disabledReason: noBackupFolder,
		run: () => ok('the Versions screen', {silent: true}),
	},
	history: {
		disabledReason: noBackupFolder,
		run: () => ok('the History screen', {silent: true}),
	},
	restore: {
		// A run renames and replaces files in the backup folder as it goes: a restore reading it meanwhile could copy half a change.
		disabledReason: context => noBackupFolder(context) ?? (context.running ? 'a backup is running: restore once it has ended' : undefined),
		run: async (model, {request, report}) => {
			try {
				const result = await restore({...request, backup: resolve(model.state.settings.backupFolder!)});
				report(result);
				const count = result.restored.length;
				return {ok: result.failed.length === 0, message: `restored ${count} ${count === 1 ? 'file' : 'files'}${result.failed.length > 0 ? `, ${result.failed.length} not` : ''}`, silent: true};
			} catch (error) {
				return {ok: false, message: oneLine(error), silent: true};
			}
		},
	},
	verify: {
		disabledReason({running, verifying, state}) {
			if (running) return 'a backup is running';
			if (verifying) return 'a verify is already running';
			if (state.blocked) return `the job is misconfigured: ${state.blocked.reason}`;
			return state.lastRun ? undefined : 'no backup has run into this folder yet';
		},
		run: model => model.verifier.start(),
	},
	'verify-cancel': {
		disabledReason: ({verifying}) => (verifying ? undefined : 'no verify is running'),
		run: model => {
			model.verifier.stop();
			return ok('the verify is being cancelled', {silent: true});
		},
	},
};

/** A command that takes no argument: a key runs it as it is. */
export type PlainCommand = {[Id in CommandId]: CommandArgs[Id] extends undefined ? Id : never}[CommandId];

export function isPlainCommand(id: string): id is PlainCommand {
	return Object.hasOwn(commands, id) && !(id in argumentOf);
}

/** The commands that take an argument, and what gives it: a key opens that screen or dialog (app.tsx), the code comes with quit. */
export const argumentOf: {readonly [Id in Exclude<CommandId, PlainCommand>]: string} = {
	'start-at': 'the Start-at dialog', folder: 'the folder chooser', settings: 'the connection settings', 'test-connection': 'the connection settings', trust: 'the trust dialog', quit: 'the exit code',
	restore: 'the Versions screen',
};

/** Why each command cannot run: the disabled ones only. */
export function disabledReasons(context: RuleContext): Partial<Record<CommandId, string>> {
	const reasons: Partial<Record<CommandId, string>> = {};
	for (const id of Object.keys(commands) as CommandId[]) {
		const reason = commands[id].disabledReason?.(context);
		if (reason) reasons[id] = reason;
	}

	return reasons;
}
