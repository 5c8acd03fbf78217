/**
 * A reference, not a product: the protocol's floor for a first pull. packrat's own FTP client,
 * on N connections to a vsftpd serving a data set, RETRs every file in turn and drops the bytes:
 * no listing, no MDTM, no disk, no engine. What a pull of that set takes beyond this is disk and
 * engine; what this takes is the server, the network stack and the connection count.
 *
 *   node dist/bench/floor.js [--set small] [--connections 4]   (after npm run bench has made the sets)
 */
import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startVsftpd, vsftpdMissing} from '../devtools/vsftpd.js';
import {connect} from '../source/backup/remote.js';

const {values} = parseArgs({options: {set: {type: 'string', default: 'small'}, connections: {type: 'string', default: '4'}}});
const missing = vsftpdMissing();
if (missing) throw new Error(missing);
const root = join(fileURLToPath(new URL('../../bench/data/sets', import.meta.url)), values.set!);
const files: string[] = [];
const walk = (folder: string, remote: string) => {
	for (const entry of readdirSync(folder, {withFileTypes: true})) {
		if (entry.isDirectory()) walk(join(folder, entry.name), `${remote}/${entry.name}`);
		else files.push(`${remote}/${entry.name}`);
	}
};

walk(root, '');
const server = await startVsftpd(root);
try {
	const config = {host: '127.0.0.1', port: server.port, user: 'anonymous', password: 'bench@example.com', tls: 'none' as const, root: '/', timeoutMs: 30_000};
	const clients = await Promise.all(Array.from({length: Number(values.connections)}, async () => (await connect(config)).client));
	const cpu = process.cpuUsage();
	const started = performance.now();
	let next = 0;
	await Promise.all(clients.map(async client => {
		while (next < files.length) await client.retrieve(files[next++]!, 0, () => undefined);
	}));
	const used = process.cpuUsage(cpu);
	process.stdout.write(`${files.length} RETRs of ${values.set} on ${clients.length} connections, bytes dropped: ${((performance.now() - started) / 1000).toFixed(2)} s, CPU ${((used.user + used.system) / 1e6).toFixed(2)} s\n`);
	for (const client of clients) client.close();
} finally {
	await server.close();
}
