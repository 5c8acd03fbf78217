/**
 * The question a paused run asks about a certificate the system does not trust, as ssh asks
 * about a host key: the server, the certificate's names, why it is not trusted and its SHA-256
 * fingerprint. Trusting saves the fingerprint (server.fingerprint); refusing fails the run.
 */
import React from 'react';
import {useKeys} from './keys.js';
import {Box} from 'ink';
import type {CertificateQuestion} from '../backup/events.js';
import {escapeControl} from '../backup/names.js';
import {bindingFor, dispatch, showKey} from '../keymap.js';
import {Line, Rule, mark, type Piece} from './line.js';
import {useTheme} from './theme.js';

/** The fingerprint cut into even lines of whole `AA:` pairs that fit the width. */
export function fingerprintLines(fingerprint: string, width: number): string[] {
	const pairs = fingerprint.split(':');
	const most = Math.max(1, Math.floor((width + 1) / 3));
	const perLine = Math.ceil(pairs.length / Math.ceil(pairs.length / most));
	const lines: string[] = [];
	for (let index = 0; index < pairs.length; index += perLine) lines.push(pairs.slice(index, index + perLine).join(':'));
	return lines;
}

const reasons: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
	SELF_SIGNED_CERT_IN_CHAIN: 'a self-signed certificate is in its chain',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not known here',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not known here',
	CERT_HAS_EXPIRED: 'the certificate has expired',
	CERT_NOT_YET_VALID: 'the certificate is not valid yet',
	ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another name',
};

/** Node's verification code in words, the code kept: `the certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)`. */
export function explainReason(reason: string): string {
	const words = reasons[reason.trim()];
	return words ? `${words} (${reason.trim()})` : reason;
}

export function TrustDialog({question, width, height, onAnswer, paused = true}: {question: CertificateQuestion; width: number; height: number; onAnswer: (trust: boolean) => void; paused?: boolean}) {
	const theme = useTheme();
	useKeys((input, key) => {
		const action = dispatch('trust', input, key)?.action;
		if (action === 'yes') onAnswer(true);
		if (action === 'no') onAnswer(false);
	});
	const label = (text: string): Piece => ({text: text.padEnd(10), tone: 'muted'});
	const yes = showKey(bindingFor('trust', 'yes').keys[0]!, theme.ascii);
	const no = bindingFor('trust', 'no').keys.map(name => showKey(name, theme.ascii)).join('/');
	const prints = fingerprintLines(question.fingerprint, width - 10);
	const lines: Piece[][] = [
		[mark(theme.glyph.warn, 'The certificate of this server is not trusted', 'warn'), paused ? {text: ' (the backup waits)', tone: 'muted'} : undefined],
		[label('Server'), `${escapeControl(question.host)}:${question.port}`],
		[label('Subject'), escapeControl(question.subject || '(none)'), {text: '   Issuer ', tone: 'muted'}, escapeControl(question.issuer || '(none)')],
		[label('Reason'), escapeControl(explainReason(question.reason))],
		...prints.map((text, index) => [label(index === 0 ? 'SHA-256' : ''), {text, bold: true}]),
		[{text: 'Compare the fingerprint with the one the server\'s administrator gave you.', tone: 'muted'}],
		[{text: yes, bold: true, inverse: true}, ' Trust it and save the fingerprint    ', {text: no, bold: true, inverse: true}, paused ? ' Refuse (the run fails)' : ' Refuse'],
	];
	const room = Math.max(0, height - 1);
	const shown = lines.length <= room ? lines : [...lines.slice(0, Math.max(0, room - 1)), lines.at(-1)!];
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			<Rule width={width} title="Trust this certificate?" />
			{shown.slice(0, room).map((segments, index) => (
				<Line key={index} width={width} segments={segments} />
			))}
		</Box>
	);
}
