/**
 * How the window draws: Unicode or ASCII only (`--ascii`, or a locale that is not UTF-8), with
 * colour or without (`NO_COLOR`). A colour is never the only carrier of a meaning: every tone
 * comes with a symbol and a word, and without colour the symbol and the word remain.
 */
import React, {createContext, useContext} from 'react';

export type Tone = 'ok' | 'bad' | 'warn' | 'busy' | 'muted' | 'accent';

export type Glyphs = {
	ok: string; bad: string; warn: string; cancelled: string; armed: string; stopped: string; idle: string; retry: string;
	arrow: string; ellipsis: string; dot: string; rule: string; barFull: string; barEmpty: string; cursor: string; folder: string;
};

const unicode: Glyphs = {
	ok: '✔', bad: '✖', warn: '⚠', cancelled: '■', armed: '●', stopped: '○', idle: '○', retry: '↻',
	arrow: '→', ellipsis: '…', dot: '·', rule: '─', barFull: '█', barEmpty: '░', cursor: '›', folder: '▸',
};

const ascii: Glyphs = {
	ok: '+', bad: 'x', warn: '!', cancelled: '#', armed: '*', stopped: 'o', idle: 'o', retry: '~',
	arrow: '->', ellipsis: '...', dot: '|', rule: '-', barFull: '#', barEmpty: '.', cursor: '>', folder: '>',
};

const colours: Record<Tone, string> = {ok: 'green', bad: 'red', warn: 'yellow', busy: 'cyan', muted: 'gray', accent: 'blue'};

export type Theme = {
	ascii: boolean;
	color: boolean;
	glyph: Glyphs;
	/** Slow spinners on purpose: each frame of a spinner is a redraw of the whole window. */
	spinner: 'squareCorners' | 'simpleDots';
	border: 'round' | 'classic';
	/** The colour of a tone, or undefined without colour. */
	tone: (tone: Tone | undefined) => string | undefined;
};

export function makeTheme(options: {ascii: boolean; color: boolean}): Theme {
	return {
		...options,
		glyph: options.ascii ? ascii : unicode,
		spinner: options.ascii ? 'simpleDots' : 'squareCorners',
		border: options.ascii ? 'classic' : 'round',
		tone: tone => (options.color && tone ? colours[tone] : undefined),
	};
}

/** True when the locale promises UTF-8 (LC_ALL, then LC_CTYPE, then LANG, as setlocale reads them). */
export function localeIsUtf8(env: NodeJS.ProcessEnv): boolean {
	const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
	return /utf-?8/i.test(locale);
}

/** The theme for this terminal: ASCII when asked or when the locale is not UTF-8; no colour under NO_COLOR. */
export function detectTheme(env: NodeJS.ProcessEnv, asciiFlag: boolean): Theme {
	const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
	return makeTheme({ascii: asciiFlag || !localeIsUtf8(env), color: !noColor && env['TERM'] !== 'dumb'});
}

export const ThemeContext = createContext<Theme>(makeTheme({ascii: false, color: true}));

export function useTheme(): Theme {
	return useContext(ThemeContext);
}

export function ThemeProvider({theme, children}: {theme: Theme; children: React.ReactNode}) {
	return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}
