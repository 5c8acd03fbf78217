/**
 * The window's verify (`y`): one at a time, over the job of the settings (with a password typed in
 * the window), its events folded into the window's state. It holds the run lock while it goes, so
 * the Session lets no backup start meanwhile: `n` says why, a scheduled one waits for it.
 */
import {oneLine} from '../backup/errors.js';
import type {Settings} from '../settings/keys.js';
import {toJob} from '../settings/job.js';
import {verifyBackup, type VerifyOptions} from '../verify/verify.js';
import type {VerifyEvent, VerifySummary} from '../verify/report.js';
import type {Outcome} from './commands.js';
import {foldVerify, isUrgentVerify, startingVerify, type VerifyView} from './verify-state.js';

export type VerifyEngine = (options: VerifyOptions) => Promise<VerifySummary>;

type Options = {
	/** The settings and the password typed in the window, read when a verify starts. */
	settings: () => Settings;
	password: () => string | undefined;
	/** Change the window's view of the verify; `urgent` tells the listeners at once. */
	update: (change: (view: VerifyView | undefined) => VerifyView | undefined, urgent: boolean) => void;
	/** The verify itself (a test's fake), else `verifyBackup`. */
	engine: () => VerifyEngine | undefined;
};

export class Verifier {
	private controller: AbortController | undefined;
	private current: Promise<unknown> | undefined;

	constructor(private readonly options: Options) {}

	get running(): boolean {
		return this.current !== undefined;
	}

	/** Resolves once no verify is going on. */
	get settled(): Promise<void> {
		return Promise.resolve(this.current).then(() => undefined, () => undefined);
	}

	/** Start a verify: it has started, or the outcome says why not. */
	start(samplePercent = 0): Outcome {
		if (this.current) return {ok: false, message: 'a verify is already running', tone: 'warn'};
		let job;
		try {
			job = toJob(this.options.settings());
		} catch (error) {
			const refused = oneLine(error);
			this.options.update(() => ({...startingVerify(), running: false, phase: 'done', refused}), true);
			return {ok: false, message: `not verified: ${refused}`, tone: 'bad'};
		}

		const password = this.options.password();
		if (password !== undefined) job = {...job, server: {...job.server, password}};
		const controller = new AbortController();
		this.controller = controller;
		this.options.update(() => startingVerify(), true);
		const onEvent = (event: VerifyEvent) => this.options.update(view => foldVerify(view ?? startingVerify(), event), isUrgentVerify(event));
		const engine = this.options.engine() ?? verifyBackup;
		this.current = engine({job, samplePercent, signal: controller.signal, onEvent})
			.catch((error: unknown) => this.options.update(view => ({...(view ?? startingVerify()), running: false, phase: 'done', refused: oneLine(error)}), true))
			.finally(() => {
				this.current = undefined;
				this.controller = undefined;
			});
		return {ok: true, message: 'a verify started', silent: true};
	}

	/** Stop the verify going on: it stops at the next request, and says Cancelled. */
	stop(): void {
		if (!this.controller) return;
		this.options.update(view => (view ? {...view, cancelling: true} : view), true);
		this.controller.abort();
	}
}
