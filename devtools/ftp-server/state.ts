// Per-instance settings of the test servers, looked up by the shared (process-wide) command handlers.
import type {Server, Socket} from 'node:net';
import type {HashCommand} from './hash.js';
import type {FtpSrv} from './internals.js';

export type TlsMode = 'none' | 'explicit' | 'implicit';

export type ServerState = {
	mlsd: boolean;
	tls: TlsMode;
	/** Answer EPSV (default true); without it a client must use PASV. */
	epsv: boolean;
	/** Answer `STAT <path>` with the listing on the control connection (default true). */
	statListing: boolean;
	/** The hash command offered in FEAT and answered, or false for none. */
	hash: HashCommand | false;
	/** Every socket accepted by the control server or a passive data server, so close() can destroy them. */
	sockets: Set<Socket>;
	/** Passive data servers that are still open. */
	dataServers: Set<Server>;
	/** Raw lines added to the listing of a folder (by client path), to play a hostile server. */
	extraLines?: Record<string, {list?: string[]; mlsd?: string[]}>;
	/** Client paths whose RETR is refused with 550. */
	deniedReads: ReadonlySet<string>;
	/** Told each command line as it arrives (after TLS, PASS included). */
	onCommand?: (line: string) => void;
	/** The port to announce in 227/229 for a passive listener on `port` (a proxy's, that forwards to it). */
	passivePort?: (port: number) => number | Promise<number>;
};

const states = new WeakMap<FtpSrv, ServerState>();

type Settings = Omit<ServerState, 'sockets' | 'dataServers'>;

export function createState(server: FtpSrv, settings: Settings): ServerState {
	const state: ServerState = {...settings, sockets: new Set(), dataServers: new Set()};
	states.set(server, state);
	return state;
}

/** The state of a test server, or undefined for an ftp-srv server that this module did not start. */
export function stateOf(server: FtpSrv): ServerState | undefined {
	return states.get(server);
}

export function trackSocket(state: ServerState, socket: Socket): void {
	state.sockets.add(socket);
	socket.setNoDelay(true); // replies and data are written in pieces: don't let Nagle + delayed ACK add 40 ms
	socket.once('close', () => state.sockets.delete(socket));
}

export function trackServer(state: ServerState, server: Server): void {
	state.dataServers.add(server);
	server.once('close', () => state.dataServers.delete(server));
}
