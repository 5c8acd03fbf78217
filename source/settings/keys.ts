/**
 * The settings contract (SPEC: Settings keys). One table drives the conf JSON schema, the
 * parsing of `packrat config set KEY VALUE`, its error messages and the README.
 */
import type {Mode} from '../backup/events.js';
import {defaultMaxDepth} from '../backup/loops.js';
import type {TlsMode} from '../backup/remote.js';
import {readRepeat} from './repeat.js';
import {startAtPattern} from './start-at.js';

export type {Mode, TlsMode};

export type Settings = {
	server: {
		host?: string;
		port?: number;
		user: string;
		password?: string;
		tls: TlsMode;
		fingerprint?: string;
		root: string;
	};
	backupFolder?: string;
	mode: Mode;
	latestOnly: boolean;
	startAt: string;
	repeat: string;
	armed: boolean;
	/** A number fixes it; `auto` starts at 4 and adapts (backup/adapt.ts). */
	connections: number | 'auto';
	keepSnapshots: number;
	linkUnchanged: boolean;
	versionPattern?: string;
	maxDepth: number;
	retries: number;
	timeoutSeconds: number;
	hooks: {afterRun?: string};
	/** Optional in the type so settings built by hand need not name it; read settings always have it. */
	notify?: {url?: string};
	/** The mass-change guard's limits; optional in the type as notify is. */
	guard?: {changedPercent: number; vanishedPercent: number};
};

type KeyKind = 'string' | 'integer' | 'boolean';

export type KeySpec = {
	key: string;
	kind: KeyKind;
	/** What the key accepts, as said in an error: "… must be <accepts>". */
	accepts: string;
	default?: string | number | boolean;
	min?: number;
	max?: number;
	values?: readonly string[];
	/** Words an integer key also takes in place of a number (`auto`). */
	words?: readonly string[];
	/** Extra check for strings; returns an error text or undefined. */
	check?: (value: string) => string | undefined;
	secret?: boolean;
};

const fingerprint = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** Why a repeat cannot be stored, or undefined (settings/repeat.ts holds the rule). */
export function checkRepeat(value: string): string | undefined {
	const read = readRepeat(value);
	return 'problem' in read ? read.problem : undefined;
}

export function checkVersionPattern(value: string): string | undefined {
	try {
		const pattern = new RegExp(value, 'i');
		if (!/\(\?<version>/.test(value)) return 'the pattern has no named group (?<version>…)';
		void pattern;
		return undefined;
	} catch (error) {
		return `it is not a valid regular expression (${(error as Error).message})`;
	}
}

/** An http or https address (alerts); a `user:password@` in it is allowed and never logged. */
export function checkUrl(value: string): string | undefined {
	try {
		const {protocol, hostname} = new URL(value);
		if (protocol !== 'http:' && protocol !== 'https:') return `the address must start with http:// or https:// (not ${protocol}//)`;
		return hostname === '' ? 'the address has no host' : undefined;
	} catch {
		return 'it is not a valid address (like https://hc-ping.com/UUID)';
	}
}

export const keySpecs: readonly KeySpec[] = [
	{key: 'server.host', kind: 'string', accepts: 'a host name or address', check: v => (v.trim() === '' || /\s/.test(v) ? 'a host name has no spaces' : undefined)},
	{key: 'server.port', kind: 'integer', accepts: 'a whole number from 1 to 65535', min: 1, max: 65_535},
	{key: 'server.user', kind: 'string', accepts: 'a user name', default: 'anonymous'},
	{key: 'server.password', kind: 'string', accepts: 'a password', secret: true},
	{key: 'server.tls', kind: 'string', accepts: 'one of none, explicit, implicit', values: ['none', 'explicit', 'implicit'], default: 'explicit'},
	{key: 'server.fingerprint', kind: 'string', accepts: 'a SHA-256 fingerprint like AA:BB:… (32 pairs)', check: v => (fingerprint.test(v) ? undefined : 'expected 32 hex pairs separated by colons')},
	{key: 'server.root', kind: 'string', accepts: 'a remote path starting with /', default: '/', check: v => (v.startsWith('/') ? undefined : 'the remote path must start with /')},
	{key: 'backupFolder', kind: 'string', accepts: 'a local folder path', check: v => (v.trim() === '' ? 'the path is empty' : undefined)},
	{key: 'mode', kind: 'string', accepts: 'incremental or full', values: ['incremental', 'full'], default: 'incremental'},
	{key: 'latestOnly', kind: 'boolean', accepts: 'true or false', default: false},
	{key: 'startAt', kind: 'string', accepts: 'a time as HH:MM (00:00 to 23:59)', default: '03:00', check: v => (startAtPattern.test(v) ? undefined : 'expected HH:MM')},
	{key: 'repeat', kind: 'string', accepts: 'daily, every Nh, or a cron expression', default: 'daily', check: checkRepeat},
	{key: 'armed', kind: 'boolean', accepts: 'true or false', default: false},
	{key: 'connections', kind: 'integer', accepts: 'a whole number from 1 to 16, or auto', min: 1, max: 16, words: ['auto'], default: 'auto'},
	{key: 'keepSnapshots', kind: 'integer', accepts: 'a whole number, 0 or more (0 keeps all)', min: 0, max: 100_000, default: 0},
	{key: 'linkUnchanged', kind: 'boolean', accepts: 'true or false', default: false},
	{key: 'versionPattern', kind: 'string', accepts: 'a regular expression with a named group (?<version>…)', check: checkVersionPattern},
	{key: 'retries', kind: 'integer', accepts: 'a whole number from 0 to 100', min: 0, max: 100, default: 5},
	{key: 'timeoutSeconds', kind: 'integer', accepts: 'a whole number of seconds from 1 to 3600', min: 1, max: 3600, default: 30},
	{key: 'hooks.afterRun', kind: 'string', accepts: 'a shell command'},
	{key: 'notify.url', kind: 'string', accepts: 'an http or https address', check: checkUrl},
	{key: 'guard.changedPercent', kind: 'integer', accepts: 'a percentage from 1 to 100 (of the files changed since the last run; 100 never flags)', min: 1, max: 100, default: 50},
	{key: 'guard.vanishedPercent', kind: 'integer', accepts: 'a percentage from 1 to 100 (of the files gone since the last run; 100 never flags)', min: 1, max: 100, default: 50},
	{key: 'maxDepth', kind: 'integer', accepts: 'a number of folder levels below the root, from 1 to 1000', min: 1, max: 1000, default: defaultMaxDepth},
];

export function findKey(key: string): KeySpec | undefined {
	return keySpecs.find(spec => spec.key === key);
}

/** A value a key does not take: what it must be (`rule`), and the value given; the message is the one line to print. */
export class SettingValueError extends Error {
	readonly rule: string;

	constructor(readonly key: string, accepts: string, why: string | undefined, readonly got: string) {
		const rule = `must be ${accepts}${why ? `: ${why}` : ''}`;
		super(`${key} ${rule} (got ${JSON.stringify(got)})`);
		this.rule = rule;
	}
}

/** Parse a command-line value for a key; throws a SettingValueError. */
export function parseValue(spec: KeySpec, raw: string): string | number | boolean {
	const fail = (why?: string): never => {
		throw new SettingValueError(spec.key, spec.accepts, why, raw);
	};

	if (spec.kind === 'boolean') {
		if (raw === 'true') return true;
		if (raw === 'false') return false;
		return fail();
	}

	if (spec.kind === 'integer') {
		if (spec.words?.includes(raw)) return raw;
		if (!/^-?\d+$/.test(raw)) return fail();
		const value = Number(raw);
		if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return fail();
		return value;
	}

	if (spec.values && !spec.values.includes(raw)) return fail();
	const why = spec.check?.(raw);
	if (why) return fail(why);
	return raw;
}

type JsonSchema = Record<string, unknown>;

function leafSchema(spec: KeySpec): JsonSchema {
	if (spec.kind === 'boolean') return {type: 'boolean'};
	if (spec.kind === 'integer') {
		const number = {type: 'integer', minimum: spec.min, maximum: spec.max};
		return spec.words ? {anyOf: [number, {type: 'string', enum: [...spec.words]}]} : number;
	}

	if (spec.values) return {type: 'string', enum: [...spec.values]};
	if (spec.key === 'startAt') return {type: 'string', pattern: startAtPattern.source};
	if (spec.key === 'server.fingerprint') return {type: 'string', pattern: fingerprint.source};
	if (spec.key === 'server.root') return {type: 'string', pattern: '^/'};
	if (spec.key === 'notify.url') return {type: 'string', pattern: '^https?://'};
	return {type: 'string'};
}

/** The conf schema: an object per dotted prefix, with every key of the table. */
export function confSchema(): Record<string, JsonSchema> {
	const schema: Record<string, JsonSchema> = {};
	for (const spec of keySpecs) {
		const [head, tail] = spec.key.split('.') as [string, string | undefined];
		if (tail === undefined) {
			schema[head] = leafSchema(spec);
			continue;
		}

		const group = (schema[head] ??= {type: 'object', properties: {}, additionalProperties: false}) as {properties: Record<string, JsonSchema>};
		group.properties[tail] = leafSchema(spec);
	}

	return schema;
}
