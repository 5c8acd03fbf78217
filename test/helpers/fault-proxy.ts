/**
 * A TCP proxy between packrat and an FTP server, on 127.0.0.1, that can cut, stall or slow the
 * connections. In plain FTP it reads the commands and rewrites the passive-mode replies (227, 229)
 * so data connections pass through it too. A raw proxy passes the control bytes as they are, so
 * TLS goes through it: the test server then announces the proxy's data ports and tells it the
 * commands (startProxiedServer). Cuts and stalls aim at file transfers (RETR), not at listings;
 * use one connection in a test that aims at one file.
 */
import {createConnection, createServer, type Server, type Socket} from 'node:net';
import {startFtpServer, type FtpServerOptions, type FtpTestServer} from '../../devtools/ftp-server.js';

export type FaultProxy = {
	port: number;
	/** Control connections accepted so far. */
	accepted: number;
	/** Cut the next data connection(s) after this many bytes from the server (`times` of them). */
	cutDataAfter(bytes: number, times?: number): void;
	/** Hold the next data connection open but pass no more bytes once `afterBytes` have passed. */
	stallNextData(afterBytes?: number): void;
	/** Pass at most this many bytes per second on data connections (0: no limit). */
	throttle(bytesPerSecond: number): void;
	/** Drop every connection now and refuse new ones for `ms`, as a restarting server does. */
	restart(ms: number): void;
	/** A listener on the proxy that forwards to the server's passive `serverPort`; resolves with its port. */
	dataPort(serverPort: number): Promise<number>;
	/** For a raw proxy, which cannot read them: a command line the server received (only data commands are kept). */
	command(line: string): void;
	close(): Promise<void>;
};

/** Commands answered over a data connection: the last one seen tells what a data connection carries. */
const dataCommand = /^(RETR|LIST|NLST|MLSD)\b/;

type Listen = {server: Server; port: number};

async function listen(onSocket: (socket: Socket) => void): Promise<Listen> {
	const server = createServer(onSocket);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {server, port: (server.address() as {port: number}).port};
}

export async function startFaultProxy(target: {port: number}, options: {raw?: boolean} = {}): Promise<FaultProxy> {
	const sockets = new Set<Socket>();
	const servers = new Set<Server>();
	const plan = {cutAfter: 0, cuts: 0, stall: false, stallAfter: 0, rate: 0, downUntil: 0, lastCommand: ''};
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		return socket;
	};

	const pipeData = (client: Socket, upstream: Socket) => {
		let passed = 0;
		let decided = false;
		let cut = 0;
		let stallAt = -1;
		let stalled = false;
		upstream.on('data', chunk => {
			// Decided once the command it serves is known: over TLS the handshake may come first.
			if (!decided && dataCommand.test(plan.lastCommand)) {
				decided = true;
				const file = plan.lastCommand.startsWith('RETR');
				if (file && plan.stall) {
					stallAt = plan.stallAfter;
					plan.stall = false;
				}

				if (file && plan.cuts > 0) cut = plan.cutAfter;
			}

			if (stalled) return;
			if (stallAt >= 0 && passed + chunk.length > stallAt) {
				stalled = true;
				client.write(chunk.subarray(0, Math.max(0, stallAt - passed)));
				return;
			}

			if (cut > 0 && passed + chunk.length >= cut) {
				plan.cuts--;
				client.write(chunk.subarray(0, Math.max(0, cut - passed)));
				client.resetAndDestroy();
				upstream.destroy();
				return;
			}

			passed += chunk.length;
			const flushed = client.write(chunk);
			if (plan.rate > 0) {
				upstream.pause();
				const wait = (chunk.length / plan.rate) * 1000;
				setTimeout(() => upstream.resume(), wait).unref();
			} else if (!flushed) {
				upstream.pause();
				client.once('drain', () => upstream.resume());
			}
		});
		upstream.on('end', () => {
			if (!stalled) client.end();
		});
		upstream.on('close', () => {
			if (!stalled) client.destroy();
		});
		client.on('close', () => upstream.destroy());
		client.on('data', chunk => upstream.write(chunk));
	};

	const openData = async (serverPort: number): Promise<number> => {
		const data = await listen(client => {
			track(client);
			data.server.close();
			const upstream = track(createConnection({host: '127.0.0.1', port: serverPort}));
			pipeData(client, upstream);
		});
		servers.add(data.server);
		data.server.on('close', () => servers.delete(data.server));
		return data.port;
	};

	const proxy = {accepted: 0} as FaultProxy;
	const control = await listen(client => {
		track(client);
		if (Date.now() < plan.downUntil) {
			client.destroy();
			return;
		}

		proxy.accepted++;
		const upstream = track(createConnection({host: '127.0.0.1', port: target.port}));
		if (options.raw) {
			upstream.pipe(client);
			client.pipe(upstream);
			upstream.on('close', () => client.destroy());
			client.on('close', () => upstream.destroy());
			return;
		}

		let pending = '';
		let queue = Promise.resolve();
		upstream.on('data', chunk => {
			pending += chunk.toString('latin1');
			const lines = pending.split('\r\n');
			pending = lines.pop()!;
			for (const line of lines) {
				queue = queue.then(async () => {
					const extended = /^229 (.*)\(\|\|\|(\d+)\|\)/.exec(line);
					const classic = /^227 .*\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(line);
					let out = line;
					if (extended) out = `229 ${extended[1]}(|||${await openData(Number(extended[2]))}|)`;
					if (classic) {
						const port = await openData(Number(classic[5]) * 256 + Number(classic[6]));
						out = `227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255}).`;
					}

					client.write(Buffer.from(`${out}\r\n`, 'latin1'));
				});
			}
		});
		upstream.on('close', () => client.destroy());
		client.on('close', () => upstream.destroy());
		client.on('data', chunk => {
			// Commands may come pipelined, several to a chunk (the next passive request behind a RETR).
			for (const line of chunk.toString('latin1').split('\r\n')) proxy.command(line);
			upstream.write(chunk);
		});
	});

	return Object.assign(proxy, {
		port: control.port,
		cutDataAfter(bytes: number, times = 1) {
			plan.cutAfter = bytes;
			plan.cuts = times;
		},
		stallNextData(afterBytes = 0) {
			plan.stall = true;
			plan.stallAfter = afterBytes;
		},
		throttle(bytesPerSecond: number) {
			plan.rate = bytesPerSecond;
		},
		restart(ms: number) {
			plan.downUntil = Date.now() + ms;
			for (const socket of sockets) socket.destroy();
		},
		dataPort: openData,
		command(line: string) {
			// The last data command is the one a data connection serves: a passive request asked behind it changes nothing.
			if (dataCommand.test(line.toUpperCase())) plan.lastCommand = line.toUpperCase();
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			for (const server of servers) server.close();
			await new Promise(resolve => control.server.close(resolve));
		},
	});
}

/**
 * A test server behind a raw fault proxy, which TLS passes through: the server announces the
 * proxy's data ports in its passive replies and tells the proxy each command it receives.
 */
export async function startProxiedServer(options: FtpServerOptions): Promise<{server: FtpTestServer; proxy: FaultProxy}> {
	const front: {proxy?: FaultProxy} = {};
	const server = await startFtpServer({...options, passivePort: async port => front.proxy!.dataPort(port), onCommand: line => front.proxy?.command(line)});
	const proxy = await startFaultProxy(server, {raw: true});
	front.proxy = proxy;
	return {server, proxy};
}
