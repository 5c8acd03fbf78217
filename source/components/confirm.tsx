/** A yes/no question in place of the panes (cancel a run, quit during a run); keys from the key map. */
import React from 'react';
import {useKeys} from './keys.js';
import {Box} from 'ink';
import {bindingFor, dispatch, showKey} from '../keymap.js';
import {Line, Rule, type Piece} from './line.js';
import {useTheme} from './theme.js';
import type {Question} from '../model/commands.js';

export type {Question} from '../model/commands.js';

export function Confirm({question, width, height, onAnswer}: {question: Question; width: number; height: number; onAnswer: (yes: boolean) => void}) {
	const theme = useTheme();
	useKeys((input, key) => {
		const action = dispatch('confirm', input, key)?.action;
		if (action === 'yes') onAnswer(true);
		if (action === 'no') onAnswer(false);
	});
	const yes = bindingFor('confirm', 'yes').keys.map(name => showKey(name, theme.ascii)).join('/');
	const no = bindingFor('confirm', 'no').keys.map(name => showKey(name, theme.ascii)).join('/');
	const keys: Piece[] = [{text: yes, bold: true, inverse: true}, ` ${question.yes}    `, {text: no, bold: true, inverse: true}, ` ${question.no}`];
	const room = Math.max(0, height - 2);
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Rule width={width} title={question.title} />
			{question.lines.slice(0, Math.max(0, room - 1)).map((text, index) => (
				<Line key={index} width={width} segments={[text]} />
			))}
			{room > 0 ? <Line width={width} segments={keys} /> : null}
		</Box>
	);
}
