/**
 * A run's first connection: its connect failure turned into the one line that ends the run, and
 * the root looked at on it before the other connections are made (pool.ts opens those).
 */
import {CancelledError, PackratError, ftpCode, replyText} from './errors.js';
import type {FtpClient} from './ftp/client.js';
import {connect, connectFailure, type ServerConfig} from './remote.js';

/** First client of a run, with the connect failure turned into its one line; `signal` ends the connect at once. */
export async function connectFirst(config: ServerConfig, decide?: Parameters<typeof connect>[1], signal?: AbortSignal) {
	try {
		return await connect(config, decide, signal);
	} catch (error) {
		if (signal?.aborted) throw new CancelledError();
		throw connectFailure(error, config);
	}
}

/**
 * Look at the root on the first client, before the other connections are made, so that a missing
 * root costs one login rather than one per connection. `CWD` is the cheap look; where the server
 * refuses it, the root's listing decides, as in the scan. Anything but a refusal of both is left to
 * the scan and its retries. A missing root closes the client and throws the settings fault.
 */
export async function checkRoot(client: FtpClient, root: string, mlsd: boolean): Promise<void> {
	try {
		await client.cd(root);
		return;
	} catch (error) {
		if ((ftpCode(error) ?? 0) < 500) return;
	}

	try {
		await client.listText(root, mlsd);
	} catch (error) {
		if ((ftpCode(error) ?? 0) < 500) return;
		client.close();
		throw new PackratError(`the root path ${root} cannot be listed on the server (${replyText(error)}): check server.root`, 'config', 'server.root');
	}
}
