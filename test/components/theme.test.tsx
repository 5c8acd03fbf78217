import React from 'react';
import {describe, expect, it} from 'vitest';
import {Line} from '../../source/components/line.js';
import {detectTheme, localeIsUtf8, makeTheme} from '../../source/components/theme.js';
import {renderAt} from '../window/terminal.js';

describe('the theme', () => {
	it('honours NO_COLOR: no tone has a colour', () => {
		const theme = detectTheme({NO_COLOR: '1', LANG: 'en_US.UTF-8'}, false);
		expect(theme.color).toBe(false);
		for (const tone of ['ok', 'bad', 'warn', 'busy', 'muted', 'accent'] as const) expect(theme.tone(tone)).toBeUndefined();
		expect(detectTheme({NO_COLOR: '', LANG: 'en_US.UTF-8'}, false).color).toBe(true);
		expect(detectTheme({LANG: 'en_US.UTF-8'}, false).tone('bad')).toBe('red');
	});

	it('draws ASCII only with --ascii, or when the locale is not UTF-8', () => {
		expect(detectTheme({LANG: 'en_US.UTF-8'}, true).ascii).toBe(true);
		expect(detectTheme({LANG: 'C'}, false).ascii).toBe(true);
		expect(detectTheme({}, false).ascii).toBe(true);
		expect(detectTheme({LC_ALL: 'de_DE.utf8', LANG: 'C'}, false).ascii).toBe(false);
		expect(localeIsUtf8({LC_CTYPE: 'C.UTF-8'})).toBe(true);
		const ascii = makeTheme({ascii: true, color: false});
		for (const glyph of Object.values(ascii.glyph)) expect(glyph).toMatch(/^[\u0020-\u007E]+$/);
		expect(ascii.spinner).toBe('simpleDots');
	});

	it('gives every status a symbol and a word, so that the meaning stays without colour', async () => {
		const t = await renderAt(<Line width={40} segments={[{text: '✔ Done', tone: 'ok'}, ' ', {text: 'x Failed', tone: 'bad'}]} />, {columns: 40, rows: 5, theme: makeTheme({ascii: false, color: false})});
		expect(t.frame()).toContain('✔ Done x Failed');
		expect(t.frame()).not.toContain('\u001B[3');
		t.unmount();
	});
});
