/**
 * A queue that grows while it is worked (listing finds folders) and is drained by one worker
 * per pool slot, so every connection stays busy until nothing is left; a slot the pool adds
 * meanwhile gets a worker of its own, and one it retires stops after its item. A drain may be
 * given spare work for the moments its own queue is empty but not done (the scan waiting on a
 * listing while files it planned wait for a connection): the queue's own work always comes first,
 * and a slot still busy with spare work when the drain ends stays busy for the next drain.
 */
import {PackratError} from './errors.js';
import {SlotRetired, type Pool, type Slot} from './pool.js';

/** Work a drain takes up when its own queue is empty: the downloads planned so far, while the scan goes on. */
export type Spare<S> = {take(): S | undefined; work(item: S, slot: Slot): Promise<void>};

export async function drain<T, S = never>(pool: Pool, items: T[], work: (item: T, slot: Slot, queue: T[]) => Promise<void>, spare?: Spare<S>): Promise<void> {
	let active = 0;
	let failure: unknown;
	let wake: (() => void) | undefined;
	let finish: () => void = () => undefined;
	/** Resolved when the queue's own work is done: a worker busy with spare work lets go of the drain then. */
	const finished = new Promise<void>(resolve => (finish = resolve));
	const notify = () => {
		if (items.length === 0 && active === 0) finish();
		wake?.();
		wake = undefined;
	};

	/** Spare work on `slot`, the drain's own work first: true when it is done, false when the drain ended before it. */
	const spareWork = async (item: S, slot: Slot): Promise<boolean> => {
		const running = spare!.work(item, slot);
		const busy = running.finally(() => {
			if (slot.busy === busy) slot.busy = undefined;
			notify();
		});
		busy.catch(() => undefined); // Awaited by the next drain's worker on this slot.
		slot.busy = busy;
		return Promise.race([running.then(() => true, (error: unknown) => {
			failure ??= error;
			return true;
		}), finished.then(() => false)]);
	};

	const worker = async (slot: Slot) => {
		try {
			await slot.busy; // Spare work of an earlier drain on this slot.
		} catch (error) {
			failure ??= error;
		}

		while (failure === undefined && !slot.retired) {
			const item = items.pop();
			if (item === undefined) {
				if (active === 0) break;
				const extra = spare?.take();
				if (extra !== undefined) {
					if (!(await spareWork(extra, slot))) return;
					continue;
				}

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
		await drain(pool, items, work, spare);
	}
}
