/**
 * The window's notice: shown at once, and gone after a while (6 s unless told) unless another
 * notice has replaced it first.
 */
import type {Notice} from './session-state.js';

export class NoticeTimer {
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly set: (notice: Notice | undefined) => void, private readonly ms = 6000) {}

	/** Show `notice` now, and clear it after the time unless another comes. */
	show(notice: Notice): void {
		this.dispose();
		this.set(notice);
		this.timer = setTimeout(() => this.set(undefined), this.ms);
		this.timer.unref?.();
	}

	/** Forget the pending clear (the window is closing). */
	dispose(): void {
		if (this.timer) clearTimeout(this.timer);
	}
}
