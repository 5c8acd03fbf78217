/**
 * Keys that arrive together (a paste, tmux send-keys, a fast typist over ssh) are each taken
 * alone, in order, by the screen that is on when they come.
 */
import {EventEmitter} from 'node:events';
import React, {act} from 'react';
import {render} from 'ink';
import {describe, expect, it} from 'vitest';
import {App} from '../../source/app.js';
import {KeyStdin, splitKeys} from '../../source/components/key-stdin.js';
import {ThemeProvider} from '../../source/components/theme.js';
import {makeSession} from '../window/fixture.js';
import {FakeStdout, unicodeTheme, waitFor} from '../window/terminal.js';

class Terminal extends EventEmitter {
	isTTY = true;
	setEncoding() {
		return this;
	}

	setRawMode() {
		return this;
	}

	ref() {
		return this;
	}

	unref() {
		return this;
	}

	pause() {
		return this;
	}

	resume() {
		return this;
	}
}

describe('keys that arrive together', () => {
	it('are cut into keys, escape sequences whole', () => {
		expect(splitKeys('nq')).toEqual(['n', 'q']);
		expect(splitKeys('ab\t\u001B[5~\u001B[Ag\u007F\r')).toEqual(['a', 'b', '\t', '\u001B[5~', '\u001B[A', 'g', '\u007F', '\r']);
		expect(splitKeys('\u001BOP日本😀')).toEqual(['\u001BOP', '日', '本', '😀']);
		expect(splitKeys('\u001B')).toEqual(['\u001B']);
	});

	it('fill a form field by field, and open and answer a dialog', async () => {
		const {session, store, engine} = await makeSession({});
		const terminal = new Terminal();
		const stdout = new FakeStdout(100, 30);
		const quits: number[] = [];
		let instance!: ReturnType<typeof render>;
		await act(async () => {
			instance = render(<ThemeProvider theme={unicodeTheme}><App session={session} onQuit={code => quits.push(code)} /></ThemeProvider>, {
				stdout: stdout as unknown as NodeJS.WriteStream, stdin: new KeyStdin(terminal as unknown as NodeJS.ReadStream) as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false,
			});
		});
		await waitFor(() => stdout.lastFrame().includes('Connection settings'), 'the settings');
		const send = async (text: string) => act(async () => void terminal.emit('data', text));
		await send('127.0.0.1\t2121\t\u007F\u007F\u007F\u007F\u007F\u007F\u007F\u007F\u007Fann\tpw\t\t\u001B[D\t\u007F/data\t\t\t\r');
		await waitFor(() => store.get('server.host') !== undefined, () => `the settings to be saved; the frame shows:\n${stdout.lastFrame()}`);
		expect(store.get('server.host')).toBe('127.0.0.1');
		expect(store.get('server.port')).toBe(2121);
		expect(store.get('server.user')).toBe('ann');
		expect(store.get('server.tls')).toBe('none');
		expect(store.get('server.root')).toBe('/data');
		expect(session.password).toBe('pw');
		await waitFor(() => stdout.lastFrame().includes('Choose the backup folder'), 'the folder chooser after a first start');
		await send('\u001B');
		await waitFor(() => stdout.lastFrame().includes('Backup window'), 'the Backup window');
		await act(async () => void session.settingsStore.set('backupFolder', (await makeSession()).folder));
		await act(async () => session.settingsChanged({folderChanged: true}));
		await send('n');
		await waitFor(() => engine.calls.length === 1, 'the run');
		await send('qy');
		await waitFor(() => quits.length === 1, () => `the quit; the frame shows:\n${stdout.lastFrame()}`);
		expect(quits).toEqual([0]);
		act(() => instance.unmount());
		await session.shutdown();
	});
});
