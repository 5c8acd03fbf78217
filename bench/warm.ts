/**
 * Memory the host has taken back, touched again before a timed run. This machine is a virtual
 * machine whose balloon reports free memory to its host (virtio_balloon's free page reporting):
 * a few seconds after pages fall free the host unmaps them, and the next process to fill them
 * (with a pull's page cache, or its heap) waits in the kernel while the host maps them again.
 * Measured here: dd writing 1 GB in 1 MiB blocks took 1.3-1.9 s of sys time when the free
 * memory had lain idle 8 s, 0.16 s right after other pages were freed; packrat's 1 GB pull
 * swung between 0.6 and 1.7 s of sys time for it, lftp's between 0.9 and 3.0 s of CPU,
 * whoever came first after a quiet spell paying.
 * Filling and freeing that much memory just before the run leaves it mapped for the run.
 */
import {spawnSync} from 'node:child_process';

/** Touch `bytes` of fresh memory in a short-lived process (dd with one block that size), then free it; nothing when dd is missing. */
export function warmMemory(bytes: number): void {
	const mib = Math.ceil(bytes / 1024 / 1024);
	if (mib <= 0) return;
	spawnSync('dd', ['if=/dev/zero', 'of=/dev/null', `bs=${mib}M`, 'count=1'], {stdio: 'ignore'});
}
