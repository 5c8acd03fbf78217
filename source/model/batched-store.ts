/**
 * A small external store for `useSyncExternalStore`. Listeners hear of changes at most once per
 * interval (urgent changes at once), so a run that emits thousands of events a second costs the
 * window a handful of renders. The engine's events do not even build a state each: `queue` only
 * holds them, and they are folded into one new state when a frame is due (or when someone reads
 * `state`), so an event costs a push and a timestamp.
 */
export class BatchedStore<T, E = never> {
	private current: T;
	private published: T;
	private readonly listeners = new Set<() => void>();
	private timer: NodeJS.Timeout | undefined;
	private queued: E[] = [];
	private queuedAt: number[] = [];

	/** `fold` folds queued items, oldest first, each with the time it was queued. */
	constructor(initial: T, private readonly intervalMs = 100, private readonly fold?: (state: T, items: readonly E[], at: readonly number[]) => T) {
		this.current = initial;
		this.published = initial;
	}

	/** The state listeners were last told about: stable between notifications, as React needs. */
	readonly getSnapshot = (): T => this.published;

	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	/** The newest state, told or not (queued items folded in). */
	get state(): T {
		this.settle();
		return this.current;
	}

	get listenerCount(): number {
		return this.listeners.size;
	}

	/** Items waiting for the next frame. */
	get queuedCount(): number {
		return this.queued.length;
	}

	update(change: (state: T) => T, urgent = false): void {
		this.settle();
		this.current = change(this.current);
		if (urgent) this.flush();
		else this.schedule();
	}

	/** Hold an item for the next frame: the cheap path, for every engine event. */
	queue(item: E, urgent = false, at = Date.now()): void {
		this.queued.push(item);
		this.queuedAt.push(at);
		if (urgent) this.flush();
		else this.schedule();
	}

	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.settle();
		if (this.published === this.current) return;
		this.published = this.current;
		for (const listener of [...this.listeners]) listener();
	}

	dispose(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.settle();
		this.listeners.clear();
	}

	private schedule(): void {
		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.flush();
		}, this.intervalMs);
		this.timer.unref?.();
	}

	private settle(): void {
		if (this.queued.length === 0) return;
		const items = this.queued;
		const at = this.queuedAt;
		this.queued = [];
		this.queuedAt = [];
		if (this.fold) this.current = this.fold(this.current, items, at);
	}
}
