/**
 * packrat's own FTP client, in place of basic-ftp for the engine: the same commands, but it
 * pipelines where RFC 959 allows (the MDTMs of a folder, the STATs of several folders, EPSV with
 * its RETR), reads a download straight into the caller's hands, and builds no stack trace per
 * request. Each method is one request; retries are the pool's business.
 */
import type {Socket} from 'node:net';
import type {TLSSocket} from 'node:tls';
import {parseFtpTime, parseListing, type ListedEntry} from '../listing-parse.js';
import {Control, FtpReplyError, LimitError, type Reply} from './control.js';
import {Inflow, openData, passivePort, readData, type DataTls, type Pace} from './data.js';
import {limits, listingReply, type ReplyLimit} from './limits.js';
import {ListingText} from './listing-text.js';
import {Stopper} from './ready.js';
import {PassiveRequests} from './passive-requests.js';
import {brokenOrRefused, refusalOf} from './transfer-replies.js';

const withPath = (command: string, path: string) => (path === '' ? command : `${command} ${path}`);

/** `tls`: the options of a protected data connection, with the check of its certificate (see DataTls). */
export type ClientOptions = {
	host: string;
	timeoutMs: number;
	tls?: Omit<DataTls, 'session'>;
	/** vsftpd: a download's data connection may be ended on packrat's side as soon as it opens (openData's `endAtOnce`). */
	endEarly?: boolean;
};

export class FtpClient {
	private listCommand: 'LIST -a' | 'LIST' = 'LIST -a';
	/** The last transfer's time from its request to its first byte (ms); undefined when none came. */
	firstByteMs?: number;
	/** True once the data channel is protected (PROT P). */
	protected = false;
	/** tls-session.ts's `withoutCertificate`, loaded by `protect`: a run without TLS never needs it. */
	private withoutCertificate?: (session: Buffer) => Buffer;
	/** The read buffer of this client's plain data connections (one at a time). */
	private readonly inflow = new Inflow();
	/** The passive requests that go out with each transfer's command. */
	private readonly passives: PassiveRequests;

	constructor(readonly control: Control, private readonly options: ClientOptions) {
		this.passives = new PassiveRequests(control, options.host);
	}

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

	/**
	 * Download `path` from byte `offset`, handing each chunk to `take`. `place`: where the next
	 * bytes may be read (Inflow.place), for a plain data connection; `take` still gets each chunk.
	 */
	async retrieve(path: string, offset: number, take: (chunk: Buffer) => void | Promise<void>, place?: () => Buffer | undefined): Promise<void> {
		if (offset > 0) await this.control.send(`REST ${offset}`);
		this.inflow.place = place; // Read only by a plain data connection: a TLS one has buffers of its own.
		try {
			await this.transfer(`RETR ${path}`, take, {windowMs: this.options.timeoutMs}, true);
		} finally {
			this.inflow.place = undefined;
		}
	}

	/** Protect the data channel once the control connection is TLS (PBSZ 0, PROT P). */
	async protect(): Promise<void> {
		// Never a protected data channel without the check of who answers on it.
		if (!this.options.tls) throw new Error('protected data connections need the TLS options and the certificate check');
		this.withoutCertificate ??= (await import('./tls-session.js')).withoutCertificate;
		await this.control.send('PBSZ 0');
		await this.control.send('PROT P');
		this.protected = true;
	}

	/**
	 * One command that answers over a data connection (see PassiveRequests for what goes out with it);
	 * the data connection is opened once the port is known. A refusal before the data connection
	 * opens ends the wait for it. Any failure but the server's refusal spends this control
	 * connection: its final reply may come late or never.
	 */
	private async transfer(command: string, take: (chunk: Buffer) => void | Promise<void>, pace: Pace, download = false): Promise<void> {
		const asked = performance.now();
		this.firstByteMs = undefined;
		const {port, final} = await this.passives.request(command);
		// The control connection's session is the only one offered: a data connection that resumes it is that server.
		const session = this.protected ? (this.control.socket as TLSSocket).getSession?.() : undefined;
		const tls = this.protected ? {...this.options.tls!, session: session && this.withoutCertificate!(session)} : undefined;
		// A TLS data connection reads into its own buffers; a plain one into this client's inflow.
		const inflow = tls ? undefined : this.inflow;
		let socket: Socket;
		// Stopped by a cancel (the control connection hears the run's signal) or a failed final reply.
		const opening = new Stopper();
		this.control.opening = opening;
		if (this.control.signal?.aborted) opening.abort();
		final.catch(() => opening.abort());
		try {
			socket = await openData(this.options.host, passivePort(port), this.options.timeoutMs, tls, inflow, opening, download && this.options.endEarly);
		} catch (error) {
			// Refused (the server takes no connection for it, and may reset the one made): this control connection goes on.
			const refusal = await refusalOf(final);
			const stopped = refusal !== undefined && !this.control.signal?.aborted;
			if (stopped && refusal instanceof FtpReplyError && !(refusal instanceof LimitError)) throw refusal;
			// The server may wait for this connection a long time: this control connection is spent.
			this.control.close();
			throw stopped ? refusal : error;
		} finally {
			this.control.opening = undefined;
		}

		this.control.data = socket;
		let received = 0;
		const counted = (chunk: Buffer) => {
			if (received === 0) this.firstByteMs = performance.now() - asked;
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
}
