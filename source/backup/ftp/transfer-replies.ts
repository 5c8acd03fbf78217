/**
 * What a transfer's replies mean. The next transfer's passive request is written behind each
 * transfer's command, so that its port arrives with the transfer's end instead of one round trip
 * later. RFC 959 servers read it once the transfer is over (vsftpd, ftp-srv) and answer in order;
 * some read the control connection during a transfer and answer at once (ProFTPD: `450 EPSV: data
 * transfer in progress`), before the transfer's own final reply. The two replies are told apart by
 * their codes, whatever their order, and a server seen answering during a transfer is not asked
 * ahead again. Also here: what a failure reply to a transfer stands for.
 */
import {ConnectionLost, FtpReplyError, LimitError, type Reply} from './control.js';

/** A port asked for ahead, and when its reply came (a listener the server has held that long). */
export type Ahead = {reply: Reply; at: number};

/** A port asked for ahead is used only this long after it came; a server may give up waiting for its connection (ftp-srv: 30 s). */
export const aheadFreshMs = 5000;

/** Servers (`host:port`) seen answering a command during a transfer: never asked ahead again in this process. */
const answering = new Set<string>();

export const answersDuringTransfers = (server: string) => answering.has(server);

const isPassive = (reply: Reply) => reply.code === 227 || reply.code === 229;

/**
 * The transfer's final reply and the passive reply asked for behind it, from the two replies in the
 * order they came (`first`, `second`). A passive reply first: the server opened a listener during
 * the transfer, which may have disturbed it: the transfer fails, to be tried again. A refusal first
 * and a success after it: the refusal was the passive request's, the success the transfer's.
 */
export function apart(server: string, first: Promise<Reply>, second: Promise<Reply>): {final: Promise<Reply>; next: Promise<Ahead | undefined>} {
	second.catch(() => undefined);
	const final = first.then(
		reply => {
			if (!isPassive(reply)) return reply;
			answering.add(server);
			throw new ConnectionLost('the server answered the next passive request before this transfer ended; asked again without it');
		},
		async (error: unknown) => {
			if (!(error instanceof FtpReplyError) || error instanceof LimitError) throw error;
			const after = await second.catch(() => undefined);
			if (!after || isPassive(after)) throw error;
			answering.add(server);
			return after;
		},
	);
	const next = Promise.allSettled([first, second]).then(([one, two]) => {
		if (one.status === 'fulfilled' && isPassive(one.value)) return undefined;
		return two.status === 'fulfilled' && isPassive(two.value) ? {reply: two.value, at: Date.now()} : undefined;
	});
	return {final, next};
}

/** How long a failure reply waits for data already on its way over the data connection. */
const dataGraceMs = 100;

/**
 * What a failure reply to a transfer stands for. Before any data, a refusal (550: no such file).
 * Once data has come, the transfer breaking (a server that could not send the rest: vsftpd's 426,
 * ftp-srv's 551), which another attempt resumes: so a reply that comes before data the server sent
 * first waits a moment for the data connection to end, and its bytes to be counted.
 */
export async function brokenOrRefused(error: unknown, received: () => number, reading: Promise<void>): Promise<unknown> {
	if (!(error instanceof FtpReplyError) || error instanceof LimitError) return error;
	if (received() === 0) {
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([reading.catch(() => undefined), new Promise(resolve => (timer = setTimeout(resolve, dataGraceMs)))]);
		clearTimeout(timer);
	}

	return received() > 0 ? new ConnectionLost(`the transfer broke after ${received()} bytes: ${error.message}`) : error;
}

/** Why `final` failed, if it fails within a moment: a refused command's data connection may be reset before the refusal is read. */
export async function refusalOf(final: Promise<Reply>): Promise<unknown> {
	let timer: NodeJS.Timeout | undefined;
	const failure = await Promise.race([final.then(() => undefined, (error: unknown) => error), new Promise<undefined>(resolve => (timer = setTimeout(() => resolve(undefined), dataGraceMs)))]);
	clearTimeout(timer);
	return failure;
}
