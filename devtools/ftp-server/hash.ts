// Hash commands for the test server, behind its `hash` option: `HASH` as in draft-bryan-ftpext-hash
// (FEAT `HASH SHA-256;SHA-1;MD5*`, MD5 current until `OPTS HASH` chooses another; reply
// `213 <algorithm> 0-<last byte> <hex> <path>`), or `XMD5` answered `250 <hex>` as proftpd's
// mod_digest answers it.
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import type {Connection} from './internals.js';

export type HashCommand = 'HASH' | 'XMD5';

const algorithms = {'SHA-256': 'sha256', 'SHA-1': 'sha1', MD5: 'md5'} as const;
type Algorithm = keyof typeof algorithms;
const byDefault: Algorithm = 'MD5';

/** The algorithm each session chose with OPTS HASH. */
const chosen = new WeakMap<Connection, Algorithm>();

/** The FEAT lines of a hash option. */
export function hashFeatures(hash: HashCommand | false): string[] {
	if (hash === 'HASH') return [`HASH ${Object.keys(algorithms).map(name => (name === byDefault ? `${name}*` : name)).join(';')}`];
	return hash === 'XMD5' ? ['XMD5'] : [];
}

/** `OPTS HASH [algorithm]`: choose one, or ask which is current. */
export async function optsHash(connection: Connection, hash: HashCommand | false, argument: string): Promise<unknown> {
	if (hash !== 'HASH') return connection.reply(501, 'Option not understood.');
	const name = argument.trim().toUpperCase();
	if (name === '') return connection.reply(200, chosen.get(connection) ?? byDefault);
	if (!(name in algorithms)) return connection.reply(504, 'Unknown algorithm.');
	chosen.set(connection, name as Algorithm);
	return connection.reply(200, name);
}

async function digest(fsPath: string, algorithm: Algorithm): Promise<string | undefined> {
	const stats = await stat(fsPath).catch(() => undefined);
	if (!stats?.isFile()) return undefined;
	const hash = createHash(algorithms[algorithm]);
	for await (const chunk of createReadStream(fsPath)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** `HASH <path>` or `XMD5 <path>`, when the server offers that command (else 500, as for any unknown one). */
export async function answerHash(connection: Connection, hash: HashCommand | false, directive: HashCommand, given: string | null): Promise<unknown> {
	if (hash !== directive) return connection.reply(500, 'Unknown command.');
	if (!given) return connection.reply(501, 'A path is needed.');
	const {fsPath, clientPath} = connection.fs!._resolvePath(given);
	const algorithm = directive === 'XMD5' ? 'MD5' : (chosen.get(connection) ?? byDefault);
	const hex = await digest(fsPath, algorithm);
	if (hex === undefined) return connection.reply(550, `${given}: No such file.`);
	if (directive === 'XMD5') return connection.reply(250, hex);
	const {size} = await stat(fsPath);
	return connection.reply(213, `${algorithm} 0-${Math.max(0, size - 1)} ${hex} ${clientPath}`);
}
