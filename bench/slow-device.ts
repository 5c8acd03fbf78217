/**
 * A backup disk slower than the network, made for the slowdisk part: an ext4 file system on a
 * loop device whose writes the block layer holds to a rate (cgroup v1 blkio throttling, which
 * the writeback of buffered writes passes through here, in the root group), and whose share of
 * dirty pages is capped (the device's `strict_limit` and `max_bytes`), so a writer waits in
 * write() at the disk's pace once 64 MiB are waiting, as on a small machine with a USB disk,
 * instead of leaving the whole pull in the page cache. Needs root, losetup, mkfs.ext4, mount.
 * The rate is checked with dd (buffered, then fsync) before anything is timed on it.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {mkdir, rm} from 'node:fs/promises';
import {join} from 'node:path';

const throttleFile = '/sys/fs/cgroup/blkio/blkio.throttle.write_bps_device';
/** Dirty pages the device may hold before writers wait. */
const dirtyBytes = 64 * 1024 * 1024;

export type SlowDevice = {
	/** Where pulls go: the mounted file system. */
	mount: string;
	/** The write rate set, and the rates dd measured (buffered 512 MiB, then with fsync), in MB/s. */
	limitMBps: number;
	ddBufferedMBps: number;
	ddFsyncMBps: number;
	describe: string;
	/** Set the write rate, in bytes a second (4096: the disk all but stops). */
	setRate(bytesPerSecond: number): void;
	remove(): Promise<void>;
};

function run(command: string, args: string[]): string {
	const result = spawnSync(command, args, {encoding: 'utf8'});
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim()}`);
	return result.stdout.trim();
}

/** Why this machine cannot have the slow device, or undefined when it can. */
export function cannotSlow(): string | undefined {
	if (process.getuid?.() !== 0) return 'needs root (a loop device, a mount and a blkio throttle rule)';
	if (!existsSync(throttleFile)) return `no cgroup v1 blkio throttling here (${throttleFile} is missing)`;
	for (const tool of ['losetup', 'mkfs.ext4', 'mount', 'umount', 'dd']) {
		if (spawnSync('sh', ['-c', `command -v ${tool}`], {stdio: 'ignore'}).status !== 0) return `${tool} is not installed`;
	}

	return undefined;
}

/** Seconds `dd` took to write `mib` MiB into `file` (with `conv=fsync` when `fsync`). */
function ddSeconds(file: string, mib: number, fsync: boolean): number {
	const started = process.hrtime.bigint();
	run('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${mib}`, ...(fsync ? ['conv=fsync'] : [])]);
	return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Make, mount, throttle and check the slow device under `work`; `remove` undoes all of it. */
export async function makeSlowDevice(work: string, limitMBps: number, sizeGiB = 3): Promise<SlowDevice> {
	const image = join(work, 'slow-device.img');
	const mount = join(work, 'slow-device');
	await mkdir(mount, {recursive: true});
	run('truncate', ['-s', `${sizeGiB}G`, image]);
	run('mkfs.ext4', ['-q', '-F', image]);
	// Direct I/O from the loop device to its image: its writes are not cached twice.
	const loop = run('losetup', ['--find', '--show', '--direct-io=on', image]);
	const device = readFileSync(`/sys/block/${loop.replace('/dev/', '')}/dev`, 'utf8').trim();
	let mounted = false;
	let throttled = false;
	const remove = async () => {
		if (throttled) writeFileSync(throttleFile, `${device} 0`);
		if (mounted) spawnSync('umount', [mount]);
		spawnSync('losetup', ['-d', loop]);
		await rm(image, {force: true});
		await rm(mount, {recursive: true, force: true});
	};

	try {
		run('mount', [loop, mount]);
		mounted = true;
		writeFileSync(throttleFile, `${device} ${Math.round(limitMBps * 1e6)}`);
		throttled = true;
		writeFileSync(`/sys/class/bdi/${device}/strict_limit`, '1');
		writeFileSync(`/sys/class/bdi/${device}/max_bytes`, String(dirtyBytes));
		const probe = join(mount, 'dd-probe');
		run('sync', []);
		const buffered = 512 / ddSeconds(probe, 512, false);
		await rm(probe);
		run('sync', []);
		const synced = 256 / ddSeconds(probe, 256, true);
		await rm(probe);
		run('sync', []);
		const mbps = (mibPerSecond: number) => (mibPerSecond * 1.048576).toFixed(0);
		return {
			mount, limitMBps, ddBufferedMBps: buffered * 1.048576, ddFsyncMBps: synced * 1.048576, remove,
			setRate: bytesPerSecond => writeFileSync(throttleFile, `${device} ${Math.round(bytesPerSecond)}`),
			describe: `ext4 on ${loop} (a ${sizeGiB} GiB image, direct I/O), writes throttled to ${limitMBps} MB/s (blkio, root group), at most ${dirtyBytes / 1024 / 1024} MiB dirty (strict_limit); dd measured ${mbps(buffered)} MB/s buffered (512 MiB), ${mbps(synced)} MB/s with fsync (256 MiB)`,
		};
	} catch (error) {
		await remove();
		throw error;
	}
}
