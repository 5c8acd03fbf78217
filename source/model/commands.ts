/**
 * Every action of the window as one command: an id, the rule that says when it is allowed
 * (`disabledReason`, read from the model's state) and what it does (`run`). A key (through the
 * key map), a request on the control socket (`packrat now`, `packrat cancel`) and the tests all
 * reach a command through `Session.run`, which asks the rule first: the cancel policy, for one,
 * is written once, below. The footer and the `?` help show a disabled command with its reason;
 * a command that asks first carries its question here. Those that act on the backup folder are
 * in folder-commands.ts, part of this one table; their shape is in command-types.ts.
 */
import {resolve} from 'node:path';
import {oneLine} from '../backup/errors.js';
import {when} from '../format.js';
import {ok, type Command, type CommandArgs, type CommandId, type Model, type RuleContext} from './command-types.js';
import {saveForm} from './connection-form.js';
import {folderCommands} from './folder-commands.js';

export type {ArgOf, Command, CommandArgs, CommandId, Model, Outcome, Question, RuleContext} from './command-types.js';

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
	...folderCommands,
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
