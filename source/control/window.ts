/**
 * The running window answers `packrat now`, `packrat cancel` and `packrat status` from other
 * shells through its control socket, as a tray icon talks to a desktop backup client: now and
 * cancel are the window's own commands (model/commands.ts), with the same rules as its keys.
 */
import type {Session} from '../model/session.js';
import {startControlServer, type ControlServer} from './socket.js';
import {buildStatus} from './status.js';

export async function startWindowControl(profile: string | undefined, session: Session): Promise<ControlServer> {
	const ask = async (id: 'now' | 'cancel') => {
		const {ok, message} = await session.request(id);
		return {ok, message};
	};

	return startControlServer(profile, {
		now: async () => ask('now'),
		cancel: async () => ask('cancel'),
		async status() {
			const {state} = session;
			return buildStatus({
				profile: profile ?? 'config',
				source: 'window',
				progress: state.progress,
				armed: state.schedule.armed,
				startAt: state.settings.startAt,
				repeat: state.settings.repeat,
				next: state.schedule.next,
				note: state.schedule.note,
				history: [state.lastSuccess, state.lastRun].filter(run => run !== undefined),
				backupFolder: state.settings.backupFolder,
			});
		},
	});
}
