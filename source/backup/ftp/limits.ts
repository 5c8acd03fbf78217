/**
 * The bounds on what a server may send (SPEC: What a broken or hostile server can never do).
 * Each is far beyond what a real server sends, and each is listed in the README; time limits are
 * multiples of `timeoutSeconds`, so a slow link is given more time with that one setting.
 */

export const limits = {
	/** One line of a reply on the control connection. */
	replyLine: 64 * 1024,
	/** A multi-line reply (FEAT, HELP, a refusal): characters and lines. */
	replyBytes: 1024 * 1024,
	replyLines: 10_000,
	/** One folder's listing, over a data connection or by STAT: bytes, entries (lines), and one line. */
	listingBytes: 256 * 1024 * 1024,
	listingEntries: 1_000_000,
	listingLine: 64 * 1024,
	/** A reply must be whole within this many idle timeouts of being asked for (STAT listings included). */
	replyDeadline: 4,
	/** A listing's data connection must be read to its end within this many idle timeouts. */
	listingDeadline: 10,
	/** A transfer slower than this, over a window of one idle timeout, is given up and retried. */
	lowSpeedBytesPerSecond: 1024,
	/** A field of a log line (a reply, an unparsed line, a reason) and a path in it. */
	logField: 1024,
	logPath: 4096,
} as const;

/** What a reply may be: its size, in characters and lines, and the time to have it whole. */
export type ReplyLimit = {bytes: number; lines: number; deadline: number; listing: boolean};

export const replyLimit: ReplyLimit = {bytes: limits.replyBytes, lines: limits.replyLines, deadline: limits.replyDeadline, listing: false};
/** A listing sent on the control connection (STAT): a folder's entries, framed by two lines. */
export const listingReply: ReplyLimit = {bytes: limits.listingBytes, lines: limits.listingEntries + 2, deadline: limits.listingDeadline, listing: true};

/** `65536` → `64 KiB`, `1000` → `1,000 bytes`: a limit as the README names it. */
export function sizeText(bytes: number): string {
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
	return `${bytes.toLocaleString('en')} bytes`;
}

/** The end `clip` gives a cut text, naming the whole length. */
const cutMark = /… \(([\d,]+) characters\)$/;

/**
 * `text` cut to `limit` characters, with an ellipsis and its whole length when cut (never in
 * the middle of a surrogate pair), so one hostile reply cannot fill a log or a screen. A text
 * cut before (a refusal, cut where it was read) keeps the whole length it named.
 */
export function clip(text: string, limit: number = limits.logField): string {
	if (text.length <= limit) return text;
	const end = /[\uD800-\uDBFF]/.test(text[limit - 1]!) ? limit - 1 : limit;
	return `${text.slice(0, end)}… (${cutMark.exec(text)?.[1] ?? text.length.toLocaleString('en')} characters)`;
}
