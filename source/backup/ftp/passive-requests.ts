/**
 * What goes out with a transfer's command on one control connection: the passive request its
 * data connection needs, and behind the command the next transfer's (see transfer-replies.ts).
 */
import {type Control, FtpReplyError, type Reply} from './control.js';
import {aheadFreshMs, answersDuringTransfers, apart, type Ahead} from './transfer-replies.js';

export class PassiveRequests {
	/** `EPSV` until the server refuses it, then `PASV`; undefined until the first data connection. */
	private passive?: 'EPSV' | 'PASV';
	/** The passive reply asked for behind the last transfer, for the next one. */
	private ahead?: Promise<Ahead | undefined>;
	/** `host:port` of the server, as transfer-replies.ts remembers servers by. */
	private server?: string;

	constructor(private readonly control: Control, private readonly host: string) {}

	/**
	 * Send `command` with what its data connection needs: the port asked for ahead by the last
	 * transfer while it is fresh, else a passive request written with the command (EPSV and PASV
	 * alone the first time, to learn which the server takes); and behind the command, unless the
	 * server was seen answering during a transfer, the next transfer's passive request.
	 */
	async request(command: string): Promise<{port: Reply; final: Promise<Reply>}> {
		const ahead = await this.ahead;
		this.ahead = undefined;
		let port = ahead && Date.now() - ahead.at < aheadFreshMs ? ahead.reply : undefined;
		if (!port && !this.passive) port = await this.enterPassive();
		const asked = port ? [command] : [this.passive!, command];
		const server = (this.server ??= `${this.host}:${this.control.socket.remotePort ?? ''}`);
		const askAhead = !answersDuringTransfers(server);
		const replies = this.control.sendAll(askAhead ? [...asked, this.passive!] : asked);
		let final = replies[asked.length - 1]!;
		if (askAhead) {
			const split = apart(server, final, replies.at(-1)!);
			final = split.final;
			this.ahead = split.next;
		}

		final.catch(() => undefined);
		if (!port) {
			try {
				port = await replies[0]!;
			} catch (error) {
				await final.catch(() => undefined);
				throw error;
			}
		}

		return {port, final};
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
