/**
 * Settings stored with conf at `$XDG_CONFIG_HOME/packrat/<profile>.json` (mode 0600), checked
 * against the schema made from the key table. A damaged file is one line naming the file.
 */
import {chmodSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import Conf from 'conf';
import {PackratError} from '../backup/errors.js';
import {confSchema, findKey, keySpecs, parseValue, type Settings} from './keys.js';

export function configFolder(): string {
	const base = process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
	return join(base, 'packrat');
}

export function stateFolder(): string {
	const base = process.env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
	return join(base, 'packrat');
}

export function checkProfile(profile: string | undefined): string {
	if (profile === undefined) return 'config';
	if (!/^[\w.-]{1,64}$/.test(profile) || profile.startsWith('.')) {
		throw new PackratError(`--profile must be a name of letters, digits, ".", "_" or "-" (got ${JSON.stringify(profile)})`, 'config');
	}

	return profile;
}

function deepGet(object: unknown, key: string): unknown {
	let value = object;
	for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
	return value;
}

export class SettingsStore {
	private readonly conf: Conf<Record<string, unknown>>;

	constructor(readonly profile?: string) {
		const configName = checkProfile(profile);
		const cwd = configFolder();
		const path = join(cwd, `${configName}.json`);
		try {
			this.conf = new Conf({projectName: 'packrat', projectSuffix: '', cwd, configName, schema: confSchema(), configFileMode: 0o600, clearInvalidConfig: false});
		} catch (error) {
			throw damaged(path, error);
		}
	}

	private tighten(): void {
		try {
			chmodSync(this.conf.path, 0o600);
		} catch {
			// Not written yet.
		}
	}

	get path(): string {
		return this.conf.path;
	}

	/** The stored value of a key, or undefined. */
	get(key: string): unknown {
		return deepGet(this.conf.store, key);
	}

	/** Parse, check and store a value given as text; throws one line naming the key. */
	setText(key: string, text: string): void {
		const spec = findKey(key);
		if (!spec) throw unknownKey(key);
		let value: string | number | boolean;
		try {
			value = parseValue(spec, text);
		} catch (error) {
			throw new PackratError((error as Error).message, 'config');
		}

		this.set(key, value);
	}

	set(key: string, value: unknown): void {
		try {
			this.conf.set(key, value);
			this.tighten();
		} catch (error) {
			throw new PackratError(`${key}: ${(error as Error).message}`, 'config');
		}
	}

	delete(key: string): void {
		this.conf.delete(key);
		this.tighten();
	}

	/** Every setting, with the defaults of the table filled in. */
	all(): Settings {
		const result: Record<string, unknown> = {};
		for (const spec of keySpecs) {
			const value = this.get(spec.key) ?? spec.default;
			if (value === undefined) continue;
			const [head, tail] = spec.key.split('.') as [string, string | undefined];
			if (tail === undefined) result[head] = value;
			else ((result[head] ??= {}) as Record<string, unknown>)[tail] = value;
		}

		result['server'] ??= {};
		result['hooks'] ??= {};
		return result as Settings;
	}
}

export function unknownKey(key: string): PackratError {
	return new PackratError(`unknown setting ${JSON.stringify(key)}; the keys are: ${keySpecs.map(spec => spec.key).join(', ')}`, 'config');
}

/** conf's "Config schema violation: `server/port` must be <= 65535" → "server.port must be a whole number from 1 to 65535". */
export function explainViolation(message: string): string {
	const path = /`([^`]+)`/.exec(message)?.[1]?.replaceAll('/', '.');
	const spec = path ? findKey(path) : undefined;
	return spec ? `${spec.key} must be ${spec.accepts}` : message;
}

function damaged(path: string, error: unknown): PackratError {
	const message = explainViolation((error as Error).message.split('\n')[0]!);
	return new PackratError(`the settings file ${path} is damaged (${message}): fix it, or move it away to start afresh`, 'config');
}
