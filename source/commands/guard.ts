/**
 * `packrat guard [--accept] [--folder DIR] [--profile NAME] [--json]`: the mass-change guard of a
 * backup folder. Alone, it says whether pruning is held off, and exits 1 while it is (0 when not),
 * so a monitoring system can call it. With `--accept`, the user confirms the mass change: pruning
 * is on again from the next run; exit 0, also when there was nothing to accept (accepting twice
 * is no error). 2 for bad usage or settings, as every command.
 */
import {lstat} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {PackratError} from '../backup/errors.js';
import type {GuardHold, Summary} from '../backup/events.js';
import {acceptGuard, confirmCommand, readGuard} from '../backup/guard.js';
import {stateFolderName} from '../backup/history.js';
import {jsonLine} from '../backup/names.js';
import {massChange, whenIso} from '../format.js';
import {readSettings} from '../settings/read.js';
import {escapedOut, type Out} from './out.js';

export type GuardFlags = {accept: boolean; folder?: string; profile?: string; json: boolean};

/** A word of a shell command, quoted when it needs to be. */
function shellWord(word: string): string {
	return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll('\'', '\'\\\'\'')}'`;
}

/** The command that confirms, with the folder and profile a run was given. */
export function confirmWith(options: {folder?: string; profile?: string} = {}): string {
	return [confirmCommand, options.folder ? `--folder ${shellWord(options.folder)}` : '', options.profile ? `--profile ${shellWord(options.profile)}` : ''].filter(Boolean).join(' ');
}

const since = (hold: GuardHold) => whenIso(hold.since);

/** The line `packrat run` prints after its summary when the guard flagged this run or still holds pruning off, else undefined. */
export function guardLine(summary: Summary, confirm = confirmCommand): string | undefined {
	if (summary.suspicious) return `Suspicious: ${massChange(summary.suspicious)} — pruning is off until you confirm: ${confirm}`;
	if (summary.guard) return `Pruning is still off: a run on ${since(summary.guard)} found ${massChange(summary.guard.suspicious)} — confirm with: ${confirm}`;
	return undefined;
}

export async function guardCommand(flags: GuardFlags, raw: Out): Promise<number> {
	// Escaped on the way out, as every headless command's lines are: a folder's name may hold anything.
	const out = escapedOut(raw, flags.json);
	const given = flags.folder ?? readSettings(flags.profile).backupFolder;
	if (!given) throw new PackratError('no backup folder is set: packrat config set backupFolder DIR, or --folder DIR', 'config', 'backupFolder');
	const folder = resolve(given);
	if (!(await lstat(join(folder, stateFolderName)).catch(() => undefined))?.isDirectory()) {
		throw new PackratError(`${folder} holds no packrat backup (no ${stateFolderName} folder in it): give the backup folder with --folder DIR`, 'config', 'backupFolder');
	}

	if (flags.accept) {
		const hold = await acceptGuard(folder);
		if (flags.json) out.line(jsonLine({accepted: hold !== undefined, folder, ...hold}));
		else if (hold) out.line(`Accepted: ${massChange(hold.suspicious)} (held since ${since(hold)}). Snapshots are pruned again from the next run.`);
		else out.line(`Nothing to accept in ${folder}: no mass change is held, pruning is on.`);
		return 0;
	}

	const hold = await readGuard(folder);
	if (flags.json) out.line(jsonLine({held: hold !== undefined, folder, ...hold}));
	else if (hold) {
		out.line(`SUSPICIOUS since ${since(hold)}: ${massChange(hold.suspicious)}.`);
		out.line(`No snapshot is pruned in ${folder} until you confirm: ${confirmWith({folder: flags.folder, profile: flags.profile})}`);
	} else {
		out.line(`No mass change is held in ${folder}: pruning is on.`);
	}

	return hold ? 1 : 0;
}
