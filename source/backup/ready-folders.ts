/**
 * The scan's files handed on as it goes, a folder at a time: a folder listed whole with its times
 * (MLSD) at once, one whose times come by MDTM once the last of them is answered. A run plans
 * and downloads them while the scan lists on (run.ts); Latest only needs no more, as a project's
 * versions are in one folder. Files the server gave no time are left out, as in the scan's result.
 */
/** A file as the scan holds it: its time is NaN until an MDTM gives it. */
type Timed = {mtime: number};

export class ReadyFolders<RemoteFile extends Timed> {
	/** Files waiting for their MDTMs, each with its folder's count of those still unanswered. */
	private readonly waiting = new Map<RemoteFile, {files: RemoteFile[]; left: number}>();
	private readonly readying: Array<Promise<void>> = [];

	constructor(private readonly ready?: (files: RemoteFile[]) => Promise<void>) {}

	/** A folder's files, just listed. */
	listed(files: RemoteFile[]): void {
		if (!this.ready) return;
		const unknown = files.filter(file => Number.isNaN(file.mtime));
		if (unknown.length === 0) this.whole(files);
		const folder = {files, left: unknown.length};
		for (const file of unknown) this.waiting.set(file, folder);
	}

	/** The MDTMs of `files` were answered (a time, or a refusal): one call for a batch, not one a file. */
	answered(files: RemoteFile[]): void {
		for (const file of files) {
			const folder = this.waiting.get(file);
			if (folder && this.waiting.delete(file) && --folder.left === 0) this.whole(folder.files);
		}
	}

	/** What `ready` does for the folders a step of the scan completed, awaited before the step counts as done. */
	async flush(): Promise<void> {
		while (this.readying.length > 0) await Promise.all(this.readying.splice(0));
	}

	private whole(files: RemoteFile[]): void {
		const known = files.filter(file => !Number.isNaN(file.mtime));
		if (known.length > 0) this.readying.push(this.ready!(known));
	}
}
