/** `packrat-verify.tsv` read back for tests. */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {expect} from 'vitest';

/** The report as {path: [checked, result, detail]}, after checking its header and its last newline. */
export async function readReport(backup: string): Promise<Record<string, string[]>> {
	const text = await readFile(join(backup, 'packrat-verify.tsv'), 'utf8');
	expect(text.endsWith('\n')).toBe(true);
	const [header, ...rows] = text.slice(0, -1).split('\n').map(line => line.split('\t'));
	expect(header).toEqual(['path', 'checked', 'result', 'detail']);
	return Object.fromEntries(rows.map(([path, ...rest]) => [path!, rest]));
}
