/**
 * Tests that need a system tool (vsftpd, tmux, a tmpfs to mount). On a developer's machine without
 * it such a test is skipped, with a one-line reason; under CI (`CI` set, as .ci/run does, which
 * installs every tool) a missing tool fails the test instead, so a failed install never turns
 * into a quiet skip and a green run.
 */
export const underCi = !['', '0', 'false'].includes((process.env['CI'] ?? '').toLowerCase());

/** Whether to skip for want of a tool (`missing` is the reason, or undefined when it is there): never under CI. */
export function skipWithout(missing: string | undefined, what: string): boolean {
	if (missing === undefined || underCi) return false;
	console.log(`skipping ${what}: ${missing}`);
	return true;
}

/** Throws the reason a tool is missing: the first step of a test that is run under CI whether the tool is there or not. */
export function needTool(missing: string | undefined): void {
	if (missing !== undefined) throw new Error(`${missing} (CI must have it: .ci/run installs it)`);
}
