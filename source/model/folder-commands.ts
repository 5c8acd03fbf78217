/**
 * The commands that act on the backup folder rather than on a run: confirm the mass-change guard's
 * hold, open the Versions and History screens, restore, and verify (and cancel it). They are part
 * of the one `commands` table (commands.ts), which the key map, the footer and the help read.
 */
import {resolve} from 'node:path';
import {oneLine} from '../backup/errors.js';
import {acceptGuard} from '../backup/guard.js';
import {massChange, massChangeParts, whenIso} from '../format.js';
import {restore} from '../restore/restore.js';
import {ok, type Command, type RuleContext} from './command-types.js';

type FolderCommandId = 'accept-guard' | 'versions' | 'history' | 'restore' | 'verify' | 'verify-cancel';

const noBackupFolder = ({state}: RuleContext) => (state.settings.backupFolder ? undefined : 'no backup folder is set (press f to choose one)');

export const folderCommands: {[Id in FolderCommandId]: Command<Id>} = {
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
		// A verify holds the run lock for its whole length, so a restore waits for it too.
		disabledReason: context => noBackupFolder(context) ?? (context.running ? 'a backup is running: restore once it has ended' : context.verifying ? 'a verify is running: restore once it has ended' : undefined),
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
