/**
 * `packrat now`, `packrat cancel`, `packrat status [--json]`: talk to the running Backup window of
 * a profile through its control socket, as a tray icon would. The window runs its own now and
 * cancel commands, with their rules (model/commands.ts), and answers with their outcome. `status`
 * falls back to the settings and the history of the backup folder when no window runs. Exit 0
 * done, 1 refused or no window; `status` exits 0 when the last successful backup is fresh, 1 when
 * it is stale, there is none, or the last run failed. What the window says is escaped on its way
 * out (commands/out.ts).
 */
import {PackratError} from '../backup/errors.js';
import {jsonLine} from '../backup/names.js';
import {NoWindowError, sendControl, type ControlRequest, type ControlResponse} from '../control/socket.js';
import {formatStatus, historyStatus, statusExit, type StatusJson} from '../control/status.js';
import {checkProfile, readSettings} from '../settings/read.js';
import {escapedOut, type Out} from './out.js';

export type ControlFlags = {profile?: string};
export type StatusFlags = ControlFlags & {json: boolean};

async function ask(flags: ControlFlags, request: ControlRequest, raw: Out): Promise<number> {
	const out = escapedOut(raw, false);
	const profile = checkProfile(flags.profile);
	let response: ControlResponse;
	try {
		response = await sendControl(profile, request);
	} catch (error) {
		if (error instanceof PackratError) {
			out.error(`packrat: ${error.message}`);
			return 1;
		}

		throw error;
	}

	if (!response.ok) {
		out.error(`packrat: ${response.message ?? `the window refused ${request}`}`);
		return 1;
	}

	if (response.message) out.line(response.message);
	return 0;
}

/** `packrat now`: a backup starts at once in the running window. */
export async function nowCommand(flags: ControlFlags, out: Out): Promise<number> {
	return ask(flags, 'now', out);
}

/** `packrat cancel`: the run going on in the window stops; the window refuses it where the policy forbids it. */
export async function cancelCommand(flags: ControlFlags, out: Out): Promise<number> {
	return ask(flags, 'cancel', out);
}

/** `packrat status [--json]`: from the running window, else from the history. */
export async function statusCommand(flags: StatusFlags, raw: Out, now = new Date()): Promise<number> {
	const out = escapedOut(raw, flags.json);
	const profile = checkProfile(flags.profile);
	let status: StatusJson | undefined;
	try {
		const response = await sendControl(profile, 'status');
		if (!response.ok || !response.status) {
			out.error(`packrat: ${response.message ?? 'the window gave no status'}`);
			return 1;
		}

		status = response.status;
	} catch (error) {
		if (!(error instanceof NoWindowError)) {
			if (error instanceof PackratError) {
				out.error(`packrat: ${error.message}`);
				return 1;
			}

			throw error;
		}
	}

	status ??= await historyStatus(profile, readSettings(flags.profile), now);
	if (flags.json) out.line(jsonLine(status));
	else for (const line of formatStatus(status)) out.line(line);
	return statusExit(status);
}
