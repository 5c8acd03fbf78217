/**
 * Hash commands, for checking a file on the server without downloading it: `HASH` as in
 * draft-bryan-ftpext-hash (announced in FEAT with its algorithms, the current one starred, chosen
 * with `OPTS HASH <algorithm>`, answered `213 <algorithm> <range> <hex> <path>`), or the older
 * `XSHA256`, `XSHA1`, `XMD5` and `XCRC` (answered `250 <hex>` by proftpd, `213 <hex>` by others).
 */
import {PackratError} from '../errors.js';
import {escapeControl} from '../names.js';
import type {FtpClient} from './client.js';
import {FtpReplyError} from './control.js';

export type HashAlgorithm = 'SHA-256' | 'SHA-1' | 'MD5' | 'CRC32';

export type HashMethod = {command: 'HASH' | 'XSHA256' | 'XSHA1' | 'XMD5' | 'XCRC'; algorithm: HashAlgorithm};

/** Strongest first; at equal strength HASH before the older command. */
const preference: readonly HashMethod[] = [
	{command: 'HASH', algorithm: 'SHA-256'},
	{command: 'XSHA256', algorithm: 'SHA-256'},
	{command: 'HASH', algorithm: 'SHA-1'},
	{command: 'XSHA1', algorithm: 'SHA-1'},
	{command: 'HASH', algorithm: 'MD5'},
	{command: 'XMD5', algorithm: 'MD5'},
	{command: 'HASH', algorithm: 'CRC32'},
	{command: 'XCRC', algorithm: 'CRC32'},
];

/** Hex digits of each algorithm's digest. */
const digits: Record<HashAlgorithm, number> = {'SHA-256': 64, 'SHA-1': 40, MD5: 32, CRC32: 8};

/** The best hash method a FEAT reply announces, or undefined when it announces none packrat knows. */
export function chooseHash(features: string): HashMethod | undefined {
	const lines = features.split('\n').slice(1).map(line => line.trim().toUpperCase());
	const hashLine = lines.find(line => /^HASH\s/.test(line));
	const algorithms = new Set((hashLine?.slice(5) ?? '').split(';').map(name => name.trim().replace(/\*$/, '')));
	return preference.find(method => (method.command === 'HASH' ? algorithms.has(method.algorithm) : lines.includes(method.command)));
}

/** The server's FEAT reply, or '' when it has none. */
export async function readFeatures(client: FtpClient): Promise<string> {
	try {
		return (await client.send('FEAT')).message;
	} catch (error) {
		if (error instanceof FtpReplyError) return '';
		throw error;
	}
}

/** Clients whose session has the HASH algorithm chosen (OPTS HASH is per session). */
const selected = new WeakMap<FtpClient, HashAlgorithm>();

/**
 * The lowercase hex digest of `path` on the server. A refusal is thrown as the server's
 * FtpReplyError; a reply that carries no digest of the right length as a PackratError.
 */
export async function remoteHash(client: FtpClient, method: HashMethod, path: string): Promise<string> {
	if (method.command === 'HASH' && selected.get(client) !== method.algorithm) {
		await client.send(`OPTS HASH ${method.algorithm}`);
		selected.set(client, method.algorithm);
	}

	const reply = await client.send(`${method.command} ${path}`);
	const words = reply.message.split('\n')[0]!.slice(4).trim().split(/\s+/);
	if (method.command === 'HASH' && words[0]?.toUpperCase() !== method.algorithm) return unreadable(method, reply.message);
	// HASH: `<algorithm> <range> <hex> <path>`; the others: the digest first, or after the path.
	const candidates = method.command === 'HASH' ? [words[2]] : words;
	const isHex = (word: string | undefined): word is string => word !== undefined && /^[\da-f]+$/i.test(word);
	// A CRC32 may come without its leading zeros.
	const hex = candidates.find(word => isHex(word) && word.length === digits[method.algorithm]) ?? (method.algorithm === 'CRC32' ? candidates.find(word => isHex(word) && word.length < 8) : undefined);
	if (hex === undefined) return unreadable(method, reply.message);
	return hex.toLowerCase().padStart(digits[method.algorithm], '0');
}

function unreadable(method: HashMethod, message: string): never {
	throw new PackratError(`the server's ${method.command} reply carries no ${method.algorithm} digest: ${escapeControl(message.split('\n')[0]!)}`, 'server');
}

/** How a method is named in the summary: `SHA-256 (HASH)`, `MD5 (XMD5)`. */
export function methodName(method: HashMethod): string {
	return `${method.algorithm} (${method.command})`;
}
