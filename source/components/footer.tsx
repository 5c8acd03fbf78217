/**
 * The footer of key hints, drawn from the key map: the same table that dispatches the keys, so a
 * hint can never name a key that does nothing.
 */
import React from 'react';
import {Box} from 'ink';
import {bindingsOf, isQuiet, labelOf, showKey, type KeyContext, type Screen} from '../keymap.js';
import {Line, type Segment} from './line.js';
import {displayWidth} from './text.js';
import {useTheme} from './theme.js';

/** `disabled`: why a command cannot run now, by the action its key runs (model/commands.ts). */
export type Hint = {keys: string; label: string; disabled?: string};

/** Why each command of a screen cannot run now, by its action. */
export type Disabled = Readonly<Partial<Record<string, string>>>;

/** The hints of a screen: one per label, keys that share a label joined with `/`; a disabled command says why. */
export function hintsOf(screen: Screen, context: KeyContext, ascii: boolean, disabled: Disabled = {}): Hint[] {
	const hints: Hint[] = [];
	for (const binding of bindingsOf(screen)) {
		if (isQuiet(binding, context)) continue;
		const label = labelOf(binding, context);
		const keys = binding.keys.slice(0, binding.footerKeys ?? 1).map(name => showKey(name, ascii)).join('/');
		const same = hints.find(hint => hint.label === label);
		if (same) same.keys += `/${keys}`;
		else hints.push({keys, label, disabled: disabled[binding.action]});
	}

	return hints;
}

const gap = 2;
const hintWidth = (hint: Hint) => displayWidth(hint.keys) + 1 + displayWidth(hint.label);

/** Hints laid out in at most `lines` lines of `width`; when they do not fit, the middle ones give way, never the last (help, quit). */
export function layoutHints(hints: Hint[], width: number, lines: number): Hint[][] {
	const kept = [...hints];
	for (;;) {
		const rows: Hint[][] = [[]];
		let used = 0;
		for (const hint of kept) {
			const size = hintWidth(hint);
			const row = rows.at(-1)!;
			if (row.length > 0 && used + gap + size > width) {
				rows.push([hint]);
				used = size;
			} else {
				used += (row.length > 0 ? gap : 0) + size;
				row.push(hint);
			}
		}

		if (rows.length <= lines || kept.length <= 2) return rows.slice(0, lines);
		kept.splice(kept.length - 3, 1);
	}
}

type Props = {screen: Screen; context: KeyContext; width: number; lines?: number; disabled?: Disabled};

function FooterView({screen, context, width, lines = 2, disabled}: Props) {
	const theme = useTheme();
	const rows = layoutHints(hintsOf(screen, context, theme.ascii, disabled), width, lines);
	return (
		<Box flexDirection="column" height={lines} flexShrink={0}>
			{rows.map((row, index) => (
				<Line
					key={index}
					width={width}
					segments={row.flatMap((hint, position): Segment[] => [
						...(position > 0 ? [{text: ' '.repeat(gap)}] : []),
						hint.disabled ? {text: hint.keys, bold: true, tone: 'muted'} : {text: hint.keys, bold: true, inverse: true},
						{text: ` ${hint.label}`, tone: hint.disabled ? 'muted' : undefined},
					])}
				/>
			))}
		</Box>
	);
}

/** The hints change with the screen, the run's state and what is disabled, not with the run's progress. */
export const Footer = React.memo(FooterView);
