import React from 'react';
import {describe, expect, it} from 'vitest';
import {Footer, hintsOf, layoutHints} from '../../source/components/footer.js';
import {HelpOverlay} from '../../source/components/help-overlay.js';
import {bindingsOf, isQuiet, labelOf} from '../../source/keymap.js';
import {renderAt} from '../window/terminal.js';

describe('the footer and the help overlay, from the key map', () => {
	it('hints every key of the screen that is not quiet, with its label from the table', () => {
		const context = {armed: true, running: false};
		const hints = hintsOf('backup', context, false);
		const expected = bindingsOf('backup').filter(binding => !isQuiet(binding, context)).map(binding => labelOf(binding, context));
		expect(hints.map(hint => hint.label)).toEqual(expected);
		expect(hints.find(hint => hint.keys === 's')?.label).toBe('Stop');
		expect(hints.some(hint => hint.label === 'Cancel')).toBe(false);
		expect(hintsOf('backup', {armed: false, running: true}, false).find(hint => hint.keys === 'c')?.label).toBe('Cancel');
		expect(hintsOf('log', context, false).find(hint => hint.label === 'Page')?.keys).toBe('PgUp/PgDn');
	});

	it('fits the width in the lines it has, dropping middle hints before help and quit', () => {
		const hints = hintsOf('backup', {armed: false, running: true}, false);
		const rows = layoutHints(hints, 30, 2);
		expect(rows).toHaveLength(2);
		const shown = rows.flat().map(hint => hint.label);
		expect(shown.slice(-2)).toEqual(['Help', 'Quit']);
	});

	it('draws within 80 columns and two lines', async () => {
		const t = await renderAt(<Footer screen="backup" context={{armed: false, running: true}} width={80} />, {columns: 80, rows: 24});
		const lines = t.frame().split('\n').filter(Boolean);
		expect(lines.length).toBeLessThanOrEqual(2);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
		expect(t.frame()).toContain('n Now');
		t.unmount();
	});

	it('lists every binding of the Backup window in the help overlay', async () => {
		const t = await renderAt(<HelpOverlay screen="backup" width={100} height={20} />, {columns: 100, rows: 30});
		for (const binding of bindingsOf('backup')) expect(t.frame()).toContain(binding.help);
		t.unmount();
	});
});
