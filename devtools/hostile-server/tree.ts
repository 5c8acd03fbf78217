/**
 * The hostile server's files: an in-memory tree given as `path → contents`, with the LIST and
 * MLSD lines an honest server would write for it. Tests change it between runs.
 */
import {ftpTime} from '../ftp-server/listing.js';

export type FileInput = string | Buffer | {data: string | Buffer; mtime?: Date};
export type TreeInput = Record<string, FileInput>;
export type HostileFile = {data: Buffer; mtime: Date};

const defaultTime = new Date('2026-11-20T03:00:00Z');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `/a/b/` → `/a/b`; `a` → `/a`. */
export function normalize(path: string): string {
	const clean = `/${path}`.replace(/\/+/g, '/');
	return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

export class HostileTree {
	readonly files = new Map<string, HostileFile>();
	readonly folders = new Set<string>(['/']);

	constructor(input: TreeInput) {
		for (const [path, contents] of Object.entries(input)) {
			if (path.endsWith('/')) this.folder(normalize(path));
			else this.put(path, contents);
		}
	}

	put(path: string, contents: FileInput): void {
		const normal = normalize(path);
		const file = typeof contents === 'string' || Buffer.isBuffer(contents) ? {data: contents} : contents;
		this.files.set(normal, {data: Buffer.from(file.data), mtime: file.mtime ?? defaultTime});
		this.folder(normal.slice(0, normal.lastIndexOf('/')) || '/');
	}

	folder(path: string): void {
		for (let at = path; at !== '/' && at !== ''; at = at.slice(0, at.lastIndexOf('/')) || '/') this.folders.add(at);
	}

	/** Resolve a command's argument against the current folder. */
	resolve(cwd: string, argument: string): string {
		return normalize(argument.startsWith('/') ? argument : `${cwd}/${argument}`);
	}

	/** The names directly in `folder`: [name, file or undefined for a folder]. */
	children(folder: string): Array<[string, HostileFile | undefined]> {
		const prefix = folder === '/' ? '/' : `${folder}/`;
		const direct = (path: string) => path.startsWith(prefix) && path !== folder && !path.slice(prefix.length).includes('/');
		const entries: Array<[string, HostileFile | undefined]> = [];
		for (const path of this.folders) if (direct(path)) entries.push([path.slice(prefix.length), undefined]);
		for (const [path, file] of this.files) if (direct(path)) entries.push([path.slice(prefix.length), file]);
		return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	}

	/** vsftpd's LIST lines for a folder. */
	listLines(folder: string): string[] {
		return this.children(folder).map(([name, file]) => {
			const date = file?.mtime ?? defaultTime;
			const when = `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2)} ${date.getUTCFullYear()}`;
			return `${file ? '-rw-r--r--' : 'drwxr-xr-x'}    1 1000     1000     ${String(file?.data.length ?? 4096).padStart(8)} ${when} ${name}`;
		});
	}

	/** RFC 3659 MLSD lines for a folder. */
	mlsdLines(folder: string): string[] {
		return this.children(folder).map(([name, file]) =>
			file ? `type=file;size=${file.data.length};modify=${ftpTime(file.mtime)}; ${name}` : `type=dir;modify=${ftpTime(defaultTime)}; ${name}`,
		);
	}
}
