/**
 * Settings stored with conf at `$XDG_CONFIG_HOME/packrat/<profile>.json` (mode 0600), checked
 * against the schema made from the key table. A damaged file is one line naming the file.
 */
import {chmodSync} from 'node:fs';
import Conf from 'conf';
import {oneLine, PackratError} from '../backup/errors.js';
import {confSchema, findKey, keySpecs, parseValue, type Settings} from './keys.js';
import {checkProfile, configFolder, damaged, deepGet, readStored, settingsPath, withDefaults} from './read.js';

export {checkProfile, configFolder, stateFolder} from './read.js';

export class SettingsStore {
	private readonly conf: Conf<Record<string, unknown>>;

	constructor(readonly profile?: string) {
		const configName = checkProfile(profile);
		const path = settingsPath(profile);
		try {
			this.conf = new Conf({projectName: 'packrat', projectSuffix: '', cwd: configFolder(), configName, schema: confSchema(), configFileMode: 0o600, clearInvalidConfig: false});
		} catch (error) {
			// conf's text is not read back: the file is checked again by read.ts, whose violation
			// names the key in the key table's words; conf's own line only if that finds nothing.
			readStored(profile);
			throw damaged(path, oneLine(error));
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
		return withDefaults(this.conf.store);
	}
}

export function unknownKey(key: string): PackratError {
	return new PackratError(`unknown setting ${JSON.stringify(key)}; the keys are: ${keySpecs.map(spec => spec.key).join(', ')}`, 'config');
}
