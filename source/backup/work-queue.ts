/**
 * A queue that grows while it is worked (listing finds folders) and is drained by one worker
 * per pool slot, so every connection stays busy until nothing is left; a slot the pool adds
 * meanwhile gets a worker of its own, and one it retires stops after its item.
 */
import {PackratError} from './errors.js';
import {SlotRetired, type Pool, type Slot} from './pool.js';

export async function drain<T>(pool: Pool, items: T[], work: (item: T, slot: Slot, queue: T[]) => Promise<void>): Promise<void> {
	let active = 0;
	let failure: unknown;
	let wake: (() => void) | undefined;
	const notify = () => {
		wake?.();
		wake = undefined;
	};

	const worker = async (slot: Slot) => {
		while (failure === undefined && !slot.retired) {
			const item = items.pop();
			if (item === undefined) {
				if (active === 0) break;
				await new Promise<void>(resolve => {
					const previous = wake;
					wake = () => {
						previous?.();
						resolve();
					};
				});
				continue;
			}

			active++;
			try {
				await work(item, slot, items);
			} catch (error) {
				if (error instanceof SlotRetired) {
					items.push(item);
				} else {
					failure ??= error;
				}
			} finally {
				active--;
				notify();
			}
		}

		pool.release(slot);
		notify();
	};

	const workers = pool.slots.filter(slot => !slot.retired).map(async slot => worker(slot));
	const stop = pool.onSlot(slot => workers.push(worker(slot)));
	try {
		// Awaited in turn: a worker started meanwhile is at the end of the list.
		for (let index = 0; index < workers.length; index++) await workers[index];
	} finally {
		stop();
	}

	if (failure !== undefined) throw failure;
	if (items.length > 0) {
		if (pool.live === 0) throw new PackratError('the server gave no connection to work with');
		await drain(pool, items, work);
	}
}
