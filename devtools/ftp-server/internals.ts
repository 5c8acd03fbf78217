// Typed handles on the parts of ftp-srv (CommonJS, untyped internals) that the test server patches.
import {createRequire} from 'node:module';
import type {EventEmitter} from 'node:events';
import type {Server, Socket} from 'node:net';
import type {Readable} from 'node:stream';
import type {SecureContextOptions} from 'node:tls';

const requireFromFtpSrv = createRequire(createRequire(import.meta.url).resolve('ftp-srv'));

export type Command = {directive: string; arg: string | null; flags: string[]; raw: string};
export type HandlerArguments = {log: Logger; command: Command; previous_command?: Command};
export type Handler = (this: Connection, args: HandlerArguments) => unknown;
export type Registration = {
	directive: string | string[];
	handler: Handler;
	syntax?: string;
	description?: string;
	flags?: {no_auth?: boolean; feat?: string};
};

export type Logger = {[level in 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal']: (...parts: unknown[]) => void} & {
	child(fields: object): Logger;
};

export type Letter = string | {message: string; raw?: boolean; socket?: Socket};
export type ReplyOptions = number | {code?: number; socket?: Socket | null; useEmptyMessage?: boolean; eol?: boolean};

export type FileSystem = {
	root: string;
	cwd: string;
	_resolvePath(path?: string): {clientPath: string; fsPath: string};
	read(fileName: string, options: {start?: number}): Promise<{stream: Readable; clientPath: string}>;
};

export type Connector = {
	type: string | false;
	readonly socket: Socket | null;
	waitForConnection(options?: {timeout?: number}): PromiseLike<Socket>;
	end(): void;
};

export type Connection = EventEmitter & {
	id: string;
	server: FtpSrv;
	commandSocket: Socket;
	connector: Connector;
	fs?: FileSystem;
	encoding: BufferEncoding;
	/** Offset from REST for the next RETR/STOR (ftp-srv resets it when a transfer starts). */
	restByteCount: number | undefined;
	readonly secure: boolean;
	reply(options: ReplyOptions, ...letters: Letter[]): Promise<void>;
	close(code?: number, message?: string): Promise<void>;
};

export type FtpSrvOptions = {
	url: string;
	pasv_url?: string;
	tls: SecureContextOptions | false;
	anonymous?: boolean;
	log: Logger;
	greeting?: string | string[];
};

export type LoginData = {connection: Connection; username: string; password: string};
export type LoginResult = {fs?: FileSystem; root?: string; cwd?: string};

export type FtpSrv = EventEmitter & {
	options: FtpSrvOptions;
	server: Server;
	connections: Record<string, Connection>;
	readonly isTLS: boolean;
	disconnectClient(id: string): PromiseLike<unknown>;
	listen(): PromiseLike<unknown>;
	close(): PromiseLike<unknown>;
};

type BluebirdStatic = {
	resolve<T>(value: T | PromiseLike<T>): PromiseLike<T>;
	TimeoutError: new (message: string) => Error;
};

export const FtpSrvClass = requireFromFtpSrv('./src/index.js') as new (options: FtpSrvOptions) => FtpSrv;
export const FileSystemClass = requireFromFtpSrv('./src/fs.js') as new (
	connection: Connection,
	options: {root: string; cwd: string},
) => FileSystem;
export const BaseConnectorClass = requireFromFtpSrv('./src/connector/base.js') as new (connection: Connection) => Connector;
export const registry = requireFromFtpSrv('./src/commands/registry.js') as Record<string, Registration>;
export const Bluebird = requireFromFtpSrv('bluebird') as BluebirdStatic;

export const silentLog: Logger = {
	trace() {},
	debug() {},
	info() {},
	warn() {},
	error() {},
	fatal() {},
	child: () => silentLog,
};

type ConnectionClass = {prototype: {_handleData(this: Connection & {queued?: Promise<unknown>; held?: Buffer}, data: Buffer): Promise<unknown>}};
export const ConnectionClass = requireFromFtpSrv('./src/connection.js') as ConnectionClass;
