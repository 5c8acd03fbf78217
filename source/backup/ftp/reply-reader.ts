/**
 * Replies out of the control connection's text, as RFC 959 has them (a multi-line reply ends at
 * `ddd ` with its opening code), in linear time and within bounds: only each new chunk is searched
 * for a line end, a line not yet ended is held in pieces (joined once, when its end comes) and
 * never past 64 KiB, and a multi-line reply never past the limit of the reply awaited.
 */
import {limits, sizeText, type ReplyLimit} from './limits.js';

export class ReplyReader {
	/** A limit was passed: nothing more is read. */
	stopped = false;
	/** Sealed after the last reply read in plain text (AUTH TLS's): nothing more is read until `reset`. */
	private sealed = false;
	private partial: string[] = [];
	private partialLength = 0;
	private lines: string[] = [];
	private replyLength = 0;
	private opening = '';

	/**
	 * `reply`: each whole reply's text (lines joined by LF); `limit`: the bounds of the reply now
	 * awaited; `passed`: what was passed (`has a line longer than the limit of 64 KiB`).
	 */
	constructor(private readonly reply: (text: string) => void, private readonly limit: () => ReplyLimit, private readonly passed: (what: string) => void) {}

	read(chunk: string): void {
		let start = 0;
		if (this.sealed) return;
		for (let end = chunk.indexOf('\n'); end >= 0 && !this.stopped && !this.sealed; end = chunk.indexOf('\n', start)) {
			let line = chunk.slice(start, end > start && chunk.charCodeAt(end - 1) === 13 ? end - 1 : end);
			if (this.partialLength > 0) {
				line = this.partial.join('') + line;
				this.partial = [];
				this.partialLength = 0;
				if (end === start && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1); // The CR ended the last chunk.
			}

			start = end + 1;
			if (line.length > limits.replyLine) this.stop(`has a line longer than the limit of ${sizeText(limits.replyLine)}`);
			else this.line(line);
		}

		if (this.stopped || this.sealed || start === chunk.length) return;
		this.partialLength += chunk.length - start;
		if (this.partialLength > limits.replyLine + 1) this.stop(`has a line longer than the limit of ${sizeText(limits.replyLine)}`); // +1: its CR.
		else this.partial.push(start === 0 ? chunk : chunk.slice(start));
	}

	/** Read nothing more (the rest of this chunk included) until `reset`: what follows is not to be trusted as replies. */
	seal(): void {
		this.sealed = true;
	}

	/** Start afresh, as at a TLS upgrade: a line begun, a multi-line reply opened, are dropped. */
	reset(): void {
		this.sealed = false;
		this.partial = [];
		this.partialLength = 0;
		this.lines = [];
		this.replyLength = 0;
		this.opening = '';
	}

	private line(line: string): void {
		if (this.opening === '') {
			if (!/^\d{3}[ -]/.test(line)) return; // Not a reply: a stray line before one.
			if (line[3] !== '-') {
				this.reply(line);
				return;
			}

			this.opening = line.slice(0, 3);
			this.lines.push(line);
			this.replyLength = line.length;
			return;
		}

		this.lines.push(line);
		this.replyLength += line.length + 1;
		if (line.startsWith(this.opening) && line[3] === ' ') {
			const text = this.lines.join('\n');
			this.lines = [];
			this.opening = '';
			this.reply(text);
			return;
		}

		const limit = this.limit();
		if (this.lines.length >= limit.lines || this.replyLength > limit.bytes) {
			const count = limit.listing ? `${(limit.lines - 2).toLocaleString('en')} entries` : `${limit.lines.toLocaleString('en')} lines`;
			this.stop(`passed the limit of ${sizeText(limit.bytes)} or ${count}`);
		}
	}

	private stop(what: string): void {
		this.stopped = true;
		this.partial = [];
		this.lines = [];
		this.passed(what);
	}
}
