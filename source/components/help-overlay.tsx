/**
 * The `?` help overlay: every key of a screen with its sentence, read from the key map that
 * dispatches the keys and draws the footer.
 */
import React from 'react';
import {Box} from 'ink';
import {bindingsOf, showKey, type Screen} from '../keymap.js';
import type {Disabled} from './footer.js';
import {Line} from './line.js';
import {padTo} from './text.js';
import {useTheme} from './theme.js';

/** `disabled`: why a command cannot run now, said after its sentence. */
export function HelpOverlay({screen, width, height, disabled = {}}: {screen: Screen; width: number; height: number; disabled?: Disabled}) {
	const theme = useTheme();
	const rows = bindingsOf(screen).map(binding => ({keys: binding.keys.map(key => showKey(key, theme.ascii)).join(' '), help: binding.help, disabled: disabled[binding.action]}));
	const keyWidth = Math.min(14, Math.max(...rows.map(row => row.keys.length)) + 2);
	const room = rows.length <= height - 1 ? height - 1 : Math.max(1, height - 2);
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Line width={width} segments={[{text: 'Keys of the Backup window', bold: true}, {text: '  (? or Esc closes this help)', tone: 'muted'}]} />
			{rows.slice(0, room).map(row => (
				<Line key={row.keys} width={width} segments={[{text: padTo(row.keys, keyWidth, theme.glyph.ellipsis), bold: true, tone: row.disabled ? 'muted' : 'accent'}, row.help, row.disabled ? {text: ` (not now: ${row.disabled})`, tone: 'muted'} : undefined]} />
			))}
			{rows.length > room ? <Line width={width} segments={[{text: `${theme.glyph.ellipsis} ${rows.length - room} more (the terminal is too short)`, tone: 'muted'}]} /> : null}
		</Box>
	);
}
