// Passive data connections on an OS-chosen port of 127.0.0.1 (no port range, so parallel test
// processes never clash), waited for by event rather than ftp-srv's 50 ms polling.
import net, {type Server, type Socket} from 'node:net';
import tls from 'node:tls';
import {BaseConnectorClass, Bluebird, type Connection, type Connector} from './internals.js';
import {trackServer, trackSocket, type ServerState} from './state.js';

const IDLE_TIMEOUT = 30_000;

type Waiter = {resolve: (socket: Socket) => void; reject: (error: Error) => void};

export class PassiveConnector implements Connector {
	readonly type = 'passive';
	private dataSocket: Socket | null = null;
	private dataServer: Server | null = null;
	private waiters: Waiter[] = [];
	private idleTimer: NodeJS.Timeout | undefined;

	constructor(
		private readonly connection: Connection,
		private readonly state: ServerState,
	) {}

	get socket(): Socket | null {
		return this.dataSocket;
	}

	/** Opens the data server and returns its port. */
	async listen(): Promise<number> {
		const secure = this.connection.secure;
		const tlsOptions = this.connection.server.options.tls;
		const server = secure && tlsOptions ? tls.createServer(tlsOptions) : net.createServer();
		server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => this.accept(socket));
		server.on('connection', (socket: Socket) => trackSocket(this.state, socket));
		server.on('tlsClientError', () => {});
		trackServer(this.state, server);
		this.dataServer = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		server.on('error', () => {});
		this.idleTimer = setTimeout(() => this.end(), IDLE_TIMEOUT).unref();
		return (server.address() as net.AddressInfo).port;
	}

	waitForConnection({timeout = 5000}: {timeout?: number} = {}): PromiseLike<Socket> {
		return Bluebird.resolve(
			new Promise<Socket>((resolve, reject) => {
				if (this.dataSocket) return resolve(this.dataSocket);
				if (!this.dataServer) return reject(new Error('Passive server not set up'));
				const timer = setTimeout(() => {
					this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
					reject(new Bluebird.TimeoutError('No data connection'));
				}, timeout);
				const done = (socket: Socket) => {
					clearTimeout(timer);
					resolve(socket);
				};
				const fail = (error: Error) => {
					clearTimeout(timer);
					reject(error);
				};
				this.waiters.push({resolve: done, reject: fail});
			}),
		);
	}

	end(): void {
		clearTimeout(this.idleTimer);
		for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('Data connection closed'));
		const socket = this.dataSocket;
		this.dataSocket = null;
		if (socket) socket.end(() => socket.destroy());
		this.closeServer();
		if (this.connection.connector === this) this.connection.connector = new BaseConnectorClass(this.connection);
	}

	private accept(socket: Socket): void {
		socket.on('error', () => {});
		if (this.dataSocket) {
			socket.destroy();
			return;
		}
		clearTimeout(this.idleTimer);
		this.dataSocket = socket;
		this.closeServer(); // one data connection per PASV/EPSV
		for (const waiter of this.waiters.splice(0)) waiter.resolve(socket);
	}

	private closeServer(): void {
		this.dataServer?.close();
		this.dataServer = null;
	}
}

/** Replaces the connection's connector with a listening passive one; returns its port. */
export async function openPassive(connection: Connection, state: ServerState): Promise<number> {
	connection.connector.end();
	const connector = new PassiveConnector(connection, state);
	connection.connector = connector;
	return connector.listen();
}
