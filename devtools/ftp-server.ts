// An in-process FTP/FTPS server for tests, the demo and the benchmark, built on ftp-srv.
// Listens on 127.0.0.1 only, on an OS-chosen port; see ftp-server/ for the patched commands.
import {stat} from 'node:fs/promises';
import type {AddressInfo, Socket} from 'node:net';
import path from 'node:path';
import {getCertificate} from './ftp-server/certificate.js';
import {installCommands} from './ftp-server/commands.js';
import {createFileSystem, type BreakReads} from './ftp-server/file-system.js';
import {FtpSrvClass, silentLog, type FtpSrv, type LoginData, type LoginResult} from './ftp-server/internals.js';
import {createState, trackSocket, type ServerState} from './ftp-server/state.js';

export type FtpServerOptions = {
	/** Local folder served as "/". */
	root: string;
	/** Advertise `MLST type*;size*;modify*;` in FEAT and answer MLSD/MLST (default false: they get 500). */
	mlsd?: boolean;
	/** explicit = AUTH TLS on a plain port; implicit = TLS from the first byte (default 'none'). */
	tls?: 'none' | 'explicit' | 'implicit';
	/** When given, only this login is accepted (530 otherwise); by default any user and password. */
	user?: string;
	password?: string;
	/** A control connection beyond this many open at once gets "421 Too many connections" and is closed. */
	maxConnections?: number;
	/** Answer EPSV (default true); false plays a server that has only PASV. */
	epsv?: boolean;
	/** Answer `STAT <path>` with the folder's listing on the control connection, as most servers do (default true). */
	statListing?: boolean;
	/** Offer a hash command (FEAT, OPTS HASH and the command itself): `HASH` with SHA-256, SHA-1 and MD5, or proftpd-style `XMD5` (default false: none). */
	hash?: 'HASH' | 'XMD5' | false;
	/** Raw listing lines added to a folder (by its path, `/` or `/u`), to play a hostile server. */
	extraLines?: Record<string, {list?: string[]; mlsd?: string[]}>;
	/** Downloads that fail part-way with a 551, for tests of a transfer that breaks (counted over all sessions). */
	breakReads?: BreakReads;
	/** Each download goes at this many bytes a second at most, per data connection (the demo's pace; default: as fast as it can). */
	paceBytesPerSecond?: number;
	/** Files (client paths, `/bob/locked.doc`) whose RETR is refused with `550 Permission denied.`, as a server refuses an unreadable file. */
	deniedReads?: string[];
	/** Told each command line as it arrives, TLS or not (PASS included): for a proxy that cannot read TLS. */
	onCommand?: (line: string) => void;
	/** The port to announce in 227/229 for a passive listener on `port`: a proxy in front listens there and forwards. */
	passivePort?: (port: number) => number | Promise<number>;
};

export type FtpTestServer = {
	host: '127.0.0.1';
	port: number;
	/** SHA-256 of the certificate, `AA:BB:…` like Node's fingerprint256 (TLS modes only). */
	fingerprint?: string;
	close(): Promise<void>;
	/** Control connections open now. */
	connections(): number;
};

const HOST = '127.0.0.1';
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

export async function startFtpServer(options: FtpServerOptions): Promise<FtpTestServer> {
	installCommands();
	const root = path.resolve(options.root);
	if (!(await stat(root)).isDirectory()) throw new Error(`Not a folder: ${root}`);
	const tls = options.tls ?? 'none';
	const certificate = tls === 'none' ? undefined : await getCertificate();

	// The server's own count of broken reads, over all its sessions (the caller's object is left as it was).
	const breakReads = options.breakReads && {...options.breakReads};
	const ftp = withoutSignalHandlers(
		() =>
			new FtpSrvClass({
				url: `${tls === 'implicit' ? 'ftps' : 'ftp'}://${HOST}:0`,
				pasv_url: HOST,
				tls: certificate ? {key: certificate.key, cert: certificate.cert} : false,
				anonymous: false,
				log: silentLog,
			}),
	);
	const state = createState(ftp, {
		mlsd: options.mlsd ?? false, tls, epsv: options.epsv ?? true, statListing: options.statListing ?? true, hash: options.hash ?? false,
		extraLines: options.extraLines, onCommand: options.onCommand, passivePort: options.passivePort, deniedReads: new Set(options.deniedReads),
	});
	ftp.disconnectClient = (id) => disconnect(ftp, id);
	ftp.on('login', (data: LoginData, resolve: (result: LoginResult) => void, reject: (error: Error) => void) => {
		if (!loginAccepted(options, data)) return reject(new Error('Login incorrect.'));
		resolve({fs: createFileSystem(data.connection, root, {breakReads, paceBytesPerSecond: options.paceBytesPerSecond})});
	});
	limitConnections(ftp, state, options.maxConnections);
	await ftp.listen();

	let closing: Promise<void> | undefined;
	return {
		host: HOST,
		port: (ftp.server.address() as AddressInfo).port,
		fingerprint: certificate?.fingerprint,
		connections: () => Object.keys(ftp.connections).length,
		close: () => (closing ??= close(ftp, state)),
	};
}

function loginAccepted(options: FtpServerOptions, {username, password}: LoginData): boolean {
	if (options.user !== undefined && username !== options.user) return false;
	return options.password === undefined || password === options.password;
}

/** ftp-srv's constructor installs SIGTERM/SIGINT/SIGQUIT handlers that exit the process: remove them. */
function withoutSignalHandlers(create: () => FtpSrv): FtpSrv {
	const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
	const ftp = create();
	for (const signal of SIGNALS) {
		for (const listener of process.listeners(signal)) {
			if (!before.get(signal)?.has(listener)) process.off(signal, listener);
		}
	}
	return ftp;
}

/** ftp-srv's own disconnectClient leaves a 1 s timer behind for every connection. */
async function disconnect(ftp: FtpSrv, id: string): Promise<void> {
	const connection = ftp.connections[id];
	if (!connection) return;
	delete ftp.connections[id];
	connection.commandSocket.destroy();
}

/** Wraps ftp-srv's connection handler to refuse connections beyond the limit, and tracks every socket. */
function limitConnections(ftp: FtpSrv, state: ServerState, maxConnections: number | undefined): void {
	const event = state.tls === 'implicit' ? 'secureConnection' : 'connection';
	const [accept] = ftp.server.listeners(event) as Array<(socket: Socket) => void>;
	if (!accept) throw new Error('ftp-srv has no connection handler');
	ftp.server.removeListener(event, accept);
	ftp.server.on(event, (socket: Socket) => {
		if (maxConnections !== undefined && Object.keys(ftp.connections).length >= maxConnections) {
			socket.on('error', () => {});
			socket.end('421 Too many connections\r\n', () => socket.destroy());
			return;
		}
		accept(socket);
	});
	ftp.server.on('connection', (socket: Socket) => trackSocket(state, socket));
	ftp.server.on('tlsClientError', () => {});
}

async function close(ftp: FtpSrv, state: ServerState): Promise<void> {
	for (const socket of state.sockets) socket.destroy();
	for (const server of state.dataServers) server.close();
	await ftp.close();
}
