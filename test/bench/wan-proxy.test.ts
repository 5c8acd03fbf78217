import {createConnection, createServer, type Server, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {startWanProxy, type WanProxy} from '../../bench/wan-proxy.js';

const rttMs = 40;
const mbit = 40;
const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
	for (const step of cleanup.splice(0).reverse()) await step();
});

async function serve(onSocket: (socket: Socket) => void, host = '127.0.0.1', port = 0): Promise<{server: Server; port: number}> {
	const server = createServer(socket => {
		socket.on('error', () => socket.destroy());
		onSocket(socket);
	});
	await new Promise<void>(resolve => server.listen(port, host, resolve));
	cleanup.push(() => new Promise(resolve => server.close(resolve)));
	return {server, port: (server.address() as {port: number}).port};
}

async function open(host: string, port: number): Promise<Socket> {
	const socket = createConnection({host, port});
	cleanup.push(() => void socket.destroy());
	await new Promise(resolve => socket.once('connect', resolve));
	return socket;
}

/** Resolves with what `socket` has received once `done` says it is all. */
function receive(socket: Socket, done: (text: Buffer) => boolean): Promise<Buffer> {
	let got = Buffer.alloc(0);
	return new Promise((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			got = Buffer.concat([got, chunk]);
			if (!done(got)) return;
			socket.off('data', onData);
			resolve(got);
		};

		socket.on('data', onData);
		socket.once('error', reject);
	});
}

const line = (socket: Socket) => receive(socket, text => text.includes('\r\n')).then(text => text.toString('latin1').trim());

async function proxyTo(port: number, passive: 'rewrite' | {min: number; max: number} = 'rewrite', host = '127.0.0.1'): Promise<WanProxy> {
	const proxy = await startWanProxy({rttMs, mbit, target: {host: '127.0.0.1', port}, host, passive});
	cleanup.push(() => proxy.close());
	return proxy;
}

/** A server of a few lines of FTP: a greeting, EPSV or PASV answered with a data port that sends `payload`. */
async function tinyFtp(payload: Buffer, announce = '127.0.0.1', dataPort = 0) {
	const data = await serve(socket => socket.end(payload), '127.0.0.1', dataPort);
	const control = await serve(socket => {
		socket.write('220 tiny\r\n');
		socket.on('data', chunk => {
			const command = chunk.toString('latin1').trim();
			if (command === 'EPSV') socket.write(`229 Entering Extended Passive Mode (|||${data.port}|)\r\n`);
			else if (command === 'PASV') socket.write(`227 Entering Passive Mode (${announce.replaceAll('.', ',')},${data.port >> 8},${data.port & 255}).\r\n`);
			else socket.write('500 ?\r\n');
		});
	});
	return {control: control.port, data: data.port};
}

describe('the WAN proxy of the benchmark', () => {
	it('delays each round trip by the RTT, and a new connection by its handshake too', async () => {
		const echo = await serve(socket => socket.pipe(socket));
		const proxy = await proxyTo(echo.port);
		const started = performance.now();
		const client = await open(proxy.host, proxy.port);
		client.write('first\r\n');
		expect(await line(client)).toBe('first');
		// SYN, SYN-ACK, then the first bytes: one RTT for the handshake, one for the exchange.
		expect(performance.now() - started).toBeGreaterThanOrEqual(2 * rttMs - 1);
		for (const word of ['second', 'third']) {
			const sent = performance.now();
			client.write(`${word}\r\n`);
			expect(await line(client)).toBe(word);
			expect(performance.now() - sent).toBeGreaterThanOrEqual(rttMs - 1);
		}

		expect(proxy.link.stats.connections).toEqual({control: 1, data: 0});
		expect(proxy.link.stats.turns.control).toBe(3);
	});

	it('lets a client that ends its side at once reach the server no sooner than its handshake allows', async () => {
		let reached = 0;
		const server = await serve(socket => {
			reached = performance.now();
			socket.resume();
			socket.on('end', () => socket.end('bye\r\n'));
		});
		const proxy = await proxyTo(server.port);
		const started = performance.now();
		const client = createConnection({host: proxy.host, port: proxy.port, allowHalfOpen: true});
		cleanup.push(() => void client.destroy());
		client.end();
		expect(await line(client)).toBe('bye');
		// SYN, SYN-ACK, ACK: the server hears of the connection one and a half RTT after the client's connect, its end with it.
		expect(reached - started).toBeGreaterThanOrEqual(1.5 * rttMs - 1);
		expect(performance.now() - started).toBeGreaterThanOrEqual(2 * rttMs - 1);
	});

	it('passes the downlink at its rate, shared by all connections', async () => {
		const size = 512 * 1024;
		const sender = await serve(socket => socket.once('data', () => socket.end(Buffer.alloc(size, 7))));
		const proxy = await proxyTo(sender.port);
		const clients = await Promise.all([open(proxy.host, proxy.port), open(proxy.host, proxy.port)]);
		const started = performance.now();
		const received = await Promise.all(clients.map(client => {
			client.write('go');
			return receive(client, text => text.length >= size);
		}));
		expect(received.map(bytes => bytes.length)).toEqual([size, size]);
		// 1 MiB in all at 40 Mbit/s: 0.21 s at the least, plus the handshake and the request's round trip.
		const floorMs = ((2 * size * 8) / (mbit * 1e6)) * 1000;
		expect(performance.now() - started).toBeGreaterThanOrEqual(floorMs + rttMs);
		expect(proxy.link.stats.bytesDown).toBe(2 * size);
	});

	for (const command of ['EPSV', 'PASV']) {
		it(`rewrites the ${command} reply to a port of its own and relays the data connection through the link`, async () => {
			const payload = Buffer.from('the bytes of a file');
			const server = await tinyFtp(payload);
			const proxy = await proxyTo(server.control);
			const client = await open(proxy.host, proxy.port);
			expect(await line(client)).toBe('220 tiny');
			client.write(`${command}\r\n`);
			const reply = await line(client);
			const port = command === 'EPSV' ? Number(/\(\|\|\|(\d+)\|\)/.exec(reply)![1]) : (([high, low]) => high! * 256 + low!)(/\(127,0,0,1,(\d+),(\d+)\)/.exec(reply)!.slice(1).map(Number));
			expect(port).not.toBe(server.data);
			const started = performance.now();
			const data = await open('127.0.0.1', port);
			expect(await receive(data, text => text.length >= payload.length)).toEqual(payload);
			// The server sends as soon as the proxy connects, after the handshake: two RTT.
			expect(performance.now() - started).toBeGreaterThanOrEqual(2 * rttMs - 1);
			expect(proxy.link.stats.connections).toEqual({control: 1, data: 1});
			expect(proxy.link.stats.commands).toEqual({[command]: 1});
		});
	}

	it('over TLS, listens on the passive ports on its own address and relays each to the same port on the server', async () => {
		const payload = Buffer.from('encrypted, as far as the proxy knows');
		const probe = await serve(() => undefined);
		const dataPort = probe.port;
		await new Promise(resolve => probe.server.close(resolve));
		const server = await tinyFtp(payload, '127.0.0.2', dataPort);
		const proxy = await proxyTo(server.control, {min: dataPort, max: dataPort}, '127.0.0.2');
		const client = await open('127.0.0.2', proxy.port);
		expect(await line(client)).toBe('220 tiny');
		client.write('PASV\r\n');
		// Not rewritten: the server announces the proxy's address itself.
		expect(await line(client)).toContain(`(127,0,0,2,${dataPort >> 8},${dataPort & 255})`);
		const started = performance.now();
		const data = await open('127.0.0.2', dataPort);
		expect(await receive(data, text => text.length >= payload.length)).toEqual(payload);
		expect(performance.now() - started).toBeGreaterThanOrEqual(2 * rttMs - 1);
		expect(proxy.link.stats.connections).toEqual({control: 1, data: 1});
		expect(proxy.link.stats.commands).toEqual({});
	});
});
