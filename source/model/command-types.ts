/**
 * The shape of a command (commands.ts): the argument each one takes, the rule it answers to
 * (`disabledReason`, on a `RuleContext`), what it does (`run`, on the `Model` the Session hands
 * it) and what it says back (`Outcome`).
 */
import type {ServerConfig, TrustDecider} from '../backup/remote.js';
import type {RestoreRequest, RestoreResult} from '../restore/restore.js';
import type {SettingsStore} from '../settings/store.js';
import type {Form, TestResult} from './connection-form.js';
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

/** One command: its rule, its question, what it does. */
export type Command<Id extends CommandId> = {
	/** Why the command cannot run now, or undefined when it can. */
	disabledReason?: (context: RuleContext) => string | undefined;
	/** The question the window asks before running it (the command line and the socket do not ask). */
	askFirst?: (state: SessionState) => Question | undefined;
	run: (model: Model, arg: CommandArgs[Id]) => Outcome | Promise<Outcome>;
};

/** The argument of a command, as `Session.run` takes it: nothing for a command that takes none. */
export type ArgOf<Id extends CommandId> = CommandArgs[Id] extends undefined ? [] : [CommandArgs[Id]];

/** A command that went well, with its message. */
export const ok = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ok: true, message, tone: 'ok', ...extra});
