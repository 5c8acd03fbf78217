/**
 * The connection settings form as data: its fields from the settings, each checked with the
 * key table's own rules, saved with the same calls as `packrat config set`, and Test connection,
 * which connects with what is typed (before it is saved) and opens the root path.
 */
import {PackratError, describeConnectError, replyText} from '../backup/errors.js';
import {escapeControl, normalizeRoot} from '../backup/names.js';
import {connect, type ServerConfig, type TrustDecider} from '../backup/remote.js';

export type {ServerConfig, TrustDecider};
import {findKey, parseValue, SettingValueError, type Settings, type TlsMode} from '../settings/keys.js';
import {resolvePassword} from '../settings/password.js';
import type {SettingsStore} from '../settings/store.js';

export type Form = {host: string; port: string; user: string; password: string; savePassword: boolean; tls: TlsMode; root: string; connections: string; fingerprint?: string};
export type TextKey = 'host' | 'port' | 'user' | 'password' | 'root' | 'connections';
export type FieldId = TextKey | 'savePassword' | 'tls' | 'test' | 'save';

export const fieldOrder: readonly FieldId[] = ['host', 'port', 'user', 'password', 'savePassword', 'tls', 'root', 'connections', 'test', 'save'];
export const textFields: ReadonlySet<FieldId> = new Set<FieldId>(['host', 'port', 'user', 'password', 'root', 'connections']);
export const tlsModes: readonly TlsMode[] = ['none', 'explicit', 'implicit'];

export function formOf(settings: Settings, typedPassword?: string): Form {
	const {server} = settings;
	return {
		host: server.host ?? '', port: server.port === undefined ? '' : String(server.port), user: server.user, password: typedPassword ?? server.password ?? '',
		savePassword: server.password !== undefined, tls: server.tls, root: server.root, connections: String(settings.connections), fingerprint: server.fingerprint,
	};
}

const keyOfField: Record<TextKey, string> = {host: 'server.host', port: 'server.port', user: 'server.user', password: 'server.password', root: 'server.root', connections: 'connections'};

/** The fields that cannot be saved as typed, each with the key table's sentence. */
export function checkForm(form: Form): Partial<Record<FieldId, string>> {
	const problems: Partial<Record<FieldId, string>> = {};
	for (const field of ['host', 'port', 'user', 'connections'] as const) {
		const value = form[field].trim();
		if (field === 'port' && value === '') continue;
		if (field === 'user' && value === '') {
			problems.user = 'type a user name (anonymous for anonymous FTP)';
			continue;
		}

		try {
			parseValue(findKey(keyOfField[field])!, value);
		} catch (error) {
			problems[field] = error instanceof SettingValueError ? error.rule : (error as Error).message;
		}
	}

	if (form.root.trim() === '') problems.root = 'type a path on the server, / for all of it';
	return problems;
}

/** Save the form; the password only when asked (else it lives in this window only). Returns the password to keep in memory. */
export function saveForm(store: SettingsStore, form: Form): string | undefined {
	store.setText('server.host', form.host.trim());
	if (form.port.trim() === '') store.delete('server.port');
	else store.setText('server.port', form.port.trim());
	store.setText('server.user', form.user.trim());
	store.set('server.tls', form.tls);
	store.set('server.root', normalizeRoot(form.root.trim()));
	store.setText('connections', form.connections.trim());
	if (form.fingerprint) store.set('server.fingerprint', form.fingerprint);
	if (form.savePassword && form.password !== '') store.set('server.password', form.password);
	else store.delete('server.password');
	return !form.savePassword && form.password !== '' ? form.password : undefined;
}

export function configOf(form: Form, settings: Settings): ServerConfig {
	const host = form.host.trim();
	const user = form.user.trim() || 'anonymous';
	const port = form.port.trim() === '' ? (form.tls === 'implicit' ? 990 : 21) : Number(form.port);
	const password = form.password !== '' ? form.password : resolvePassword(host, user, settings.server.password).password;
	return {host, port, user, password, tls: form.tls, fingerprint: form.fingerprint, root: normalizeRoot(form.root.trim() || '/'), timeoutMs: settings.timeoutSeconds * 1000};
}

export type TestResult = {ok: boolean; text: string; trusted?: string};

/** Connect, log in and open the root path; the one line says what worked or the server's exact complaint. */
export async function testConnection(config: ServerConfig, decide: TrustDecider): Promise<TestResult> {
	let connected;
	try {
		connected = await connect(config, decide);
	} catch (error) {
		return {ok: false, text: escapeControl(describeConnectError(error, config))};
	}

	const {client, tls, mlsd, trusted} = connected;
	try {
		await client.cd(config.root);
		const entries = await client.list();
		const how = `${tls ? `TLS (${config.tls})` : 'no TLS'}, listing with ${mlsd ? 'MLSD' : 'LIST'}`;
		return {ok: true, text: `connected to ${config.host}:${config.port} as ${escapeControl(config.user)}: ${how}; the root ${escapeControl(config.root)} holds ${entries.length} entries`, trusted};
	} catch (error) {
		// An untrusted data connection is no fault of Root: its own line says what it is.
		if (error instanceof PackratError && error.code === 'trust') return {ok: false, text: escapeControl(error.message)};
		return {ok: false, text: `logged in, but the root path ${escapeControl(config.root)} cannot be opened on the server (${escapeControl(replyText(error))}): fix Root`, trusted};
	} finally {
		client.close();
	}
}
