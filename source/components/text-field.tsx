/**
 * Text entry, the one way every screen takes text: one-line editing as a pure function
 * (`editLine`), the hook that keeps a field's text and cursor (`useTextEntry`), and the field
 * that draws them (`TextField`). The screen that owns a field edits it from its own,
 * always-mounted key handler, through refs: keys that come faster than React draws (a paste,
 * tmux send-keys) then each land where the one before left the cursor, and no key goes to a
 * field that has just lost the focus.
 */
import React, {useRef} from 'react';
import {useRefState} from './use-ref-state.js';
import {Text, type Key} from 'ink';
import {withoutControl} from '../backup/names.js';
import {displayWidth} from './text.js';
import {useTheme} from './theme.js';

export type Edit = {value: string; cursor: number};

/** The field after a key, or undefined when the key is not for the field (Enter, Tab, Esc, arrows up/down …). */
export function editLine({value, cursor}: Edit, input: string, key: Key): Edit | undefined {
	const at = Math.min(Math.max(0, cursor), value.length);
	if (key.leftArrow) return {value, cursor: Math.max(0, at - 1)};
	if (key.rightArrow) return {value, cursor: Math.min(value.length, at + 1)};
	if (key.home) return {value, cursor: 0};
	if (key.end) return {value, cursor: value.length};
	if (key.backspace || key.delete) return at === 0 ? {value, cursor: 0} : {value: value.slice(0, at - 1) + value.slice(at), cursor: at - 1};
	if (key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.ctrl || key.meta) return undefined;
	const text = input.replace(/[\u0000-\u001F\u007F]/g, '');
	if (text === '') return undefined;
	return {value: value.slice(0, at) + text + value.slice(at), cursor: at + text.length};
}

/** What a field keeps of a change: the new text, or the previous one to refuse it. */
export type Accept = (previous: string, next: string) => string;

const takeAll: Accept = (_previous, next) => next;

/**
 * The text fields of a record (a form): `values` holds the newest texts, `change` stores one;
 * each field's cursor is kept here, at the end of its text until a key moves it.
 */
export function useTextFields<K extends string>(values: {readonly current: Readonly<Record<K, string>>}, change: (id: K, value: string) => void, accept: Accept = takeAll) {
	const cursors = useRef<Partial<Record<K, number>>>({});
	const cursorOf = (id: K) => cursors.current[id] ?? values.current[id].length;
	/** Take a key for a field; false when it is not for the field (Enter, Esc, Tab …). */
	const type = (id: K, input: string, key: Key): boolean => {
		const next = editLine({value: values.current[id], cursor: cursorOf(id)}, input, key);
		if (!next) return false;
		if (accept(values.current[id], next.value) !== next.value) return true;
		cursors.current[id] = next.cursor;
		change(id, next.value);
		return true;
	};

	const forget = (id: K) => delete cursors.current[id];
	return {cursorOf, type, forget};
}

/** One text field: its text and cursor, a key handler, and a reset to a text with the cursor at its end. */
export function useTextEntry(initial = '', accept?: Accept) {
	const [values, setValues, current] = useRefState({text: initial});
	const fields = useTextFields(current, (_id, text) => setValues({text}), accept);
	return {
		value: values.text,
		cursor: fields.cursorOf('text'),
		type: (input: string, key: Key) => fields.type('text', input, key),
		reset: (text = '') => {
			fields.forget('text');
			setValues({text});
		},
		/** The newest text, for a key handler that comes before the next draw. */
		current: () => current.current.text,
	};
}

type Props = {value: string; cursor: number; width: number; mask?: string; focus?: boolean};

export function TextField({value, cursor, width, mask, focus = true}: Props) {
	const theme = useTheme();
	// One place per character, a control character (from a settings file) drawn escaped in its place.
	const chars = mask ? [...mask.repeat([...value].length)] : [...value].map(withoutControl);
	const at = Math.min(Math.max(0, cursor), chars.length);
	// Keep the cursor in view: a value longer than the field shows the part around the cursor.
	let start = 0;
	while (start < at && displayWidth(chars.slice(start, at + 1).join('')) > width - 1) start++;
	const plain = (text: string) => (theme.ascii ? text.replace(/[^\u0000-\u007F]/g, '?') : text);
	const before = plain(chars.slice(start, at).join(''));
	const under = plain(chars[at] ?? ' ');
	let tail = '';
	for (const char of plain(chars.slice(at + 1).join(''))) {
		if (displayWidth(before + under + tail + char) > width) break;
		tail += char;
	}

	return (
		<Text wrap="truncate-end">
			{before}
			{focus ? <Text inverse>{under}</Text> : under}
			{tail}
		</Text>
	);
}
