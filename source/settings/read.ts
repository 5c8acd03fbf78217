/**
 * Reading the settings without conf: where they live, and the stored file checked against the
 * same schema conf enforces (confSchema() of the key table), by a validator for the small part
 * of JSON Schema that schema uses. `packrat run` and `packrat status` only read their settings,
 * and conf loads and compiles ajv on every start: 104 ms of CPU, measured, against 7 ms for this
 * reading. Every write still goes through conf (store.ts), which checks the whole file again and
 * keeps it at mode 0600.
 */
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join, resolve} from 'node:path';
import {oneLine, PackratError} from '../backup/errors.js';
import {confSchema, findKey, keySpecs, type Settings} from './keys.js';

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

/** The settings file of a profile: the path conf uses, absolute even when XDG_CONFIG_HOME is not. */
export function settingsPath(profile?: string): string {
	return resolve(configFolder(), `${checkProfile(profile)}.json`);
}

/** The value at a dotted key (`server.port`) of a stored object. */
export function deepGet(object: unknown, key: string): unknown {
	let value = object;
	for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
	return value;
}

/** Every setting of a stored object, with the defaults of the table filled in. */
export function withDefaults(stored: unknown): Settings {
	const result: Record<string, unknown> = {};
	for (const spec of keySpecs) {
		const value = deepGet(stored, spec.key) ?? spec.default;
		if (value === undefined) continue;
		const [head, tail] = spec.key.split('.') as [string, string | undefined];
		if (tail === undefined) result[head] = value;
		else ((result[head] ??= {}) as Record<string, unknown>)[tail] = value;
	}

	result['server'] ??= {};
	result['hooks'] ??= {};
	result['notify'] ??= {};
	return result as Settings;
}

type Schema = {anyOf?: Schema[]; type?: string; enum?: unknown[]; pattern?: string; minimum?: number; maximum?: number; properties?: Record<string, Schema>; additionalProperties?: boolean};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function typeOk(type: string, value: unknown): boolean {
	switch (type) {
		case 'object':
			return isObject(value);
		case 'string':
			return typeof value === 'string';
		case 'boolean':
			return typeof value === 'boolean';
		case 'integer':
			return Number.isInteger(value);
		default:
			throw new Error(`the settings schema uses type ${type}, which read.ts does not check`);
	}
}

const knownKeywords = new Set(['anyOf', 'type', 'enum', 'pattern', 'minimum', 'maximum', 'properties', 'additionalProperties']);

/** Where a stored file breaks the schema (`server/port`, as conf writes it) and what it breaks, in conf's words. */
export type Violation = {path: string; says: string};

/**
 * The first place where `value` breaks `schema`, or undefined. Only the keywords confSchema()
 * uses are known; any other one throws, so that the schema cannot grow a rule this check would
 * silently skip.
 */
export function schemaViolation(schema: Schema, value: unknown, path = ''): Violation | undefined {
	for (const keyword of Object.keys(schema)) {
		if (!knownKeywords.has(keyword)) throw new Error(`the settings schema uses ${keyword}, which read.ts does not check`);
	}

	const at = (says: string): Violation => ({path, says});
	if (schema.anyOf && schema.anyOf.every(inner => schemaViolation(inner, value, path))) return at('must match a schema in anyOf');
	if (schema.type !== undefined && !typeOk(schema.type, value)) return at(`must be ${schema.type}`);
	if (schema.enum && !schema.enum.includes(value)) return at('must be equal to one of the allowed values');
	if (typeof value === 'string' && schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return at(`must match pattern "${schema.pattern}"`);
	if (typeof value === 'number') {
		if (schema.minimum !== undefined && value < schema.minimum) return at(`must be >= ${schema.minimum}`);
		if (schema.maximum !== undefined && value > schema.maximum) return at(`must be <= ${schema.maximum}`);
	}

	if (isObject(value)) {
		const properties = schema.properties ?? {};
		if (schema.additionalProperties === false) {
			const extra = Object.keys(value).find(key => !Object.hasOwn(properties, key));
			if (extra !== undefined) return at('must NOT have additional properties');
		}

		for (const [key, inner] of Object.entries(properties)) {
			if (value[key] === undefined) continue;
			const found = schemaViolation(inner, value[key], path === '' ? key : `${path}/${key}`);
			if (found) return found;
		}
	}

	return undefined;
}

/** The root schema conf compiles from confSchema(): an object with those properties. */
export function rootSchema(): Schema {
	return {type: 'object', properties: confSchema() as Record<string, Schema>};
}

/** A violation in the key table's words ("server.port must be a whole number from 1 to 65535"), else in conf's. */
function explain({path, says}: Violation): string {
	const spec = findKey(path.replaceAll('/', '.'));
	return spec ? `${spec.key} must be ${spec.accepts}` : `Config schema violation: \`${path}\` ${says}`;
}

/** A settings file that cannot be used; `why` is one line. */
export function damaged(path: string, why: string): PackratError {
	return new PackratError(`the settings file ${path} is damaged (${why}): fix it, or move it away to start afresh`, 'config');
}

/**
 * The stored settings of a profile, checked as conf checks them when it opens the file: no file
 * is no settings; a file that is not JSON or breaks the schema is a config error naming the file.
 */
export function readStored(profile?: string): Record<string, unknown> {
	const path = settingsPath(profile);
	let stored: unknown;
	try {
		stored = JSON.parse(readFileSync(path, 'utf8'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
		throw damaged(path, oneLine(error));
	}

	const violation = schemaViolation(rootSchema(), stored);
	if (violation) throw damaged(path, explain(violation));
	return stored as Record<string, unknown>;
}

/** Every setting of a profile with defaults, read without loading conf (for `packrat run`). */
export function readSettings(profile?: string): Settings {
	return withDefaults(readStored(profile));
}
