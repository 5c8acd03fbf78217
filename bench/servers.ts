/**
 * The FTP server the benchmark pulls from, on 127.0.0.1: vsftpd started from a generated config
 * file when it is installed (never the system service), else the in-process ftp-srv.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {closeSync, existsSync, openSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createConnection, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {reapedCpuMs} from './proc.js';

export type Server = {
	kind: 'vsftpd' | 'ftp-srv';
	/** One line for the results: which server, which version, how it was set up. */
	describe: string;
	host: string;
	port: number;
	user: string;
	password: string;
	/**
	 * CPU the server has used so far, sessions ended included, in ms; undefined when it cannot be
	 * told (ftp-srv runs in the benchmark's own process). Waits for the sessions of a finished
	 * pull to be gone first.
	 */
	cpuMs(): Promise<number | undefined>;
	stop(): Promise<void>;
};

export type ServerOptions = {
	root: string;
	prefer: 'vsftpd' | 'ftp-srv';
	/** vsftpd only: log every command and reply to this file. */
	protocolLog?: string;
	/** vsftpd only: explicit FTPS as in devtools/vsftpd.ts (TLS required, data connections resume the control's session). */
	tls?: {cert: string; key: string};
	/** vsftpd only: the address its passive replies announce, and its passive port range (default 127.0.0.1, 2,000 ports). */
	passive?: {address: string; min: number; max: number};
	log: (line: string) => void;
};

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

function which(command: string): string | undefined {
	for (const folder of (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
		if (folder && existsSync(join(folder, command))) return join(folder, command);
	}

	return undefined;
}

/** Resolves once the server greets with 220. */
async function greeting(port: number, child: ChildProcess | undefined, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child && child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
		const ok = await new Promise<boolean>(resolve => {
			const socket = createConnection({host: '127.0.0.1', port});
			socket.setTimeout(1000);
			socket.once('data', data => {
				socket.destroy();
				resolve(data.toString().startsWith('220'));
			});
			socket.once('error', () => resolve(false));
			socket.once('timeout', () => {
				socket.destroy();
				resolve(false);
			});
		});
		if (ok) return;
		if (Date.now() > deadline) throw new Error('no 220 greeting within 5 s');
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

type Config = {root: string; port: number; passive: {address: string; min: number; max: number}; empty: string; protocolLog?: string; tls?: {cert: string; key: string}};

function vsftpdConfig({root, port, passive, empty, protocolLog, tls}: Config): string {
	const lines = [
		'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', `listen_port=${port}`, 'background=NO',
		'anonymous_enable=YES', 'no_anon_password=YES', `anon_root=${root}`, 'local_enable=NO', 'write_enable=NO',
		'pasv_enable=YES', `pasv_address=${passive.address}`, `pasv_min_port=${passive.min}`, `pasv_max_port=${passive.max}`, 'connect_from_port_20=NO',
		'seccomp_sandbox=NO', 'isolate=NO', 'isolate_network=NO', `secure_chroot_dir=${empty}`, 'utf8_filesystem=YES',
		'use_localtime=NO', 'dirmessage_enable=NO', 'max_clients=0', 'max_per_ip=0', 'idle_session_timeout=600', 'data_connection_timeout=120',
	];
	if (protocolLog) lines.push('xferlog_enable=YES', 'xferlog_std_format=NO', 'log_ftp_protocol=YES', `vsftpd_log_file=${protocolLog}`);
	else lines.push('xferlog_enable=NO');
	if (tls) {
		lines.push(
			'ssl_enable=YES', 'implicit_ssl=NO', `rsa_cert_file=${tls.cert}`, `rsa_private_key_file=${tls.key}`, 'allow_anon_ssl=YES',
			'force_anon_logins_ssl=YES', 'force_anon_data_ssl=YES', 'require_ssl_reuse=YES', 'ssl_ciphers=HIGH', 'ssl_sslv2=NO', 'ssl_sslv3=NO', 'ssl_tlsv1=YES',
		);
	}

	return `${lines.join('\n')}\n`;
}

async function startVsftpd(options: ServerOptions, binary: string): Promise<Server> {
	if (process.getuid?.() !== 0) throw new Error('vsftpd needs root to chroot anonymous sessions, and this is not root');
	const dir = await mkdtemp(join(tmpdir(), 'packrat-vsftpd-'));
	const empty = join(dir, 'empty');
	await mkdir(empty, {mode: 0o755});
	const port = await freePort();
	// Passive ports below Linux's ephemeral range (32768+) so they never clash with client sockets.
	const pasv = 20_000 + Math.floor(Math.random() * 5) * 2000;
	const passive = options.passive ?? {address: '127.0.0.1', min: pasv, max: pasv + 1999};
	const config = join(dir, 'vsftpd.conf');
	await writeFile(config, vsftpdConfig({root: options.root, port, passive, empty, protocolLog: options.protocolLog, tls: options.tls}));
	const output = join(dir, 'output.log');
	const out = openSync(output, 'w');
	const child = spawn(binary, [config], {stdio: ['ignore', out, out]});
	closeSync(out);
	try {
		await greeting(port, child);
	} catch (error) {
		child.kill();
		const text = await readFile(output, 'utf8').catch(() => '');
		throw new Error(`vsftpd did not start (${(error as Error).message}): ${text.trim().split('\n').at(-1) ?? ''}`);
	}

	const version = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'vsftpd'], {encoding: 'utf8'}).stdout || 'unknown version';
	const ftps = options.tls ? ', explicit FTPS (TLS required, data connections resume the session)' : '';
	options.log(`server: vsftpd ${version} (pid ${child.pid}) on 127.0.0.1:${port}${ftps}, passive ${passive.address}:${passive.min}-${passive.max}, config ${config}`);
	return {
		kind: 'vsftpd',
		describe: `vsftpd ${version}, anonymous, LIST + MDTM (no MLSD)${ftps}, from a generated config on 127.0.0.1`,
		host: '127.0.0.1',
		port,
		user: 'anonymous',
		password: 'bench@example.com',
		cpuMs: async () => (child.pid === undefined ? undefined : reapedCpuMs(child.pid)),
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise(resolve => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}

			await rm(dir, {recursive: true, force: true});
		},
	};
}

async function startFtpSrv(options: ServerOptions): Promise<Server> {
	const {startFtpServer} = await import('../devtools/ftp-server.js');
	const server = await startFtpServer({root: options.root});
	options.log(`server: ftp-srv (in process, devtools/ftp-server.ts) on 127.0.0.1:${server.port}`);
	return {
		kind: 'ftp-srv',
		describe: 'ftp-srv (devtools/ftp-server.ts, in the benchmark process), LIST + MDTM, on 127.0.0.1',
		host: '127.0.0.1',
		port: server.port,
		user: 'bench',
		password: 'bench',
		cpuMs: async () => undefined,
		stop: async () => server.close(),
	};
}

export async function startServer(options: ServerOptions): Promise<Server> {
	const binary = which('vsftpd');
	// ftp-srv would serve plain FTP instead: a run that asks for FTPS gets vsftpd or an error.
	if (options.tls) return startVsftpd(options, binary ?? 'vsftpd (not installed: apt-get install vsftpd)');
	if (options.prefer === 'vsftpd' && binary) {
		try {
			return await startVsftpd(options, binary);
		} catch (error) {
			options.log(`vsftpd is installed but ${(error as Error).message}; falling back to ftp-srv`);
		}
	} else if (options.prefer === 'vsftpd') {
		options.log('vsftpd is not installed (apt-get install vsftpd); falling back to ftp-srv');
	}

	return startFtpSrv(options);
}
