/**
 * The FTP server seen through an emulated wide-area link (bench/wan-link.ts): a proxy for the
 * control connection and for every passive data connection. For plain FTP it rewrites the
 * server's 227/229 replies to point at a port of its own; over TLS it cannot read them, so it
 * listens on the server's passive port range on its own address (127.0.0.2), which the server
 * announces, and relays each port to the same port on the server.
 */
import {createConnection, createServer, type Server, type Socket} from 'node:net';
import {Link, Pipe, type LinkOptions} from './wan-link.js';

export type WanProxyOptions = LinkOptions & {
	/** The FTP server's control port. */
	target: {host: string; port: number};
	/** The address the proxy listens on: 127.0.0.1, or 127.0.0.2 in front of a server that announces it. */
	host: string;
	/** `rewrite` the passive replies (plain FTP), or listen on the server's passive port range (FTPS). */
	passive: 'rewrite' | {min: number; max: number};
};

export type WanProxy = {host: string; port: number; link: Link; close(): Promise<void>};

type Kind = 'control' | 'data';

export async function startWanProxy(options: WanProxyOptions): Promise<WanProxy> {
	const link = new Link(options);
	const sockets = new Set<Socket>();
	const servers = new Set<Server>();
	const pipes = new Set<Pipe>();
	const timers = new Set<NodeJS.Timeout>();
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.setNoDelay(true);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		return socket;
	};

	const listen = async (port: number, onSocket: (socket: Socket) => void): Promise<Server> => {
		const server = createServer({allowHalfOpen: true}, socket => onSocket(track(socket)));
		servers.add(server);
		server.on('close', () => servers.delete(server));
		await new Promise<void>((resolve, reject) => {
			server.once('error', error => reject(new Error(`the WAN proxy cannot listen on ${options.host}:${port}: ${(error as Error).message}`)));
			server.listen(port, options.host, resolve);
		});
		return server;
	};

	/**
	 * Relay `client` to `to` through the link; `rewrite` edits the server's bytes on their way
	 * (given `heard`, which a data connection calls as its bytes reach the client). `owner` is the
	 * control connection's `heard`, when known: what reaches the client here may be what it waits for there.
	 */
	const relay = (client: Socket, kind: Kind, to: {host: string; port: number}, rewrite?: (heard: () => void) => (chunk: Buffer) => Buffer | Promise<Buffer>, owner?: () => void) => {
		const opened = performance.now();
		const serverSide = link.serverSideOpen(opened);
		link.stats.connections[kind]++;
		let heard = true;
		const hear = () => {
			heard = true;
			owner?.();
		};

		let upstream: Socket | undefined;
		const mine: Pipe[] = [];
		const add = (pipe: Pipe) => {
			mine.push(pipe);
			pipes.add(pipe);
		};

		const forget = () => {
			if (client.destroyed && upstream?.destroyed !== false) for (const pipe of mine) pipes.delete(pipe);
		};

		const open = () => {
			if (upstream) return upstream;
			clearTimeout(timer);
			timers.delete(timer);
			upstream = track(createConnection({host: to.host, port: to.port, allowHalfOpen: true}));
			upstream.on('close', forget);
			add(new Pipe(link, upstream, () => client, (now, bytes) => link.down(now, bytes), {transform: rewrite?.(hear), delivered: hear}));
			return upstream;
		};

		const timer = setTimeout(open, serverSide - opened);
		timers.add(timer);
		client.on('close', forget);
		client.on('data', (chunk: Buffer) => {
			if (heard) link.stats.turns[kind]++;
			heard = false;
			if (kind === 'control' && options.passive === 'rewrite') {
				for (const line of chunk.toString('latin1').split('\r\n')) {
					const verb = /^[A-Za-z]{3,4}\b/.exec(line)?.[0].toUpperCase();
					if (verb) link.stats.commands[verb] = (link.stats.commands[verb] ?? 0) + 1;
				}
			}
		});
		add(new Pipe(link, client, open, (now, bytes) => Math.max(link.up(now, bytes), serverSide)));
	};

	/** A port of the proxy's own for one passive data connection to the server's `to`. */
	const passivePort = async (to: {host: string; port: number}, owner: () => void): Promise<number> => {
		const server = await listen(0, client => {
			server.close();
			relay(client, 'data', to, undefined, owner);
		});
		// A port the client never connects to is given up with the server's own (vsftpd: accept_timeout, 60 s).
		const timer = setTimeout(() => server.close(), 60_000);
		timers.add(timer);
		server.on('close', () => {
			clearTimeout(timer);
			timers.delete(timer);
		});
		return (server.address() as {port: number}).port;
	};

	const rewriter = (owner: () => void) => {
		let partial = '';
		const line = async (text: string): Promise<string> => {
			const extended = /^229 (.*)\(\|\|\|(\d+)\|\)(.*)$/.exec(text);
			if (extended) return `229 ${extended[1]}(|||${await passivePort({host: options.target.host, port: Number(extended[2])}, owner)}|)${extended[3]}`;
			const classic = /^227 (.*)\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)(.*)$/.exec(text);
			if (!classic) return text;
			const [, before, a, b, c, d, high, low, after] = classic;
			const port = await passivePort({host: `${a}.${b}.${c}.${d}`, port: Number(high) * 256 + Number(low)}, owner);
			return `227 ${before}(${options.host.replaceAll('.', ',')},${port >> 8},${port & 255})${after}`;
		};

		// Only the start of what may be a passive reply is held back for the rest of its line.
		const mayBePassive = (text: string) => ['227 ', '229 '].some(code => code.startsWith(text.slice(0, 4)));
		return (chunk: Buffer): Buffer | Promise<Buffer> => {
			const lines = (partial + chunk.toString('latin1')).split('\r\n');
			const last = lines.pop()!;
			partial = mayBePassive(last) ? last : '';
			const tail = partial ? '' : last;
			const join = (out: string[]) => Buffer.from(out.map(text => `${text}\r\n`).join('') + tail, 'latin1');
			if (!lines.some(text => /^22[79] /.test(text))) return join(lines);
			return Promise.all(lines.map(line)).then(join);
		};
	};

	const control = await listen(0, client => relay(client, 'control', options.target, options.passive === 'rewrite' ? rewriter : undefined));
	if (options.passive !== 'rewrite') {
		for (let port = options.passive.min; port <= options.passive.max; port++) {
			const same = port;
			await listen(same, client => relay(client, 'data', {host: options.target.host, port: same}));
		}
	}

	return {
		host: options.host,
		port: (control.address() as {port: number}).port,
		link,
		async close() {
			for (const timer of timers) clearTimeout(timer);
			for (const pipe of pipes) pipe.stop();
			for (const socket of sockets) socket.destroy();
			await Promise.all([...servers].map(server => new Promise(resolve => server.close(resolve))));
		},
	};
}
