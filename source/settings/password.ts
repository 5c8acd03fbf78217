/**
 * The password: `PACKRAT_PASSWORD`, else the host's entry in `~/.netrc`, else the saved setting.
 * It is passed only in memory: never in argv, a log, an error or the export.
 */
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';

/** The password for `host`/`user` in netrc text: `machine H login U password P`, or `default`. */
export function netrcPassword(text: string, host: string, user: string): string | undefined {
	const tokens = text.replace(/#.*$/gm, '').split(/\s+/).filter(Boolean);
	let fallback: string | undefined;
	for (let index = 0; index < tokens.length; index++) {
		const token = tokens[index];
		if (token !== 'machine' && token !== 'default') continue;
		const machine = token === 'machine' ? tokens[++index] : undefined;
		let login: string | undefined;
		let password: string | undefined;
		while (index + 1 < tokens.length && tokens[index + 1] !== 'machine' && tokens[index + 1] !== 'default') {
			const key = tokens[++index];
			const value = tokens[++index];
			if (key === 'login') login = value;
			if (key === 'password') password = value;
		}

		if (password === undefined || (login !== undefined && login !== user)) continue;
		if (machine === host) return password;
		if (machine === undefined) fallback ??= password;
	}

	return fallback;
}

export type PasswordSource = 'PACKRAT_PASSWORD' | '~/.netrc' | 'settings' | 'none';

export function resolvePassword(host: string, user: string, saved?: string): {password: string; source: PasswordSource} {
	const fromEnvironment = process.env['PACKRAT_PASSWORD'];
	if (fromEnvironment !== undefined && fromEnvironment !== '') return {password: fromEnvironment, source: 'PACKRAT_PASSWORD'};
	try {
		const found = netrcPassword(readFileSync(join(homedir(), '.netrc'), 'utf8'), host, user);
		if (found !== undefined) return {password: found, source: '~/.netrc'};
	} catch {
		// No ~/.netrc.
	}

	if (saved !== undefined) return {password: saved, source: 'settings'};
	return {password: user === 'anonymous' ? 'anonymous@' : '', source: 'none'};
}
