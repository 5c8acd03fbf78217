/**
 * Connection settings (`o`, and the first screen when nothing is set): host, port, user, password
 * (masked), whether to save the password, TLS mode, root path and connections, checked as typed,
 * with Test connection (which asks about an untrusted certificate as ssh does) and Save.
 */
import React, {useState} from 'react';
import {useKeys} from '../components/keys.js';
import {useRefState} from '../components/use-ref-state.js';
import {Box} from 'ink';
import type {CertificateQuestion} from '../backup/events.js';
import {Footer} from '../components/footer.js';
import {RunSpinner} from '../components/spinner.js';
import {Line, Rule, mark, type Piece} from '../components/line.js';
import {wrapText} from '../components/text.js';
import {useTheme} from '../components/theme.js';
import {TextField, useTextFields} from '../components/text-field.js';
import {TrustDialog} from '../components/trust-dialog.js';
import {dispatch, keyName} from '../keymap.js';
import type {Settings} from '../settings/keys.js';
import {resolvePassword} from '../settings/password.js';
import {checkForm, configOf, fieldOrder, formOf, testConnection, textFields, tlsModes, type FieldId, type Form, type ServerConfig, type TextKey, type TrustDecider} from '../model/connection-form.js';

type Props = {
	settings: Settings;
	typedPassword?: string;
	first?: boolean;
	width: number;
	height: number;
	/** Save the form; gives back an error line, or undefined when saved. */
	onSave: (form: Form) => string | undefined | Promise<string | undefined>;
	onClose: () => void;
	/** Test connection (the window's command; the plain test when the screen is drawn alone). */
	test?: (config: ServerConfig, decide: TrustDecider) => Promise<{ok: boolean; text: string}>;
};

const labels: Record<FieldId, string> = {
	host: 'Host', port: 'Port', user: 'User', password: 'Password', savePassword: 'Save password', tls: 'TLS', root: 'Root path', connections: 'Connections', test: 'Test connection', save: 'Save',
};

type Pending = {question: CertificateQuestion; answer: (trust: boolean) => void};

export function ConnectionSettings({settings, typedPassword, first, width, height, onSave, onClose, test = testConnection}: Props) {
	const theme = useTheme();
	const g = theme.glyph;
	const [form, setForm, formRef] = useRefState<Form>(formOf(settings, typedPassword));
	const [focus, setFocus, focusRef] = useRefState(0);
	const [tried, setTried] = useState(false);
	const [testing, setTesting] = useState(false);
	const [result, setResult] = useState<{ok: boolean; text: string}>();
	const [pending, setPending] = useState<Pending>();
	const field = fieldOrder[focus]!;
	const problems = checkForm(form);
	const update = (change: Partial<Form>) => setForm(previous => ({...previous, ...change}));

	const runTest = () => {
		setTesting(true);
		setResult(undefined);
		let trusted: string | undefined;
		const decide = (question: CertificateQuestion) => new Promise<boolean>(resolve => setPending({question, answer: yes => {
			if (yes) trusted = question.fingerprint;
			resolve(yes);
		}}));
		void test(configOf(formRef.current, settings), decide).then(found => {
			if (trusted) update({fingerprint: trusted});
			setResult(trusted ? {...found, text: `${found.text} (the trusted fingerprint is saved with Save)`} : found);
			setTesting(false);
		});
	};

	const save = () => {
		setTried(true);
		const found = checkForm(formRef.current);
		const wrong = fieldOrder.findIndex(id => found[id]);
		if (wrong >= 0) {
			// The field's own line says what is wrong with it.
			setFocus(wrong);
			setResult(undefined);
			return;
		}

		void Promise.resolve(onSave(formRef.current)).then(error => {
			if (error) setResult({ok: false, text: error});
		});
	};

	const fields = useTextFields<TextKey>(formRef, (id, value) => update({[id]: value}));
	const {cursorOf} = fields;
	useKeys((input, key) => {
		const current = fieldOrder[focusRef.current]!;
		const typing = textFields.has(current);
		const action = dispatch('settings', input, key, typing)?.action;
		if (action === undefined && typing) {
			fields.type(current as TextKey, input, key);
			return;
		}

		const count = fieldOrder.length;
		if (action === 'close') onClose();
		else if (action === 'next-field') setFocus(previous => (previous + 1) % count);
		else if (action === 'previous-field') setFocus(previous => (previous + count - 1) % count);
		else if (action === 'change' && current === 'savePassword') update({savePassword: !formRef.current.savePassword});
		else if (action === 'change' && current === 'tls') {
			const step = keyName(input, key) === 'left' ? -1 : 1;
			update({tls: tlsModes[(tlsModes.indexOf(formRef.current.tls) + step + tlsModes.length) % tlsModes.length]!});
		} else if (action === 'activate') {
			if (current === 'test' && !testing) runTest();
			else if (current === 'save') save();
			else if (current !== 'test') setFocus(previous => previous + 1);
		}
	}, !pending);

	const hint = (id: FieldId): Piece | undefined => {
		const problem = problems[id];
		if (problem && (tried || form[id as TextKey] !== '')) return mark(g.bad, problem, 'bad', false);
		if (id === 'port') return {text: `blank: ${form.tls === 'implicit' ? 990 : 21}`, tone: 'muted'};
		if (id === 'password' && form.password === '') return {text: `none typed; using ${describeSource(resolvePassword(form.host, form.user, settings.server.password).source)}`, tone: 'muted'};
		if (id === 'savePassword') return {text: form.savePassword ? 'in the settings file (mode 0600)' : 'kept in this window only', tone: 'muted'};
		if (id === 'tls') return form.tls === 'none' ? mark(g.warn, 'the password travels unencrypted', 'warn', false) : {text: form.fingerprint ? `trusted certificate ${form.fingerprint.slice(0, 11)}${g.ellipsis}` : 'certificates are verified', tone: 'muted'};
		if (id === 'connections') return {text: '1 to 16 at once', tone: 'muted'};
		return undefined;
	};

	const valueOf = (id: FieldId): string => {
		if (id === 'password') return '*'.repeat(form.password.length);
		if (id === 'savePassword') return form.savePassword ? 'yes' : 'no';
		if (id === 'tls') return `${theme.ascii ? '<' : '‹'} ${form.tls} ${theme.ascii ? '>' : '›'}`;
		return form[id as TextKey];
	};

	const valueWidth = Math.min(32, Math.max(10, width - 50));
	const rows = fieldOrder.map((id, index) => {
		const focused = index === focus && !pending;
		const cursor: Piece = focused ? {text: `${g.cursor} `, bold: true, tone: 'accent'} : '  ';
		if (id === 'test' || id === 'save') {
			const button = `[ ${labels[id]} ]`;
			return <Line key={id} width={width} segments={[cursor, {text: button, bold: true, inverse: focused}, id === 'test' && testing ? {text: ` testing${g.ellipsis}`, tone: 'busy'} : undefined]} />;
		}

		return (
			<Box key={id} height={1} overflow="hidden">
				<Line width={17} segments={[cursor, {text: labels[id], bold: focused}]} />
				<Box width={valueWidth + 1} overflow="hidden">
					{focused && textFields.has(id) ? (
						<TextField value={form[id as TextKey]} cursor={cursorOf(id as TextKey)} width={valueWidth} mask={id === 'password' ? '*' : undefined} />
					) : (
						<Line width={valueWidth} segments={[{text: valueOf(id), inverse: focused}]} />
					)}
				</Box>
				<Line width={Math.max(1, width - 18 - valueWidth)} segments={[hint(id)]} />
			</Box>
		);
	});

	const body = height - 3;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Rule width={width} title="Connection settings" extra={first ? {text: 'nothing is set yet: start here', tone: 'warn'} : undefined} />
			<Box flexDirection="column" height={body} overflow="hidden">
				{pending ? (
					<TrustDialog question={pending.question} width={width} height={body} paused={false} onAnswer={trust => {
						setPending(undefined);
						pending.answer(trust);
					}} />
				) : (
					<>
						{rows}
						{problems[field] && (tried || form[field as TextKey] !== '') ? <Line width={width} segments={[mark(g.bad, `${labels[field]} ${problems[field]}`, 'bad', false)]} /> : null}
						{testing ? <Box height={1}><RunSpinner kind={theme.spinner} /><Line width={width - 2} segments={[` testing the connection${g.ellipsis}`]} /></Box> : null}
						{result
							? wrapText(`${result.ok ? g.ok : g.bad} ${result.text}`, width, Math.max(1, body - fieldOrder.length), g.ellipsis).map((text, index) => (
									<Line key={`result-${index}`} width={width} segments={[{text, tone: result.ok ? 'ok' : 'bad'}]} />
								))
							: null}
					</>
				)}
			</Box>
			<Footer screen="settings" context={{armed: false, running: false}} width={width} />
		</Box>
	);
}

function describeSource(source: string): string {
	return source === 'none' ? 'no password (anonymous@ for anonymous)' : `the password from ${source}`;
}
