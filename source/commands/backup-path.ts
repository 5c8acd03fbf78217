/**
 * Where `packrat versions` and `packrat restore` look: the backup folder from the settings, as
 * for `packrat run` (`--profile NAME`, `--folder DIR` for this once), and PATH read as a path on
 * the server below its root. Their words and flags are read by commands/args.ts.
 */
import {stat} from 'node:fs/promises';
import {resolve} from 'node:path';
import {PackratError} from '../backup/errors.js';
import {normalizeRoot} from '../backup/names.js';
import {serverPath, type ServerPath} from '../restore/server-path.js';
import {readSettings} from '../settings/read.js';

export type BackupPathFlags = {path: string; folder?: string; profile?: string};

export type BackupPath = {
	path: ServerPath;
	/** The server root, normalized (`/` or `/data`). */
	root: string;
	/** The backup folder, absolute. */
	backup: string;
};

/** The backup folder and PATH in it; a PackratError (`config`, exit 2) when either cannot be used. */
export async function backupPath(flags: BackupPathFlags): Promise<BackupPath> {
	const settings = readSettings(flags.profile);
	const folder = flags.folder ?? settings.backupFolder;
	if (!folder) throw new PackratError('no backup folder is set: packrat config set backupFolder DIR, or --folder DIR', 'config', 'backupFolder');
	const backup = resolve(folder);
	const found = await stat(backup).catch(() => undefined);
	if (!found?.isDirectory()) throw new PackratError(`the backup folder ${backup} is not there (is the disk mounted?): check backupFolder or --folder`, 'config', 'backupFolder');
	const root = normalizeRoot(settings.server.root);
	return {path: serverPath(flags.path, root), root, backup};
}
