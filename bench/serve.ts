/**
 * `node dist/bench/serve.js [--server ftp-srv] [--protocol-log FILE]`: serve bench/data/sets on
 * 127.0.0.1 the way the benchmark does, until Ctrl-C, for experiments by hand.
 */
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startServer} from './servers.js';

const {values} = parseArgs({options: {server: {type: 'string', default: 'vsftpd'}, 'protocol-log': {type: 'string'}}});
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const server = await startServer({
	root: join(repo, 'bench', 'data', 'sets'), prefer: values.server === 'ftp-srv' ? 'ftp-srv' : 'vsftpd',
	protocolLog: values['protocol-log'] ? resolve(values['protocol-log']) : undefined, log: line => process.stdout.write(`${line}\n`),
});
process.stdout.write(`ftp://${server.user}:${server.password}@${server.host}:${server.port}/ — Ctrl-C to stop\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		void server.stop().then(() => process.exit(0));
	});
}
