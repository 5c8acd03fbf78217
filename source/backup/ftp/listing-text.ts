/**
 * A folder's listing as it comes over a data connection, held within the listing limits: its
 * bytes, its lines (entries) and the length of one line, counted as the chunks come, so a
 * listing that passes one is given up at once, with the folder and the limit named.
 */
import {LimitError} from './faults.js';
import {limits, sizeText} from './limits.js';

export class ListingText {
	private parts: Buffer[] = [];
	private bytes = 0;
	private lines = 0;
	/** Where the line not yet ended began, counted from the listing's first byte. */
	private lineStart = 0;

	constructor(private readonly folder: string) {}

	/** Take a chunk (copied: the read buffer is reused); throws a LimitError past a limit. */
	readonly take = (chunk: Buffer): void => {
		for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) {
			if (this.bytes + at - this.lineStart > limits.listingLine) throw this.passed(`has a line longer than the limit of ${sizeText(limits.listingLine)}`);
			this.lineStart = this.bytes + at + 1;
			this.lines++;
		}

		this.bytes += chunk.length;
		if (this.bytes - this.lineStart > limits.listingLine) throw this.passed(`has a line longer than the limit of ${sizeText(limits.listingLine)}`);
		if (this.lines > limits.listingEntries) throw this.passed(`has more entries than the limit of ${limits.listingEntries.toLocaleString('en')}`);
		if (this.bytes > limits.listingBytes) throw this.passed(`is longer than the limit of ${sizeText(limits.listingBytes)}`);
		this.parts.push(Buffer.from(chunk));
	};

	/** Start again (the same folder asked again another way). */
	reset(): void {
		this.parts = [];
		this.bytes = 0;
		this.lines = 0;
		this.lineStart = 0;
	}

	/** The whole listing, decoded at once, so a character cut between two reads is not lost. */
	text(): string {
		return Buffer.concat(this.parts).toString('utf8');
	}

	private passed(what: string): LimitError {
		return new LimitError(`the listing of ${this.folder || 'the current folder'} ${what}; it was not read further`);
	}
}
