/**
 * A PATH given to `packrat versions` or `packrat restore`: the path as it is on the server. The
 * backup folder mirrors what lies below the server root, so a PATH under `server.root` is read
 * relative to it (`/data/alice/x` with root `/data` is `alice/x`); any other PATH is read as a
 * path below the root already (`/alice/x`). Names are matched exactly, byte for byte.
 */
import {PackratError} from '../backup/errors.js';

export type ServerPath = {
	/** Path components below the server root; empty for the root itself. */
	parts: string[];
	/** The PATH ended in `/` (or is the root): a folder is asked for. */
	folder: boolean;
	/** The path to show: as on the server, root included. */
	shown: string;
};

/** Read PATH against the server root (normalized: `/` or `/data`). Bad usage throws a config error. */
export function serverPath(path: string, root = '/'): ServerPath {
	if (path === '') throw new PackratError('PATH is empty: give the path of a file or folder as it is on the server, e.g. /alice/Website/index.html', 'config');
	let relative = path;
	let prefix = '';
	if (root !== '/' && (path === root || path.startsWith(`${root}/`))) {
		relative = path.slice(root.length);
		prefix = root;
	}

	const parts = relative.split('/').filter(part => part !== '');
	const bad = parts.find(part => part === '.' || part === '..' || part.includes('\0'));
	if (bad !== undefined) throw new PackratError(`PATH holds ${JSON.stringify(bad)}, which no server name can be: give the path as it is on the server`, 'config');
	return {parts, folder: parts.length === 0 || relative.endsWith('/'), shown: `${prefix}/${parts.join('/')}`};
}
