/**
 * What happens around every run, in the window and in `packrat run` alike: the alerts of
 * `notify.url` (`beforeRun` sends the start ping, `afterRun` the end one), and `hooks.afterRun`, a
 * shell command run after each run, with the outcome, the counts and the log path in its
 * environment and a time limit. Their results and the hook's output go to the transfer log; an
 * alert or a hook that fails or runs too long is logged there too, and never fails the run.
 */
import {join} from 'node:path';
import {oneLine} from './backup/errors.js';
import type {Summary} from './backup/events.js';
import {appendSafely, errorLogName, formatLogLine, transferLogPath, type Level} from './backup/logs.js';
import {escapeControl} from './backup/names.js';
import {endAlerts, startAlerts, type RunAlerts} from './alerts/run-alerts.js';

export const hookTimeoutMs = 5 * 60_000;
const killGraceMs = 5000;
const maxLines = 1000;

export type HookLog = (line: string, level?: Level) => void;

/** The environment a hook sees: the caller's, without the password, plus the run's figures. */
export function hookEnvironment(summary: Summary, logPath: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const {PACKRAT_PASSWORD: _password, ...rest} = base;
	return {
		...rest,
		PACKRAT_OUTCOME: summary.outcome,
		PACKRAT_FILES: String(summary.counts.downloaded),
		PACKRAT_BYTES: String(summary.bytes),
		PACKRAT_LOG: logPath,
		PACKRAT_UNCHANGED: String(summary.counts.unchanged),
		PACKRAT_FAILED: String(summary.counts.failed),
		PACKRAT_SKIPPED: String(summary.counts.skipped),
		PACKRAT_ERRORS: String(summary.errors),
		PACKRAT_MODE: summary.mode,
		PACKRAT_TARGET: summary.target,
		PACKRAT_STARTED: summary.started,
		PACKRAT_ENDED: summary.ended,
	};
}

/**
 * Run the hook, if one is set, and wait for it. `log` gets each line it printed (stdout and
 * stderr), then one line if it failed; nothing is thrown.
 */
export async function runAfterRunHook(command: string | undefined, summary: Summary, logPath: string, log: HookLog, timeoutMs = hookTimeoutMs): Promise<void> {
	if (command === undefined || command.trim() === '') return;
	const started = Date.now();
	let timedOut = false;
	let killTimer: ReturnType<typeof setTimeout> | undefined;
	try {
		// Its own process group, so that a time limit stops the shell and whatever it started.
		// execa is loaded only when there is a hook to run: it is the heaviest module packrat has.
		const {execa} = await import('execa');
		const subprocess = execa(command, {
			shell: true, detached: true, stdin: 'ignore', all: true, lines: true, reject: false, stripFinalNewline: true,
			env: hookEnvironment(summary, logPath), extendEnv: false, maxBuffer: maxLines,
		});
		const killGroup = (signal: NodeJS.Signals) => {
			try {
				if (subprocess.pid !== undefined) process.kill(-subprocess.pid, signal);
			} catch {
				// Already gone.
			}
		};

		const limit = setTimeout(() => {
			timedOut = true;
			killGroup('SIGTERM');
			killTimer = setTimeout(() => killGroup('SIGKILL'), killGraceMs);
			killTimer.unref();
		}, timeoutMs);
		const result = await subprocess.finally(() => clearTimeout(limit));
		for (const line of result.all ?? []) log(`hook: ${line}`);
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		if (timedOut) log(`hook stopped after the time limit of ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)}s` : `${timeoutMs}ms`}`, 'ERROR');
		else if (result.isMaxBuffer) log(`hook printed more than ${maxLines} lines; the rest is not logged`, 'WARN');
		else if (result.failed) log(`hook failed (${describeFailure(result)}) after ${seconds}s`, 'ERROR');
		else log(`hook done in ${seconds}s`);
	} catch (error) {
		log(`hook could not be run: ${oneLine(error)}`, 'ERROR');
	} finally {
		if (killTimer) clearTimeout(killTimer);
	}
}

function describeFailure(result: {exitCode?: number; signal?: string; shortMessage?: string}): string {
	if (result.exitCode !== undefined) return `exit code ${result.exitCode}`;
	if (result.signal) return `killed by ${result.signal}`;
	return (result.shortMessage ?? 'unknown error').split('\n')[0]!;
}

/**
 * A `log` for runAfterRunHook that appends to the transfer log of a backup folder (event `hook`),
 * never through a symlink; errors go to the error log too, as the run's own errors do.
 */
export function hookLogger(backupFolder: string, now: () => Date = () => new Date()): HookLog {
	return folderLogger(backupFolder, 'hook', 'hooks.afterRun', now);
}

/** Lines of an after-run step into the backup folder's transfer log (ERROR ones into the error log too), never throwing. */
function folderLogger(backupFolder: string, event: string, setting: string, now: () => Date = () => new Date()): HookLog {
	const transferPath = transferLogPath(backupFolder);
	const errorPath = join(backupFolder, errorLogName);
	return (line, level = 'INFO') => {
		const time = now();
		try {
			appendSafely(transferPath, `${formatLogLine(time, level, event, setting, {reply: line})}\n`);
			if (level === 'ERROR') appendSafely(errorPath, `${time.toISOString()}\t${setting}\t${escapeControl(line)}\n`);
		} catch {
			// A log that cannot be written must not turn a finished run into a failure.
		}
	};
}

export {transferLogPath} from './backup/logs.js';

/** Before every run, in the window and in `packrat run` alike: the start alert, sent while the run goes on. */
export function beforeRun(notifyUrl: string | undefined, job: {mode: string}): RunAlerts {
	return startAlerts(notifyUrl, job.mode);
}

/**
 * The one after-run path of the window and of `packrat run` (the run itself has written the
 * history): the alerts of the run, their results logged (event `alert`), then the hook.
 */
export async function afterRun(hook: string | undefined, summary: Summary, backupFolder: string, alerts?: RunAlerts): Promise<void> {
	if (alerts) {
		const log = folderLogger(backupFolder, 'alert', 'notify.url');
		for (const result of await endAlerts(alerts, summary, backupFolder)) log(result.line, result.ok ? 'INFO' : 'WARN');
	}

	await runAfterRunHook(hook, summary, transferLogPath(backupFolder), hookLogger(backupFolder));
}
