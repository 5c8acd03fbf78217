/**
 * The hostile server's honest answers, one per command; a test replaces any of them. A listing or
 * a file goes over the data connection opened after EPSV/PASV, framed by 150 and 226 as RFC 959
 * has it. Helpers below let a test's handler send a listing or bytes of its own the same way.
 */
import type {Socket} from 'node:net';
import {ftpTime} from '../ftp-server/listing.js';
import type {Handler, Session} from '../hostile-server.js';

/** Send `body` on the next data connection between a 150 and a 226, then close it. */
export async function sendData(session: Session, body: string | Buffer): Promise<void> {
	session.reply('150 Here it comes.');
	const data = await session.data();
	await new Promise<void>(resolve => data.end(body, resolve));
	session.reply('226 Transfer complete.');
}

/** Write `chunk` on `socket` every `everyMs` until it closes, `times` times at most; resolves when done. */
export async function trickle(socket: Socket, chunk: string | Buffer, everyMs: number, times = Number.POSITIVE_INFINITY): Promise<void> {
	for (let sent = 0; sent < times && !socket.destroyed; sent++) {
		socket.write(chunk);
		await new Promise(resolve => setTimeout(resolve, everyMs).unref());
	}
}

/**
 * RETR that refuses the files `refused` names with a `550`, every time, as a server refuses a name
 * it cannot serve; the others are sent as the honest handler sends them.
 */
export function refusingRetr(refused: (path: string) => boolean, reply = '550 Cannot open that file.'): Handler {
	return async (session, argument) => {
		if (!refused(session.server.tree.resolve(session.cwd, argument))) return defaultHandlers['RETR']!(session, argument);
		session.rest = 0;
		session.reply(reply);
	};
}

/**
 * RETR that opens the data connection for the files `broken` names and resets it at once, every
 * time, then says so on the control connection (`426`), as a server does that loses a file.
 */
export function resettingRetr(broken: (path: string) => boolean): Handler {
	return async (session, argument) => {
		if (!broken(session.server.tree.resolve(session.cwd, argument))) return defaultHandlers['RETR']!(session, argument);
		session.rest = 0;
		session.reply('150 Here it comes.');
		const data = await session.data();
		data.resetAndDestroy();
		session.reply('426 Connection closed; transfer aborted.');
	};
}

const listing = (mlsd: boolean): Handler => async (session, argument) => {
	const path = session.server.tree.resolve(session.cwd, argument.replace(/^-a\s*/, '').replace(/^-a$/, ''));
	const {tree} = session.server;
	if (!tree.folders.has(path)) {
		session.reply('550 No such folder.');
		return;
	}

	const lines = mlsd ? tree.mlsdLines(path) : tree.listLines(path);
	await sendData(session, lines.map(line => `${line}\r\n`).join(''));
};

export const defaultHandlers: Record<string, Handler> = {
	USER: session => session.reply('331 Password, please.'),
	PASS: session => session.reply('230 Logged in.'),
	TYPE: session => session.reply('200 Binary it is.'),
	OPTS: session => session.reply('200 OK.'),
	SYST: session => session.reply('215 UNIX Type: L8'),
	NOOP: session => session.reply('200 NOOP ok.'),
	FEAT(session) {
		const mlst = session.server.options.mlsd ? [' MLST type*;size*;modify*;'] : [];
		session.raw(['211-Features:', ' EPSV', ' MDTM', ' REST STREAM', ' SIZE', ' UTF8', ...mlst, '211 End', ''].join('\r\n'));
	},
	PWD: session => session.reply(`257 "${session.cwd}" is the current folder.`),
	CWD(session, argument) {
		const path = session.server.tree.resolve(session.cwd, argument);
		if (!session.server.tree.folders.has(path)) {
			session.reply('550 No such folder.');
			return;
		}

		session.cwd = path;
		session.reply('250 OK.');
	},
	async EPSV(session) {
		session.reply(`229 Entering Extended Passive Mode (|||${await session.listen()}|)`);
	},
	async PASV(session) {
		const port = await session.listen();
		session.reply(`227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255}).`);
	},
	LIST: listing(false),
	MLSD(session, argument) {
		if (!session.server.options.mlsd) {
			session.reply('500 Unknown command.');
			return;
		}

		return listing(true)(session, argument);
	},
	MDTM(session, argument) {
		const file = session.server.tree.files.get(session.server.tree.resolve(session.cwd, argument));
		session.reply(file ? `213 ${ftpTime(file.mtime)}` : '550 No such file.');
	},
	SIZE(session, argument) {
		const file = session.server.tree.files.get(session.server.tree.resolve(session.cwd, argument));
		session.reply(file ? `213 ${file.data.length}` : '550 No such file.');
	},
	REST(session, argument) {
		session.rest = Number(argument);
		session.reply(`350 Restarting at ${session.rest}.`);
	},
	async RETR(session, argument) {
		const file = session.server.tree.files.get(session.server.tree.resolve(session.cwd, argument));
		const from = session.rest;
		session.rest = 0;
		if (!file) {
			session.reply('550 No such file.');
			return;
		}

		await sendData(session, file.data.subarray(from));
	},
	STAT: session => session.reply('502 STAT not implemented.'),
	async AUTH(session, argument) {
		if (!session.server.options.tls || argument.toUpperCase() !== 'TLS') {
			session.reply('502 No TLS here.');
			return;
		}

		session.reply('234 Proceed with negotiation.');
		await session.upgrade();
	},
	PBSZ: session => session.reply('200 PBSZ=0'),
	PROT(session, argument) {
		session.protectedData = argument.toUpperCase() === 'P';
		session.reply('200 PROT now set.');
	},
	QUIT(session) {
		session.reply('221 Goodbye.');
		session.socket.end();
	},
};
