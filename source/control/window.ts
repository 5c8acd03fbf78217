/**
 * The running window answers `packrat now`, `packrat cancel` and `packrat status` from other
 * shells through its control socket, as a tray icon talks to a desktop backup client.
 */
import {startControlServer, type ControlServer} from './socket.js';
import {buildStatus} from './status.js';
import type {Session} from '../model/session.js';

export async function startWindowControl(profile: string | undefined, session: Session): Promise<ControlServer> {
	return startControlServer(profile, {
		async now() {
			if (session.running) return {ok: false, message: 'a backup is already running in the window'};
			if (!(await session.check())) return {ok: false, message: `the job is misconfigured: ${session.state.blocked?.reason ?? 'see the window'}`};
			void session.start('manual');
			return {ok: true, message: 'a backup started in the Backup window'};
		},
		async cancel() {
			const refused = session.cancelRefused();
			if (refused) return {ok: false, message: refused};
			if (!session.running) return {ok: false, message: 'no backup is running'};
			session.cancel();
			return {ok: true, message: 'the backup is being cancelled; the next scheduled cycle runs as usual'};
		},
		async status() {
			const {state} = session;
			const view = session.scheduler.getSnapshot();
			return buildStatus({
				profile: profile ?? 'config',
				source: 'window',
				progress: state.progress,
				armed: view.armed,
				startAt: state.settings.startAt,
				repeat: state.settings.repeat,
				next: view.next,
				note: view.note,
				history: [state.lastSuccess, state.lastRun].filter(run => run !== undefined),
				backupFolder: state.settings.backupFolder,
			});
		},
	});
}
