/**
 * A small external store for `useSyncExternalStore`: engine events change the state at once,
 * but listeners hear of it at most once per interval (urgent changes at once), so a run that
 * emits thousands of events a second costs the window a handful of renders.
 */
export class BatchedStore<T> {
	private current: T;
	private published: T;
	private readonly listeners = new Set<() => void>();
	private timer: NodeJS.Timeout | undefined;

	constructor(initial: T, private readonly intervalMs = 100) {
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

	/** The newest state, told or not. */
	get state(): T {
		return this.current;
	}

	get listenerCount(): number {
		return this.listeners.size;
	}

	update(change: (state: T) => T, urgent = false): void {
		this.current = change(this.current);
		if (urgent) {
			this.flush();
			return;
		}

		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.flush();
		}, this.intervalMs);
		this.timer.unref?.();
	}

	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.published === this.current) return;
		this.published = this.current;
		for (const listener of [...this.listeners]) listener();
	}

	dispose(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.listeners.clear();
	}
}
