import {describe, expect, it} from 'vitest';
import {parseFtpTime, parseListing} from '../../source/backup/listing-parse.js';
import {escapeControl, refuseName} from '../../source/backup/names.js';

describe('listing parser', () => {
	it('reads MLSD facts and keeps names exactly, spaces included', () => {
		const text = [
			'type=cdir;modify=20261120030000; .',
			'type=file;size=12;modify=20261120030005.123; Plan v2.dh',
			'type=file;size=0;modify=20250101000000;  two leading and trailing  ',
			'type=dir;modify=20261120030000; sub dir',
			'type=OS.unix=slink:/etc;modify=20261120030000; link',
			'type=file;size=1;modify=20261120030000; ..',
			'type=file;size=1;modify=20261120030000; a/b',
		].join('\r\n');
		const {entries} = parseListing(text, true);
		expect(entries.map(entry => [entry.name, entry.kind, entry.size, entry.mtime, entry.refused !== undefined])).toEqual([
			['Plan v2.dh', 'file', 12, Date.UTC(2026, 10, 20, 3, 0, 5) / 1000, false],
			[' two leading and trailing  ', 'file', 0, Date.UTC(2025, 0, 1) / 1000, false],
			['sub dir', 'directory', 0, Date.UTC(2026, 10, 20, 3) / 1000, false],
			['link', 'symlink', 0, Date.UTC(2026, 10, 20, 3) / 1000, false],
			['..', 'file', 1, Date.UTC(2026, 10, 20, 3) / 1000, true],
			['a/b', 'file', 1, Date.UTC(2026, 10, 20, 3) / 1000, true],
		]);
	});

	it('reads vsftpd-style LIST lines, recent and old, with the raw date only', () => {
		const text = [
			'drwxr-xr-x    2 1000     1000         4096 Nov 20 03:00 .',
			'drwxr-xr-x    2 1000     1000         4096 Nov 20 03:00 ..',
			'-rw-r--r--    1 1000     1000         1234 Nov 20 03:00 Plan v2.dh',
			'-rw-r--r--    1 ftp      ftp             5 Jan 02  2024  leading space',
			'-rw-r--r--    1 1000     1000            7 Nov 20 03:00 -dash\ttab',
			'lrwxrwxrwx    1 1000     1000            4 Nov 20 03:00 link -> /etc',
			'drwxr-xr-x    2 owner with space group  4096 Nov 20 03:00 folder',
		].join('\r\n');
		const {entries, unparsed} = parseListing(text, false);
		expect(unparsed).toEqual([]);
		expect(entries.map(entry => [entry.name, entry.kind, entry.size, entry.rawDate, entry.mtime])).toEqual([
			['Plan v2.dh', 'file', 1234, 'Nov 20 03:00', undefined],
			[' leading space', 'file', 5, 'Jan 02 2024', undefined],
			['-dash\ttab', 'file', 7, 'Nov 20 03:00', undefined],
			['link', 'symlink', 4, 'Nov 20 03:00', undefined],
			['folder', 'directory', 4096, 'Nov 20 03:00', undefined],
		]);
	});

	it('reports lines it cannot read instead of guessing', () => {
		expect(parseListing('garbage line\n', false).unparsed).toEqual(['garbage line']);
		const mlsd = parseListing(['garbage line', 'type=file;size=12x; bad size', 'size=3; no type', 'type=cdir; .', 'type=pdir; ..', '', 'type=file;size=3;unique=801U2a; fine'].join('\r\n'), true);
		expect(mlsd.unparsed).toEqual(['garbage line', 'type=file;size=12x; bad size', 'size=3; no type']);
		expect(mlsd.entries.map(entry => [entry.name, entry.id])).toEqual([['fine', '801U2a']]);
	});

	it('ends lines at LF only: a CR or a unicode line separator inside a name is part of it', () => {
		const names = ['a\rb', '\u2028leading', 'line\u2028sep', 'para\u2029sep', 'next\u0085line', 'trailing cr\r'];
		const list = names.map(name => `-rw-r--r--    1 1000     1000            5 Nov 20 03:00 ${name}\r\n`).join('');
		const mlsd = names.map(name => `type=file;size=5;modify=20261120030000; ${name}\r\n`).join('');
		const dos = names.map(name => `11-20-26  03:00AM                    5 ${name}\r\n`).join('');
		for (const [text, isMlsd] of [[list, false], [mlsd, true], [dos, false]] as const) {
			const {entries, unparsed} = parseListing(text, isMlsd);
			expect(unparsed).toEqual([]);
			expect(entries.map(entry => entry.name)).toEqual(names);
			expect(entries.map(entry => entry.refused !== undefined)).toEqual([true, false, false, false, false, true]);
		}
	});

	it('parses FTP times in UTC, fractions dropped', () => {
		expect(parseFtpTime('20261120030005')).toBe(Date.UTC(2026, 10, 20, 3, 0, 5) / 1000);
		expect(parseFtpTime('20261120030005.999')).toBe(Date.UTC(2026, 10, 20, 3, 0, 5) / 1000);
		expect(parseFtpTime('yesterday')).toBeUndefined();
	});
});

describe('remote names', () => {
	it('refuses ., .., a slash, a NUL and line breaks; keeps the rest', () => {
		for (const name of ['.', '..', 'a/b', 'a\0b', 'a\nb', '']) expect(refuseName(name)).toBeDefined();
		for (const name of [' x ', '-rf', 'a\tb', 'é', '#%$;&|', 'x'.repeat(255)]) expect(refuseName(name)).toBeUndefined();
		expect(refuseName('é'.repeat(128))).toBeDefined();
		// 255 bytes of UTF-8 at most, however few characters: 3-byte and 4-byte ones at the edge.
		for (const name of ['€'.repeat(85), 'é'.repeat(127), `${'😀'.repeat(63)}abc`]) expect(refuseName(name)).toBeUndefined();
		for (const name of ['€'.repeat(86), '😀'.repeat(64), `${'😀'.repeat(63)}abcd`]) expect(refuseName(name)).toBe('the name is longer than 255 bytes');
		expect([refuseName('a/b\n'), refuseName('a\0b\r'), refuseName('a\rb')]).toEqual(['the name holds a "/"', 'the name holds a NUL byte', 'the name holds a line break, which no FTP command can carry']);
	});

	it('escapes control characters so a name cannot move the cursor or forge a line', () => {
		expect(escapeControl('a\tb\nc\u001B[2J\\d\u009Bé')).toBe('a\\tb\\nc\\x1b[2J\\\\d\\x9bé');
	});
});
