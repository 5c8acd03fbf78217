/**
 * A small FTP server that misbehaves on purpose, for the tests of what a broken or hostile server
 * can never do to packrat. Every command has an honest default over an in-memory tree (LIST lines
 * as vsftpd writes them, MLSD when asked, MDTM, REST, RETR, EPSV/PASV, AUTH TLS, PBSZ/PROT); a test
 * replaces the answer to any command with its own handler, which can write anything, raw, at any
 * pace, on the control or the data connection. Listens on 127.0.0.1 only, on an OS-chosen port.
 */
import {createServer, type AddressInfo, type Server, type Socket} from 'node:net';
import {TLSSocket, createSecureContext, type SecureContext} from 'node:tls';
import {keyShareGroups} from './hostile-server/client-hello.js';
import {defaultHandlers} from './hostile-server/handlers.js';
import {HostileTree, type TreeInput} from './hostile-server/tree.js';

export type {TreeInput} from './hostile-server/tree.js';

/** A key and certificate, PEM. */
export type Pem = {key: string; cert: string};

export type HostileOptions = {
	/** path → contents (`/alice/a.txt`: 'text' or {data, mtime}); a path ending in `/` is an empty folder. */
	files?: TreeInput;
	/** Advertise MLST in FEAT and answer MLSD (default false: LIST plus MDTM, as vsftpd). */
	mlsd?: boolean;
	/** `explicit`: AUTH TLS on the plain port; `implicit`: TLS from the first byte. */
	tls?: 'explicit' | 'implicit';
	/** The control connection's certificate (TLS modes). */
	certificate?: Pem;
	/** The data connections' certificate, when a test wants it to differ from the control's. */
	dataCertificate?: Pem;
	/**
	 * `fresh`: data connections never resume the control connection's TLS session (they hold their
	 * own SecureContext, with the same certificate unless `dataCertificate` is given), so each shows
	 * its certificate in a full handshake. Default `resumed` where the client offers the session.
	 */
	dataSessions?: 'resumed' | 'fresh';
	/** Replace the answer to a command (by its verb, upper case); the default handlers are in hostile-server/handlers.ts. */
	handlers?: Record<string, Handler>;
	/** The greeting (default `220 hostile test server`), or a handler that writes its own. */
	greeting?: string | Handler;
	/** The TLS key-exchange groups the server takes (OpenSSL's `ecdhCurve`, e.g. `P-256` as vsftpd 3.0); default OpenSSL's. */
	groups?: string;
	/** Plain data connections stay open for writing after the client ends its side (as vsftpd's); default: they end with it, as Node's. */
	dataHalfOpen?: boolean;
};

/** One control connection, as a handler sees it. */
export type Session = {
	readonly server: HostileServer;
	/** The control socket now (a TLSSocket after AUTH TLS). */
	socket: Socket;
	/** Write a line and CRLF on the control connection. */
	reply(line: string): void;
	/** Write bytes as they are on the control connection. */
	raw(data: string | Buffer): void;
	/** Open a passive listener; resolves with its port. The next `data()` is its first connection. */
	listen(): Promise<number>;
	/** The data connection the client opened after the last EPSV/PASV (TLS when PROT P was given). */
	data(): Promise<Socket>;
	/** The current folder, `/` at login. */
	cwd: string;
	/** REST offset for the next RETR. */
	rest: number;
	/** PROT P was accepted: data connections are TLS. */
	protectedData: boolean;
	/** Turn the control connection into TLS now (after a 234). */
	upgrade(): Promise<void>;
};

export type Handler = (session: Session, argument: string) => void | Promise<void>;

export type HostileServer = {
	host: '127.0.0.1';
	port: number;
	options: HostileOptions;
	tree: HostileTree;
	/** Every command received, in order, over all sessions (`PASS` with its argument hidden). */
	commands: string[];
	/** Control connections accepted so far. */
	accepted: number;
	/** TLS sessions resumed on data connections, and data handshakes done in full. */
	dataTls: {resumed: number; full: number};
	/** The groups each TLS data connection's first ClientHello offered key shares for (client-hello.ts). */
	dataKeyShares: number[][];
	controlContext?: SecureContext;
	/** The context of the next data connections; a test may swap it during a run (a certificate for RETR only). */
	dataContext?: SecureContext;
	close(): Promise<void>;
};

export async function startHostileServer(options: HostileOptions = {}): Promise<HostileServer> {
	if (options.tls && !options.certificate) throw new Error('a TLS hostile server needs options.certificate');
	const sockets = new Set<Socket>();
	const servers = new Set<Server>();
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		return socket;
	};

	const context = (pem: Pem | undefined) => createSecureContext({...pem, ...(options.groups ? {ecdhCurve: options.groups} : {})});
	const controlContext = options.certificate ? context(options.certificate) : undefined;
	const fresh = options.dataSessions === 'fresh' && options.certificate;
	const dataContext = options.dataCertificate || fresh ? context(options.dataCertificate ?? options.certificate) : controlContext;
	const handlers = {...defaultHandlers, ...options.handlers};
	const listener = createServer(plain => {
		hostile.accepted++;
		void serve(track(plain));
	});
	await new Promise<void>(resolve => listener.listen(0, '127.0.0.1', resolve));
	servers.add(listener);

	const hostile: HostileServer = {
		host: '127.0.0.1',
		port: (listener.address() as AddressInfo).port,
		options,
		tree: new HostileTree(options.files ?? {}),
		commands: [],
		accepted: 0,
		dataTls: {resumed: 0, full: 0},
		dataKeyShares: [],
		controlContext,
		dataContext,
		async close() {
			for (const server of servers) server.close();
			for (const socket of sockets) socket.destroy();
			await Promise.all([...servers].map(server => new Promise(resolve => server.close(resolve))));
		},
	};

	const secure = async (socket: Socket, context: SecureContext): Promise<TLSSocket> => {
		const tls = new TLSSocket(socket, {isServer: true, secureContext: context});
		track(tls);
		await new Promise<void>((resolve, reject) => {
			tls.once('secure', resolve);
			tls.once('error', reject);
			tls.once('close', () => reject(new Error('closed during the handshake')));
		});
		return tls;
	};

	async function serve(plain: Socket): Promise<void> {
		let socket: Socket = plain;
		if (options.tls === 'implicit') {
			try {
				socket = await secure(plain, controlContext!);
			} catch {
				plain.destroy();
				return;
			}
		}

		let pending: Promise<Socket> | undefined;
		const session: Session = {
			server: hostile,
			socket,
			cwd: '/',
			rest: 0,
			protectedData: false,
			reply: line => session.socket.write(`${line}\r\n`),
			raw: data => session.socket.write(data),
			async listen() {
				const server = createServer({allowHalfOpen: hostile.options.dataHalfOpen ?? false});
				servers.add(server);
				pending = new Promise<Socket>((resolve, reject) => {
					server.once('connection', (data: Socket) => {
						track(data);
						server.close();
						if (!session.protectedData) {
							resolve(data);
							return;
						}

						// The ClientHello is read first, for what it offers, and handed back for the handshake.
						data.once('readable', () => {
							const hello = data.read() as Buffer | null;
							if (hello) {
								hostile.dataKeyShares.push(keyShareGroups(hello));
								data.unshift(hello);
							}

							const tls = new TLSSocket(data, {isServer: true, secureContext: hostile.dataContext});
							track(tls);
							tls.once('secure', () => {
								if (tls.isSessionReused()) hostile.dataTls.resumed++;
								else hostile.dataTls.full++;
								resolve(tls);
							});
							tls.once('error', reject);
						});
					});
				});
				pending.catch(() => undefined);
				await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
				return (server.address() as AddressInfo).port;
			},
			async data() {
				if (!pending) throw new Error('no passive listener');
				const socket = await pending;
				pending = undefined;
				return socket;
			},
			async upgrade() {
				const tls = await secure(session.socket, controlContext!);
				session.socket = tls;
				read(tls);
			},
		};

		let queue = Promise.resolve();
		let buffer = '';
		const onData = (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
				const line = buffer.slice(0, end).replace(/\r$/, '');
				buffer = buffer.slice(end + 1);
				const space = line.indexOf(' ');
				const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
				const argument = space < 0 ? '' : line.slice(space + 1);
				hostile.commands.push(verb === 'PASS' ? 'PASS ****' : line);
				if (verb === 'AUTH') {
					// The upgrade must take the very next bytes: no other command may be read in plain text.
					session.socket.off('data', onData);
					buffer = '';
				}

				const before = session.socket;
				queue = queue.then(async () => {
					const handler = handlers[verb];
					if (handler) await handler(session, argument);
					else session.reply(`502 ${verb} not implemented`);
					if (verb === 'AUTH' && session.socket === before) read(before); // Refused: go on in plain text.
				}).catch(() => {
					session.socket.destroy();
				});
			}
		};

		const read = (target: Socket) => target.on('data', onData);
		read(socket);
		if (typeof options.greeting === 'function') void Promise.resolve(options.greeting(session, '')).catch(() => session.socket.destroy());
		else session.reply(options.greeting ?? '220 hostile test server');
	}

	return hostile;
}
