/**
 * A real HTTP alert receiver on 127.0.0.1 for tests of `notify.url`: it records each request
 * (method, path, body) and answers with `answer`, or never answers at all.
 */
import {createServer, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type Hit = {method: string; url: string; authorization?: string; body: string; at: number};

export type Receiver = {base: string; hits: Hit[]; close: () => Promise<void>};

/** `answer: 'never'` plays a receiver that takes the request and never replies. */
export async function startReceiver(answer: ((response: ServerResponse) => void) | 'never' = response => response.end('OK')): Promise<Receiver> {
	const hits: Hit[] = [];
	const server: Server = createServer((request, response) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', chunk => (body += chunk));
		request.on('end', () => {
			hits.push({method: request.method!, url: request.url!, authorization: request.headers.authorization, body, at: Date.now()});
			if (answer !== 'never') answer(response);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hits,
		async close() {
			server.closeAllConnections();
			await new Promise(resolve => server.close(resolve));
		},
	};
}
