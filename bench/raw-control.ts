/**
 * A bare FTP control connection that pipelines MDTM: all the questions of a folder go out in one
 * write and the answers are read back in order — one round trip instead of one per file — and
 * lists a folder with `STAT <path>` (RFC 959: the listing comes back on the control connection,
 * no data connection). Used by bench/lean.ts to measure what these would give the engine.
 */
import {createConnection, type Socket} from 'node:net';

export class RawControl {
	private buffer = '';
	private readonly waiting: Array<(reply: string) => void> = [];
	private readonly replies: string[] = [];
	private partial: string[] = [];

	private constructor(private readonly socket: Socket) {
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			this.buffer += chunk;
			for (let end = this.buffer.indexOf('\r\n'); end >= 0; end = this.buffer.indexOf('\r\n')) {
				const line = this.buffer.slice(0, end);
				this.buffer = this.buffer.slice(end + 2);
				// Only the last line of a reply ("213 …", not "213-…" or a listing line) completes it.
				this.partial.push(line);
				if (!/^\d{3} /.test(line)) continue;
				const reply = this.partial.join('\n');
				this.partial = [];
				const next = this.waiting.shift();
				if (next) next(reply);
				else this.replies.push(reply);
			}
		});
	}

	private reply(): Promise<string> {
		const reply = this.replies.shift();
		if (reply !== undefined) return Promise.resolve(reply);
		return new Promise(resolve => this.waiting.push(resolve));
	}

	static async open(host: string, port: number, user: string, password: string): Promise<RawControl> {
		const socket = createConnection({host, port});
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('error', reject);
		});
		socket.setNoDelay(true);
		const control = new RawControl(socket);
		await control.reply();
		for (const [command, ok] of [[`USER ${user}`, /^(230|331)/], [`PASS ${password}`, /^(230|202)/]] as const) {
			socket.write(`${command}\r\n`);
			const line = await control.reply();
			if (!ok.test(line)) throw new Error(`${command.split(' ')[0]}: ${line}`);
			if (line.startsWith('230')) break;
		}

		return control;
	}

	/** Seconds since the epoch for each path, NaN where the server gave none. */
	async mdtm(paths: string[]): Promise<number[]> {
		if (paths.length === 0) return [];
		this.socket.write(paths.map(path => `MDTM ${path}\r\n`).join(''));
		const times: number[] = [];
		for (let i = 0; i < paths.length; i++) {
			const match = /^213 (\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(await this.reply());
			times.push(match ? Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +match[6]!) / 1000 : Number.NaN);
		}

		return times;
	}

	/** The folder's listing in LIST format, from `STAT <path>` (multi-line 213 reply). */
	async stat(path: string): Promise<string> {
		this.socket.write(`STAT ${path}\r\n`);
		const reply = await this.reply();
		if (!reply.startsWith('213')) throw new Error(`STAT ${path}: ${reply.split('\n').at(-1)}`);
		return reply.split('\n').slice(1, -1).join('\n');
	}

	close(): void {
		this.socket.end('QUIT\r\n');
	}
}
