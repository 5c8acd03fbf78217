/**
 * The Start-at dialog (`t`): HH:MM in local time, checked as it is typed (only digits and one
 * colon are taken, and a half-typed time that can no longer become valid is said so at once).
 */
import React, {useState} from 'react';
import {useKeys} from '../components/keys.js';
import {Box} from 'ink';
import {Line, Rule, mark, type Piece} from '../components/line.js';
import {TextField, useTextEntry} from '../components/text-field.js';
import {useTheme} from '../components/theme.js';
import {bindingFor, dispatch, showKey} from '../keymap.js';
import {acceptTyped, checkTyped, normalizeTyped} from '../settings/start-at.js';

export {acceptTyped, checkTyped, normalizeTyped, type Check} from '../settings/start-at.js';

/** `onSave` gives back an error line, or undefined when saved. */
type Props = {initial: string; repeat: string; width: number; height: number; onSave: (value: string) => string | undefined | Promise<string | undefined>; onClose: () => void};

export function StartAtDialog({initial, repeat, width, height, onSave, onClose}: Props) {
	const theme = useTheme();
	const entry = useTextEntry('', acceptTyped);
	const [error, setError] = useState<string>();
	const check = checkTyped(entry.value);
	const g = theme.glyph;
	useKeys((input, key) => {
		const action = dispatch('start-at', input, key, true)?.action;
		if (action === 'close') onClose();
		else if (action === 'submit') submit();
		else if (entry.type(input, key)) setError(undefined);
	});
	const submit = (): void => {
		const typed = checkTyped(entry.current());
		if (typed.state !== 'ok') {
			setError(typed.state === 'partial' ? 'not a whole time yet: type HH:MM' : typed.message);
			return;
		}

		void Promise.resolve(onSave(normalizeTyped(entry.current()))).then(problem => {
			if (problem) setError(problem);
		});
	};

	const verdict: Piece = check.state === 'ok' ? mark(g.ok, check.message, 'ok', false) : check.state === 'bad' ? mark(g.bad, check.message, 'bad', false) : {text: `${g.arrow} ${check.message}`, tone: 'muted'};
	const keys = (action: 'submit' | 'close') => showKey(bindingFor('start-at', action).keys[0]!, theme.ascii);
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Rule width={width} title="Start at" />
			<Line width={width} segments={[{text: 'Now ', tone: 'muted'}, {text: initial, bold: true}, ` ${repeat}`, {text: ` ${g.dot} local time, HH:MM (0300 is taken as 03:00)`, tone: 'muted'}]} />
			<Box height={1} overflow="hidden">
				<Line width={12} segments={[{text: 'Start at', bold: true}]} />
				<TextField value={entry.value} cursor={entry.cursor} width={8} />
			</Box>
			<Line width={width} segments={[verdict]} />
			{error ? <Line width={width} segments={[mark(g.bad, error, 'bad', false)]} /> : null}
			<Line width={width} segments={[{text: keys('submit'), bold: true, inverse: true}, ' Save   ', {text: keys('close'), bold: true, inverse: true}, ' Cancel']} />
		</Box>
	);
}
