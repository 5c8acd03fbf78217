/**
 * Whether a folder can be written, tried with a real file (which also catches read-only mounts
 * and root-squashed shares): for the backup folder before a run, and in the folder chooser.
 */
import {randomBytes} from 'node:crypto';
import {rm, stat, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Why a file cannot be made in this existing folder, or undefined. */
export async function writeProblem(folder: string): Promise<string | undefined> {
	const probe = join(folder, `.packrat-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
	try {
		await writeFile(probe, '', {flag: 'wx', mode: 0o600});
		await rm(probe, {force: true});
		return undefined;
	} catch (error) {
		return code(error);
	}
}

/** Why the backup folder cannot be written, or undefined. A missing folder whose parent can be written is fine: the run makes it. */
export async function folderProblem(folder: string): Promise<string | undefined> {
	try {
		if (!(await stat(folder)).isDirectory()) return 'it is not a folder';
		return await writeProblem(folder);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return code(error);
		try {
			if (!(await stat(dirname(folder))).isDirectory()) return 'its parent is not a folder';
		} catch {
			return 'neither it nor its parent folder exists';
		}

		const parent = await writeProblem(dirname(folder));
		return parent ? `it does not exist and cannot be made: ${parent}` : undefined;
	}
}
