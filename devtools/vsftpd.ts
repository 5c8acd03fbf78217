// A real vsftpd (no MLSD; LIST shows only the year for files older than six months) started
// from a generated config on 127.0.0.1, for tests and the benchmark. Not the system service.
// With `tls`, FTPS as vsftpd has it by default: TLS forced for the login and every data
// connection, and data connections required to resume the control connection's session.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createConnection, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';

export type Vsftpd = {host: '127.0.0.1'; port: number; close(): Promise<void>};

const binary = ['/usr/sbin/vsftpd', '/usr/bin/vsftpd'].find(candidate => existsSync(candidate));

/** Why vsftpd cannot run here, or undefined when it can. */
export function vsftpdMissing(): string | undefined {
	if (!binary) return 'vsftpd is not installed (apt-get install vsftpd)';
	if (process.getuid?.() !== 0) return 'vsftpd needs root to start';
	return undefined;
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise(resolve => server.close(resolve));
	return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
	for (let attempt = 0; attempt < 100; attempt++) {
		if (child.exitCode !== null) throw new Error(`vsftpd exited with code ${child.exitCode}`);
		const open = await new Promise<boolean>(resolve => {
			const socket = createConnection({host: '127.0.0.1', port}, () => {
				socket.destroy();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	throw new Error('vsftpd did not start listening');
}

export type VsftpdOptions = {tls?: {mode: 'explicit' | 'implicit'; certificate: {key: string; cert: string}}};

/** The config lines for FTPS, with the certificate written into `folder`. */
async function tlsConfig(folder: string, tls: NonNullable<VsftpdOptions['tls']>): Promise<string[]> {
	const cert = path.join(folder, 'cert.pem');
	const key = path.join(folder, 'key.pem');
	await writeFile(cert, tls.certificate.cert, {mode: 0o600});
	await writeFile(key, tls.certificate.key, {mode: 0o600});
	return [
		'ssl_enable=YES', `implicit_ssl=${tls.mode === 'implicit' ? 'YES' : 'NO'}`, `rsa_cert_file=${cert}`, `rsa_private_key_file=${key}`,
		'allow_anon_ssl=YES', 'force_anon_logins_ssl=YES', 'force_anon_data_ssl=YES', 'require_ssl_reuse=YES', 'ssl_ciphers=HIGH',
		'ssl_sslv2=NO', 'ssl_sslv3=NO', 'ssl_tlsv1=YES',
	];
}

/** Serve `root` read-only to anonymous users; the files must be world-readable. */
export async function startVsftpd(root: string, options: VsftpdOptions = {}): Promise<Vsftpd> {
	const missing = vsftpdMissing();
	if (missing) throw new Error(missing);
	const folder = await mkdtemp(path.join(tmpdir(), 'packrat-vsftpd-'));
	const empty = path.join(folder, 'empty');
	await rm(empty, {recursive: true, force: true});
	await (await import('node:fs/promises')).mkdir(empty, {mode: 0o755});
	await chmod(folder, 0o755);
	await chmod(root, 0o755);
	const port = await freePort();
	const pasv = 40_000 + Math.floor(Math.random() * 200) * 100;
	const user = spawnSync('id', ['ftp']).status === 0 ? 'ftp' : 'nobody';
	const config = [
		'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', `listen_port=${port}`, 'background=NO',
		'anonymous_enable=YES', `anon_root=${root}`, 'no_anon_password=YES', 'local_enable=NO', 'write_enable=NO',
		`ftp_username=${user}`, 'anon_world_readable_only=NO', 'force_dot_files=YES', 'hide_ids=NO',
		'pasv_enable=YES', 'pasv_address=127.0.0.1', `pasv_min_port=${pasv}`, `pasv_max_port=${pasv + 99}`,
		'seccomp_sandbox=NO', `secure_chroot_dir=${empty}`, 'xferlog_enable=NO', 'vsftpd_log_file=/dev/null',
		'max_clients=100', 'max_per_ip=50', 'use_localtime=NO', 'idle_session_timeout=120', 'data_connection_timeout=60',
		...(options.tls ? await tlsConfig(folder, options.tls) : []),
	].join('\n');
	const file = path.join(folder, 'vsftpd.conf');
	await writeFile(file, `${config}\n`, {mode: 0o600});
	const child = spawn(binary!, [file], {stdio: 'ignore'});
	await waitForPort(port, child);
	return {
		host: '127.0.0.1',
		port,
		async close() {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				await new Promise(resolve => child.once('exit', resolve));
			}

			await rm(folder, {recursive: true, force: true});
		},
	};
}
