/**
 * A terminal without a terminal, for the window's tests and bench/frames.ts: Ink renders into
 * FakeStdout with explicit columns and rows (ink-testing-library's has no rows), and reads keys
 * from FakeStdin.
 */
import {EventEmitter} from 'node:events';

export class FakeStdout extends EventEmitter {
	readonly frames: string[] = [];
	isTTY = true;
	/** `keep`: how many of the last frames to hold (tests read them; a long run needs few). */
	constructor(public columns: number, public rows: number, private readonly keep = Number.POSITIVE_INFINITY) {
		super();
	}

	write = (frame: string): boolean => {
		this.frames.push(frame);
		if (this.frames.length > this.keep) this.frames.shift();
		return true;
	};

	lastFrame = (): string => this.frames.at(-1) ?? '';

	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

export class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string): void => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};

	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}
