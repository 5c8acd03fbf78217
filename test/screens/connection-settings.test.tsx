/**
 * Connection settings: fields, masked password, checks as typed, Save, and Test connection
 * against the in-process FTP server (success, the server's exact complaint, a missing root, and
 * a self-signed certificate whose fingerprint is shown and trusted).
 */
import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import React from 'react';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFtpServer, type FtpTestServer} from '../../devtools/ftp-server.js';
import {seedSample} from '../../devtools/sample-data.js';
import {fingerprintLines} from '../../source/components/trust-dialog.js';
import {ConnectionSettings} from '../../source/screens/connection-settings.js';
import {fieldOrder, saveForm, type FieldId} from '../../source/model/connection-form.js';
import {SettingsStore} from '../../source/settings/store.js';
import {tempDir} from '../helpers/fixture.js';
import {renderAt, type Terminal} from '../window/terminal.js';

let plain: FtpTestServer;
let secure: FtpTestServer;
let profile = 0;

beforeAll(async () => {
	const root = await tempDir('packrat-settings-server-');
	await seedSample(root);
	await mkdir(join(root, 'data'));
	plain = await startFtpServer({root, mlsd: true, user: 'ann', password: 'secret'});
	secure = await startFtpServer({root, mlsd: true, tls: 'explicit', user: 'ann', password: 'secret'});
});

afterAll(async () => {
	await plain.close();
	await secure.close();
});

async function store(values: Record<string, unknown>): Promise<SettingsStore> {
	process.env['XDG_CONFIG_HOME'] = await tempDir('packrat-settings-');
	const settings = new SettingsStore(`form-${profile++}`);
	for (const [key, value] of Object.entries(values)) settings.set(key, value);
	return settings;
}

async function open(settings: SettingsStore): Promise<{t: Terminal; saved: string[]}> {
	const saved: string[] = [];
	const t = await renderAt(
		<ConnectionSettings settings={settings.all()} width={100} height={29} onClose={() => saved.push('closed')} onSave={form => {
			saveForm(settings, form);
			saved.push('saved');
			return undefined;
		}} />,
		{columns: 100, rows: 30},
	);
	return {t, saved};
}

async function focus(t: Terminal, field: FieldId) {
	for (let index = 0; index < fieldOrder.indexOf(field); index++) await t.pressAction('settings', 'next-field');
}

async function replace(t: Terminal, text: string, old: number) {
	for (let index = 0; index < old; index++) await t.press('backspace');
	await t.type(text);
}

describe('connection settings', () => {
	it('shows every field, masks the password and checks what is typed', async () => {
		const settings = await store({'server.host': '127.0.0.1'});
		const {t} = await open(settings);
		const frame = await t.see('Connection settings');
		for (const label of ['Host', 'Port', 'User', 'Password', 'Save password', 'TLS', 'Root path', 'Connections', '[ Test connection ]', '[ Save ]']) expect(frame).toContain(label);
		await focus(t, 'password');
		await t.type('hunter2');
		expect(await t.see('*******')).not.toContain('hunter2');
		await t.pressAction('settings', 'previous-field');
		await t.pressAction('settings', 'previous-field');
		await replace(t, '70000', 0);
		await t.see('Port must be a whole number from 1 to 65535');
		t.unmount();
	});

	it('saves with the key table\'s checks; the password only when asked', async () => {
		const settings = await store({'server.host': 'old.example.com'});
		const {t, saved} = await open(settings);
		await replace(t, 'ftp.example.com', 'old.example.com'.length);
		await focus(t, 'password');
		await t.type('pw');
		await t.pressAction('settings', 'next-field');
		await t.pressAction('settings', 'next-field');
		await t.press('right');
		await t.see('‹ implicit ›');
		for (let index = fieldOrder.indexOf('tls'); index < fieldOrder.indexOf('save'); index++) await t.pressAction('settings', 'next-field');
		await t.pressAction('settings', 'activate');
		expect(saved).toEqual(['saved']);
		expect(settings.get('server.host')).toBe('ftp.example.com');
		expect(settings.get('server.tls')).toBe('implicit');
		expect(settings.get('server.password')).toBeUndefined();
		t.unmount();
	});

	it('Test connection reports success with what it found', async () => {
		const settings = await store({'server.host': '127.0.0.1', 'server.port': plain.port, 'server.user': 'ann', 'server.password': 'secret', 'server.tls': 'none'});
		const {t} = await open(settings);
		await focus(t, 'test');
		await t.pressAction('settings', 'activate');
		const frame = await t.see('connected to', 10_000);
		expect(frame).toContain(`127.0.0.1:${plain.port} as ann: no TLS, listing with MLSD`);
		expect(frame).toMatch(/the root \/ holds \d+ entries/);
		t.unmount();
	});

	it('Test connection gives the server\'s exact complaint', async () => {
		const settings = await store({'server.host': '127.0.0.1', 'server.port': plain.port, 'server.user': 'ann', 'server.password': 'wrong', 'server.tls': 'none'});
		const {t} = await open(settings);
		await focus(t, 'test');
		await t.pressAction('settings', 'activate');
		expect(await t.see('refused the login', 10_000)).toMatch(/user ann \(530/);
		t.unmount();
	});

	it('Test connection says when the root path is missing on the server', async () => {
		const settings = await store({'server.host': '127.0.0.1', 'server.port': plain.port, 'server.user': 'ann', 'server.password': 'secret', 'server.tls': 'none', 'server.root': '/no-such-folder'});
		const {t} = await open(settings);
		await focus(t, 'test');
		await t.pressAction('settings', 'activate');
		await t.see('the root path /no-such-folder cannot be opened on the server (550', 10_000);
		t.unmount();
	});

	it('shows a self-signed certificate\'s SHA-256 fingerprint, asks, and saves it when trusted', async () => {
		const settings = await store({'server.host': '127.0.0.1', 'server.port': secure.port, 'server.user': 'ann', 'server.password': 'secret', 'server.tls': 'explicit'});
		const {t} = await open(settings);
		await focus(t, 'test');
		await t.pressAction('settings', 'activate');
		const frame = await t.see('Trust this certificate?', 10_000);
		for (const line of fingerprintLines(secure.fingerprint!, 90)) expect(frame).toContain(line);
		await t.pressAction('trust', 'yes');
		await t.see('connected to', 10_000);
		expect(t.frame()).toContain('TLS (explicit)');
		await t.pressAction('settings', 'next-field');
		await t.pressAction('settings', 'activate');
		expect(settings.get('server.fingerprint')).toBe(secure.fingerprint);
		t.unmount();
	});
});
