/**
 * The terminal's input, one key at a time. Ink hands a whole chunk to its handlers as one input,
 * so keys that arrive together (a paste, a fast typist over ssh, `tmux send-keys n q`) would be
 * read as one unknown key, or a Tab typed into a text field. This stands between the terminal
 * and Ink and gives it each key alone, letting React draw in between.
 */
import {EventEmitter} from 'node:events';

const escape = '\u001B';
/** Between keys that arrived together: far below what a person notices, above what React needs to settle. */
export const keyGapMs = 5;

/** A chunk of terminal input cut into keys: escape sequences whole, every other character alone. */
export function splitKeys(text: string): string[] {
	const keys: string[] = [];
	let index = 0;
	while (index < text.length) {
		if (text[index] === escape && index + 1 < text.length) {
			const next = text[index + 1];
			let end = index + 2;
			if (next === '[') {
				if (text[end] === '[') end++;
				while (end < text.length && !/[\u0040-\u007E]/.test(text[end]!)) end++;
				end++;
			} else if (next === 'O') {
				end++;
			}

			keys.push(text.slice(index, Math.min(end, text.length)));
			index = end;
			continue;
		}

		const size = (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
		keys.push(text.slice(index, index + size));
		index += size;
	}

	return keys;
}

type Source = Pick<NodeJS.ReadStream, 'isTTY' | 'setEncoding' | 'ref' | 'unref' | 'on' | 'off' | 'pause' | 'resume'> & {setRawMode?: (mode: boolean) => unknown};

export class KeyStdin extends EventEmitter {
	readonly isTTY: boolean;
	private readonly queue: string[] = [];
	private current: string | null = null;
	private draining = false;

	constructor(private readonly source: Source) {
		super();
		this.isTTY = Boolean(source.isTTY);
	}

	setEncoding(encoding: BufferEncoding): this {
		this.source.setEncoding(encoding);
		return this;
	}

	setRawMode(mode: boolean): this {
		this.source.setRawMode?.(mode);
		if (mode) {
			this.source.on('data', this.received);
			this.source.resume();
		} else {
			this.source.off('data', this.received);
			this.source.pause();
		}

		return this;
	}

	ref(): this {
		this.source.ref();
		return this;
	}

	unref(): this {
		this.source.unref();
		return this;
	}

	read(): string | null {
		const key = this.current;
		this.current = null;
		return key;
	}

	private readonly received = (data: string | Buffer) => {
		this.queue.push(...splitKeys(String(data)));
		this.drain();
	};

	/**
	 * One key per 'readable', the next a few milliseconds later: React draws, and the handlers
	 * of what it drew (the next field's input) are in place, before the next key; and a lone
	 * Escape is taken for Escape, not for the start of the key after it.
	 */
	private drain(): void {
		if (this.draining) return;
		const key = this.queue.shift();
		if (key === undefined) return;
		this.current = key;
		this.emit('readable');
		if (this.queue.length === 0) return;
		this.draining = true;
		const timer = setTimeout(() => {
			this.draining = false;
			this.drain();
		}, keyGapMs);
		timer.unref();
	}
}
