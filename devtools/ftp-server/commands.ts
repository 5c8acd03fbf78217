// Patches ftp-srv's process-wide command registry. Every patched command checks whether its
// server is a test server (stateOf) and otherwise behaves exactly as ftp-srv's own.
import {lstat, stat} from 'node:fs/promises';
import type {Socket} from 'node:net';
import {TLSSocket, createSecureContext} from 'node:tls';
import {ConnectionClass, registry, type Command, type Connection, type Handler, type HandlerArguments} from './internals.js';
import {answerHash, hashFeatures, optsHash} from './hash.js';
import {ftpTime, listLine, statTime, mlsdLine, readEntries, readEntry, type Entry} from './listing.js';
import {openPassive} from './passive.js';
import {stateOf, type ServerState} from './state.js';

type TestHandler = (this: Connection, args: HandlerArguments, state: ServerState, original: Handler) => Promise<unknown>;

/** Commands whose path argument is taken verbatim from the command line (ftp-srv strips `"` and treats `-x` words as flags). */
const VERBATIM_PATH_COMMANDS = ['STOR', 'APPE', 'DELE', 'MKD', 'XMKD', 'RMD', 'XRMD', 'RNFR', 'RNTO', 'CWD', 'XCWD'];
const MLST_FEATURE = 'MLST type*;size*;modify*;';

let installed = false;

export function installCommands(): void {
	if (installed) return;
	installed = true;
	serializeCommands();
	for (const directive of VERBATIM_PATH_COMMANDS) if (registry[directive]) patch(directive, withVerbatimPath);
	patch('RETR', retr);
	patch('FEAT', feat);
	patch('OPTS', opts);
	patch('LIST', list);
	patch('NLST', list);
	patch('STAT', statListing);
	patch('AUTH', auth);
	patch('MLSD', mlsd);
	patch('MLST', mlst);
	patch('MDTM', mdtm);
	patch('SIZE', size);
	patch('EPSV', epsv);
	patch('PASV', pasv);
	for (const directive of ['HASH', 'XMD5'] as const) {
		patch(directive, async function ({command}, state) {
			return answerHash(this, state.hash, directive, verbatimArgument(command));
		});
	}
}

/**
 * ftp-srv handles each chunk read from the control connection as soon as it arrives, so two
 * chunks of pipelined commands are worked at once and may be answered out of order, and a
 * command split across chunks is read as two. RFC 959 servers answer whole lines in order; so
 * does this one: each chunk's whole lines wait for the ones before, and a partial line waits
 * for its end.
 */
function serializeCommands(): void {
	const original = ConnectionClass.prototype._handleData;
	ConnectionClass.prototype._handleData = function (data) {
		const held = this.held ? Buffer.concat([this.held, data]) : data;
		const end = held.lastIndexOf('\r\n');
		this.held = end < 0 ? held : held.subarray(end + 2);
		if (this.held.length === 0) this.held = undefined;
		if (end < 0) return this.queued ?? Promise.resolve();
		const lines = held.subarray(0, end + 2);
		const onCommand = stateOf(this.server)?.onCommand;
		if (onCommand) for (const line of lines.toString('utf8').split('\r\n').slice(0, -1)) onCommand(line);
		const previous = this.queued ?? Promise.resolve();
		const next = previous.then(async () => original.call(this, lines)).catch(() => undefined);
		this.queued = next;
		return next;
	};
}

function patch(directive: string, handler: TestHandler): void {
	const original = registry[directive];
	const fallback: Handler = original
		? original.handler
		: function (this: Connection) {
				return this.reply(502, `Command not allowed: ${directive}`);
			};
	registry[directive] = {
		...original,
		directive,
		handler(this: Connection, args: HandlerArguments) {
			const state = stateOf(this.server);
			if (!state) return fallback.call(this, args);
			return handler.call(this, args, state, fallback).catch((error: unknown) => this.reply(451, errorMessage(error)));
		},
	};
}

/** The argument exactly as sent: everything after the first space. */
export function verbatimArgument(command: Command): string | null {
	const match = /^\s*\S+ (.*)$/s.exec(command.raw);
	return match?.[1] ? match[1] : null;
}

const withVerbatimPath: TestHandler = async function (args, _state, original) {
	return original.call(this, {...args, command: {...args.command, arg: verbatimArgument(args.command)}});
};

/** ftp-srv answers 551 only after the data connection is up; vsftpd answers 550 at once (and so for a denied file). */
const retr: TestHandler = async function (args, state, original) {
	const given = verbatimArgument(args.command);
	const denied = given !== null && state.deniedReads.has(this.fs!._resolvePath(given).clientPath);
	if (denied || !(await statFile(this, args.command))) {
		this.restByteCount = 0;
		return refuseTransfer(this, 550, denied ? 'Permission denied.' : 'Failed to open file.');
	}
	return withVerbatimPath.call(this, args, state, original);
};

const feat: TestHandler = async function (_args, state) {
	const features = ['EPRT', 'EPSV', 'MDTM', 'PASV', 'REST STREAM', 'SIZE', 'UTF8'].filter((feature) => state.epsv || feature !== 'EPSV');
	if (state.tls === 'explicit') features.push('AUTH TLS');
	if (state.tls !== 'none') features.push('PBSZ', 'PROT');
	if (state.mlsd) features.push(MLST_FEATURE);
	features.push(...hashFeatures(state.hash));
	const lines = features.sort().map((feature) => ({message: ` ${feature}`, raw: true}));
	return this.reply(211, 'Features:', ...lines, 'End');
};

const opts: TestHandler = async function (args, state, original) {
	const [option = '', ...rest] = (verbatimArgument(args.command) ?? '').split(' ');
	if (option.toUpperCase() === 'HASH') return optsHash(this, state.hash, rest.join(' '));
	if (option.toUpperCase() !== 'MLST') return original.call(this, args);
	if (!state.mlsd) return this.reply(501, 'Option not understood.');
	return this.reply(200, 'MLST OPTS type;size;modify;');
};

/** The LIST lines of a path (a folder's entries, or the one entry of a file), or undefined when it does not exist. */
async function listLines(connection: Connection, given: string, state: ServerState, names: boolean): Promise<string[] | undefined> {
	const {fsPath, clientPath} = connection.fs!._resolvePath(given);
	let entries: Entry[];
	try {
		const entry = await readEntry(fsPath, given);
		entries = entry.stats.isDirectory() ? await readEntries(fsPath) : [entry];
	} catch {
		return undefined;
	}
	const now = Date.now();
	const extra = names ? [] : (state.extraLines?.[clientPath]?.list ?? []);
	return [...entries.map((entry) => (names ? entry.name : listLine(entry, now))), ...extra];
}

const list: TestHandler = async function ({command}, state) {
	const given = stripListOptions(verbatimArgument(command));
	const lines = await listLines(this, given, state, command.directive === 'NLST');
	if (!lines) return refuseTransfer(this, 550, `${given}: No such file or directory.`);
	return sendText(this, lines);
};

/**
 * `AUTH TLS`, with the socket wrapped in TLS as the 234 goes out. ftp-srv wraps it only once
 * its 234 is written, so a quick client's ClientHello could reach the plain command reader (a
 * "wrong version number" at the client, or a handshake that never ends).
 */
const auth: TestHandler = async function (args, _state, original) {
	const connection = this as Connection & {secure: boolean; server: {options: {tls: object | false}}};
	if ((args.command.arg ?? '').toUpperCase() !== 'TLS' || !connection.server.options.tls || connection.secure) return original.call(this, args);
	const plain = connection.commandSocket;
	plain.write('234 Honored\r\n');
	const secure = new TLSSocket(plain, {isServer: true, secureContext: createSecureContext(connection.server.options.tls)});
	for (const event of ['data', 'timeout', 'end', 'close', 'drain', 'error']) {
		secure.on(event, (...values: unknown[]) => plain.emit(event, ...values));
	}

	connection.commandSocket = secure;
	(connection as {secure: boolean}).secure = true;
	return undefined;
};

/** `STAT <path>`: the LIST lines on the control connection, as vsftpd, proFTPD and Pure-FTPd answer (unless turned off). */
const statListing: TestHandler = async function (args, state, original) {
	const argument = verbatimArgument(args.command);
	if (!argument) return original.call(this, args);
	const given = stripListOptions(argument);
	if (!state.statListing) return this.reply(502, 'STAT with a path is not implemented.');
	const lines = await listLines(this, given, state, false);
	if (!lines) return this.reply(450, `${given}: No such file or directory.`);
	return this.reply(213, 'Status follows:', ...lines.map((message) => ({message, raw: true})), 'End of status');
};

const mlsd: TestHandler = async function ({command}, state) {
	if (!state.mlsd) return refuseTransfer(this, 500, 'Unknown command.');
	const given = verbatimArgument(command) ?? '.';
	const {fsPath, clientPath} = this.fs!._resolvePath(given);
	const stats = await lstat(fsPath).catch(() => undefined);
	if (!stats) return refuseTransfer(this, 550, `${given}: No such file or directory.`);
	if (!stats.isDirectory()) return refuseTransfer(this, 501, `${given}: Not a directory.`);
	const entries = await readEntries(fsPath);
	return sendText(this, [...entries.map((entry) => mlsdLine(entry)), ...(state.extraLines?.[clientPath]?.mlsd ?? [])]);
};

const mlst: TestHandler = async function ({command}, state) {
	if (!state.mlsd) return this.reply(500, 'Unknown command.');
	const {fsPath, clientPath} = this.fs!._resolvePath(verbatimArgument(command) ?? '.');
	const entry = await readEntry(fsPath, clientPath).catch(() => undefined);
	if (!entry) return this.reply(550, `${clientPath}: No such file or directory.`);
	return this.reply(250, `Listing ${clientPath}`, {message: ` ${mlsdLine(entry)}`, raw: true}, 'End');
};

const mdtm: TestHandler = async function ({command}) {
	const stats = await statFile(this, command);
	if (!stats) return this.reply(550, 'Could not get file modification time.');
	return this.reply(213, ftpTime(statTime(stats)));
};

const size: TestHandler = async function ({command}) {
	const stats = await statFile(this, command);
	if (!stats) return this.reply(550, 'Could not get file size.');
	return this.reply(213, String(stats.size));
};

const epsv: TestHandler = async function (_args, state) {
	if (!state.epsv) return this.reply(500, 'Unknown command.');
	const port = await announced(state, await openPassive(this, state));
	return this.reply(229, `Entering Extended Passive Mode (|||${port}|)`);
};

const pasv: TestHandler = async function (_args, state) {
	const port = await announced(state, await openPassive(this, state));
	return this.reply(227, `Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255}).`);
};

/** The port a passive reply names: the listener's own, or the one a proxy in front forwards to it. */
async function announced(state: ServerState, port: number): Promise<number> {
	return state.passivePort ? state.passivePort(port) : port;
}

/** `LIST -a path`, `LIST -la`: drop leading option words (a name that looks like an option can't be listed, as in vsftpd). */
function stripListOptions(argument: string | null): string {
	let rest = argument ?? '';
	while (/^-[a-zA-Z]+(?: |$)/.test(rest)) rest = rest.replace(/^-[a-zA-Z]+ ?/, '');
	return rest === '' ? '.' : rest;
}

async function statFile(connection: Connection, command: Command) {
	const given = verbatimArgument(command);
	if (given === null) return undefined;
	const stats = await stat(connection.fs!._resolvePath(given).fsPath).catch(() => undefined);
	return stats?.isFile() ? stats : undefined;
}

async function refuseTransfer(connection: Connection, code: number, message: string) {
	connection.connector.end();
	return connection.reply(code, message);
}

async function sendText(connection: Connection, lines: string[]) {
	const data = Buffer.from(lines.map((line) => `${line}\r\n`).join(''), connection.encoding);
	let socket: Socket;
	try {
		socket = await connection.connector.waitForConnection();
	} catch {
		connection.connector.end();
		return connection.reply(425, 'Failed to establish connection.');
	}
	connection.commandSocket.pause();
	try {
		await connection.reply(150, 'Here comes the directory listing.');
		await endSocket(socket, data);
		await connection.reply(226, 'Directory send OK.');
	} catch {
		await connection.reply(426, 'Failure writing network stream.');
	} finally {
		connection.connector.end();
		connection.commandSocket.resume();
	}
}

function endSocket(socket: Socket, data: Buffer): Promise<void> {
	return new Promise((resolve, reject) => {
		const fail = () => reject(new Error('Data connection closed'));
		socket.once('error', fail);
		socket.once('close', fail);
		socket.end(data, () => {
			socket.off('error', fail);
			socket.off('close', fail);
			resolve();
		});
	});
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
