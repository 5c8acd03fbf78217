/**
 * How other shells talk to a running Backup window, as a tray icon would: a Unix socket at
 * `$XDG_STATE_HOME/packrat/<profile>.sock`, in a folder of mode 0700, the socket itself 0600, so
 * only its owner can open it. One JSON line asks (`{"request":"now"}`), one JSON line answers.
 * A socket left by a crashed window refuses connections: it is replaced. One that answers belongs
 * to a live window, and a second window on the same profile is refused.
 */
import {chmodSync, lstatSync, mkdirSync, statSync, unlinkSync} from 'node:fs';
import {createConnection, createServer, type Server, type Socket} from 'node:net';
import {join} from 'node:path';
import {oneLine, PackratError} from '../backup/errors.js';
import {cancelRefusal, loadPolicy, type Policy} from '../policy.js';
import {checkProfile, stateFolder} from '../settings/store.js';
import type {StatusJson} from './status.js';

export type ControlRequest = 'now' | 'cancel' | 'status';
export type Result = {ok: boolean; message: string};
export type ControlResponse = {ok: boolean; message?: string; status?: StatusJson};

/** What the window does for each request; `now` resolves once the run has started (or was refused). */
export type ControlHandlers = {now(): Promise<Result>; cancel(): Promise<Result>; status(): Promise<StatusJson>};
export type ControlServer = {readonly path: string; close(): Promise<void>};

const requests = new Set<string>(['now', 'cancel', 'status']);
const maxRequestBytes = 4096;
const idleMs = 5000;

/** The socket of a profile (undefined is the default profile, `config`). */
export function socketPath(profile?: string): string {
	return join(stateFolder(), `${checkProfile(profile)}.sock`);
}

export class NoWindowError extends PackratError {
	constructor(readonly profile: string, readonly path: string) {
		super(`no Backup window is running for profile ${profile} (no answer at ${path}): open one with "packrat${profile === 'config' ? '' : ` --profile ${profile}`}", or back up without it with "packrat run"`, 'connect');
	}
}

function code(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Whether a window answers on the socket: false when nothing listens there (a stale socket). */
function probe(path: string): Promise<boolean> {
	return new Promise((resolve, reject) => {
		const socket = createConnection(path);
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', error => {
			if (code(error) === 'ECONNREFUSED' || code(error) === 'ENOENT') resolve(false);
			else reject(error);
		});
	});
}

function listen(server: Server, path: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const fail = (error: Error) => reject(error);
		server.once('error', fail);
		server.listen(path, () => {
			server.off('error', fail);
			resolve();
		});
	});
}

async function answer(line: string, handlers: ControlHandlers, policy: () => Policy): Promise<ControlResponse> {
	let request: unknown;
	try {
		request = (JSON.parse(line) as {request?: unknown}).request;
	} catch {
		return {ok: false, message: 'the request is not JSON'};
	}

	if (typeof request !== 'string' || !requests.has(request)) return {ok: false, message: `unknown request ${JSON.stringify(request)}; expected now, cancel or status`};
	try {
		if (request === 'status') return {ok: true, status: await handlers.status()};
		if (request === 'now') return await handlers.now();
		// The administrator's word comes first, whatever the window answers.
		const refusal = cancelRefusal(policy());
		if (refusal) return {ok: false, message: refusal};
		return await handlers.cancel();
	} catch (error) {
		return {ok: false, message: oneLine(error)};
	}
}

function serve(socket: Socket, handlers: ControlHandlers, policy: () => Policy): void {
	let buffer = '';
	socket.setEncoding('utf8');
	socket.setTimeout(idleMs, () => socket.destroy());
	socket.on('error', () => socket.destroy());
	const onData = (chunk: string) => {
		buffer += chunk;
		const end = buffer.indexOf('\n');
		if (end < 0) {
			if (buffer.length > maxRequestBytes) socket.destroy();
			return;
		}

		socket.off('data', onData);
		void answer(buffer.slice(0, end), handlers, policy).then(response => {
			if (!socket.destroyed) socket.end(`${JSON.stringify(response)}\n`);
		});
	};

	socket.on('data', onData);
}

/**
 * Listen for `packrat now|cancel|status`. Throws a PackratError when a live window already holds
 * the profile's socket. The server never keeps the process alive by itself; close() removes the socket.
 */
export async function startControlServer(profileName: string | undefined, handlers: ControlHandlers, options: {policy?: () => Policy} = {}): Promise<ControlServer> {
	const profile = checkProfile(profileName);
	const folder = stateFolder();
	const path = socketPath(profile);
	if (Buffer.byteLength(path) > 100) throw new PackratError(`the control socket path ${path} is too long for a Unix socket: set XDG_STATE_HOME to a shorter folder`, 'config');
	mkdirSync(folder, {recursive: true, mode: 0o700});
	chmodSync(folder, 0o700);
	const connections = new Set<Socket>();
	const policy = options.policy ?? (() => loadPolicy());
	const server = createServer(socket => {
		connections.add(socket);
		socket.once('close', () => connections.delete(socket));
		serve(socket, handlers, policy);
	});

	for (let attempt = 0; ; attempt++) {
		try {
			await listen(server, path);
			break;
		} catch (error) {
			if (code(error) !== 'EADDRINUSE' || attempt > 0) throw new PackratError(`cannot open the control socket ${path} (${code(error) ?? (error as Error).message})`, 'local');
			if (await probe(path)) {
				throw new PackratError(`a Backup window is already open for profile ${profile} (socket ${path}): use it, drive it with packrat now|cancel|status, or open another job with --profile NAME`, 'lock');
			}

			if (!lstatSync(path).isSocket()) throw new PackratError(`${path} is in the way of the control socket and is not a socket: move it away`, 'local');
			unlinkSync(path); // Left by a window that crashed.
		}
	}

	chmodSync(path, 0o600);
	server.unref();
	const inode = statSync(path).ino;
	return {
		path,
		close: () => new Promise(resolve => {
			for (const socket of connections) socket.destroy();
			server.close(() => resolve());
			try {
				if (statSync(path).ino === inode) unlinkSync(path);
			} catch {
				// Already removed.
			}
		}),
	};
}

/** Ask the window of a profile; throws NoWindowError when none runs. */
export function sendControl(profileName: string | undefined, request: ControlRequest, timeoutMs = 10_000): Promise<ControlResponse> {
	const profile = checkProfile(profileName);
	const path = socketPath(profile);
	return new Promise((resolve, reject) => {
		let text = '';
		const socket = createConnection(path);
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new PackratError(`the Backup window of profile ${profile} did not answer within ${Math.round(timeoutMs / 1000)}s`, 'connect'));
		}, timeoutMs);
		timer.unref();
		socket.setEncoding('utf8');
		socket.once('connect', () => socket.write(`${JSON.stringify({request})}\n`));
		socket.on('data', (chunk: string) => {
			text += chunk;
		});
		socket.once('end', () => {
			clearTimeout(timer);
			try {
				resolve(JSON.parse(text.trim()) as ControlResponse);
			} catch {
				reject(new PackratError(`the Backup window of profile ${profile} gave an answer that is not JSON`, 'connect'));
			}
		});
		socket.once('error', error => {
			clearTimeout(timer);
			if (code(error) === 'ENOENT' || code(error) === 'ECONNREFUSED') reject(new NoWindowError(profile, path));
			else reject(new PackratError(`cannot reach the Backup window at ${path} (${code(error) ?? error.message})`, 'connect'));
		});
	});
}
