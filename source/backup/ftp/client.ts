/**
 * packrat's own FTP client, in place of basic-ftp for the engine: the same commands, but it
 * pipelines where RFC 959 allows (the MDTMs of a folder, the STATs of several folders, EPSV with
 * its RETR), reads a download straight into the caller's hands, and builds no stack trace per
 * request. Each method is one request; retries are the pool's business.
 */
import type {Socket} from 'node:net';
import type {TLSSocket} from 'node:tls';
import {parseFtpTime, parseListing, type ListedEntry} from '../listing-parse.js';
import {ConnectionLost, Control, FtpReplyError, LimitError, type Reply} from './control.js';
import {Inflow, openData, passivePort, readData, type DataTls, type Pace} from './data.js';
import {limits, listingReply, type ReplyLimit} from './limits.js';
import {ListingText} from './listing-text.js';

const withPath = (command: string, path: string) => (path === '' ? command : `${command} ${path}`);

/** `tls`: the options of a protected data connection, with the check of its certificate (see DataTls). */
export type ClientOptions = {host: string; timeoutMs: number; tls?: Omit<DataTls, 'session'>};

export class FtpClient {
	/** `EPSV` until the server refuses it, then `PASV`; undefined until the first data connection. */
	private passive?: 'EPSV' | 'PASV';
	private listCommand: 'LIST -a' | 'LIST' = 'LIST -a';
	/** True once the data channel is protected (PROT P). */
	protected = false;
	/** The read buffer of this client's plain data connections (one at a time). */
	private readonly inflow = new Inflow();

	constructor(readonly control: Control, private readonly options: ClientOptions) {}

	get closed(): boolean {
		return this.control.closed;
	}

	get socket(): Socket | TLSSocket {
		return this.control.socket;
	}

	async send(command: string): Promise<Reply> {
		return this.control.send(command);
	}

	async cd(path: string): Promise<void> {
		await this.control.send(`CWD ${path}`);
	}

	close(): void {
		this.control.close();
	}

	/** Modification times (seconds since the epoch) of many files in one round trip; an error in place of each refused one. */
	async times(paths: string[]): Promise<Array<number | FtpReplyError>> {
		return this.each(paths.map(path => `MDTM ${path}`), reply => parseFtpTime(reply.message.slice(4)) ?? new FtpReplyError(500, `unreadable MDTM reply: ${reply.message}`));
	}

	/**
	 * Listings of folders over the control connection (`STAT <folder>`), many in one round trip:
	 * the text of each, or an error in its place. Only for servers seen to answer as LIST does.
	 * Each reply is held within the listing limits (a listing past one closes the connection).
	 */
	async statListings(paths: string[]): Promise<Array<string | FtpReplyError>> {
		return this.each(paths.map(path => `STAT ${path}`), reply => {
			const lines = reply.message.split('\n');
			if (reply.code < 211 || reply.code > 213 || lines.length < 2) return new FtpReplyError(500, `STAT gave no listing: ${lines[0]}`);
			return lines.slice(1, -1).join('\n');
		}, listingReply);
	}

	/** Commands written together, each answer read by `read`; a refusal stands in its place, a lost connection throws. */
	private async each<T>(commands: string[], read: (reply: Reply) => T | FtpReplyError, limit?: ReplyLimit): Promise<Array<T | FtpReplyError>> {
		const replies = await Promise.allSettled(this.control.sendAll(commands, limit));
		return replies.map(outcome => {
			if (outcome.status === 'fulfilled') return read(outcome.value);
			if (outcome.reason instanceof FtpReplyError) return outcome.reason;
			throw outcome.reason;
		});
	}

	/** The entries of a folder (the current one when no path is given), for a look at the server. */
	async list(path = '', mlsd = false): Promise<ListedEntry[]> {
		return parseListing(await this.listText(path, mlsd), mlsd).entries;
	}

	/**
	 * A folder's listing over a data connection: MLSD, or `LIST -a` (plain LIST where that is
	 * refused), within the listing limits and its deadline; past a limit, a LimitError naming both.
	 */
	async listText(path: string, mlsd: boolean): Promise<string> {
		const listing = new ListingText(path);
		const pace = {windowMs: this.options.timeoutMs, deadlineMs: limits.listingDeadline * this.options.timeoutMs};
		if (mlsd) {
			await this.transfer(withPath('MLSD', path), listing.take, pace);
		} else {
			try {
				await this.transfer(withPath(this.listCommand, path), listing.take, pace);
			} catch (error) {
				if (!(error instanceof FtpReplyError) || error.code < 500 || this.listCommand === 'LIST') throw error;
				this.listCommand = 'LIST';
				listing.reset();
				await this.transfer(withPath('LIST', path), listing.take, pace);
			}
		}

		return listing.text();
	}

	/** Download `path` from byte `offset`, handing each chunk to `take`. */
	async retrieve(path: string, offset: number, take: (chunk: Buffer) => void | Promise<void>): Promise<void> {
		if (offset > 0) await this.control.send(`REST ${offset}`);
		await this.transfer(`RETR ${path}`, take, {windowMs: this.options.timeoutMs});
	}

	/** Protect the data channel once the control connection is TLS (PBSZ 0, PROT P). */
	async protect(): Promise<void> {
		// Never a protected data channel without the check of who answers on it.
		if (!this.options.tls) throw new Error('protected data connections need the TLS options and the certificate check');
		await this.control.send('PBSZ 0');
		await this.control.send('PROT P');
		this.protected = true;
	}

	/**
	 * One command that answers over a data connection. The passive request and the command go
	 * out together once the server is known to take EPSV or PASV; the data connection is opened
	 * when the port comes back. Any failure but the server's refusal spends this control connection:
	 * its final reply may come late or never.
	 */
	private async transfer(command: string, take: (chunk: Buffer) => void | Promise<void>, pace: Pace): Promise<void> {
		let portReply: Reply;
		let final: Promise<Reply>;
		if (this.passive) {
			const [passive, answer] = this.control.sendAll([this.passive, command]);
			final = answer!;
			final.catch(() => undefined);
			try {
				portReply = await passive!;
			} catch (error) {
				await final.catch(() => undefined);
				throw error;
			}
		} else {
			portReply = await this.enterPassive();
			final = this.control.send(command);
			final.catch(() => undefined);
		}

		// The control connection's session is the only one offered: a data connection that resumes it is that server.
		const tls = this.protected ? {...this.options.tls!, session: (this.control.socket as TLSSocket).getSession?.()} : undefined;
		// A TLS data connection reads into its own buffers; a plain one into this client's inflow.
		const inflow = tls ? undefined : this.inflow;
		let socket: Socket;
		try {
			socket = await openData(this.options.host, passivePort(portReply), this.options.timeoutMs, tls, inflow, this.control.signal);
		} catch (error) {
			// A server that refuses the command (550) closes its port at once, often before this
			// connection reaches it: its answer is then the reason, and the control connection is in step.
			const answer = await answerSoon(final);
			if (answer) throw answer;
			// The server may wait for this connection a long time: this control connection is spent.
			this.control.close();
			throw error;
		}

		this.control.data = socket;
		let received = 0;
		const counted = (chunk: Buffer) => {
			received += chunk.length;
			return take(chunk);
		};

		const reading = readData(socket, counted, inflow, pace).then(() => {
			this.control.data = undefined; // From here the control connection's own timeout guards the wait.
		});
		try {
			// Both must end well; the first to fail tells why (a cut data connection, not the server's
			// later complaint about it; a refusal, not the data connection that then never starts).
			await new Promise<void>((resolve, reject) => {
				let pending = 2;
				const done = () => {
					if (--pending === 0) resolve();
				};

				final.then(done, (error: unknown) => {
					void brokenOrRefused(error, () => received, reading).then(reject);
				});
				reading.then(done, reject);
			});
		} catch (error) {
			if (!(error instanceof FtpReplyError) || error instanceof LimitError) this.control.close();
			throw error;
		} finally {
			socket.destroy();
			this.control.data = undefined;
		}
	}

	private async enterPassive(): Promise<Reply> {
		try {
			const reply = await this.control.send('EPSV');
			this.passive = 'EPSV';
			return reply;
		} catch (error) {
			if (!(error instanceof FtpReplyError) || error.code < 500) throw error;
		}

		const reply = await this.control.send('PASV');
		this.passive = 'PASV';
		return reply;
	}
}

/** How long a failure reply waits for data already on its way over the data connection. */
const dataGraceMs = 100;

/** The server's failure reply to a command, if it comes within a moment. */
async function answerSoon(final: Promise<Reply>): Promise<FtpReplyError | undefined> {
	let timer: NodeJS.Timeout | undefined;
	const answer = await Promise.race([
		final.then(() => undefined, (error: unknown) => (error instanceof FtpReplyError ? error : undefined)),
		new Promise<undefined>(resolve => (timer = setTimeout(() => resolve(undefined), dataGraceMs))),
	]);
	clearTimeout(timer);
	return answer;
}

/**
 * What a failure reply to a transfer stands for. Before any data, a refusal (550: no such file).
 * Once data has come, the transfer breaking (a server that could not send the rest: vsftpd's 426,
 * ftp-srv's 551), which another attempt resumes: so a reply that comes before data the server sent
 * first waits a moment for the data connection to end, and its bytes to be counted.
 */
async function brokenOrRefused(error: unknown, received: () => number, reading: Promise<void>): Promise<unknown> {
	if (!(error instanceof FtpReplyError) || error instanceof LimitError) return error;
	if (received() === 0) {
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([reading.catch(() => undefined), new Promise(resolve => (timer = setTimeout(resolve, dataGraceMs)))]);
		clearTimeout(timer);
	}

	return received() > 0 ? new ConnectionLost(`the transfer broke after ${received()} bytes: ${error.message}`) : error;
}
