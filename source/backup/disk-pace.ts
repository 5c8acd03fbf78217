/**
 * Whether the backup disk answers quickly. Making a file is a few short system calls on a local
 * disk, cheaper done at once on this thread than through the thread pool; but a disk that is
 * slow to make files (a busy disk, a network share, ext4 just after mass deletion) would then
 * hold up every connection and the window. So calls are made directly until one takes longer
 * than `slowMs`; from then on, for the rest of the run, through the thread pool.
 */
import {performance} from 'node:perf_hooks';

export const slowMs = 2;

export class DiskPace {
	slow = false;

	/** Run `call` on this thread, and note whether it was slow. */
	direct<T>(call: () => T): T {
		const started = performance.now();
		try {
			return call();
		} finally {
			if (performance.now() - started > slowMs) this.slow = true;
		}
	}
}
