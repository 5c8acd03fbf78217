/**
 * What the keys of the Backup window change in the settings: each saves at once (the same file
 * `packrat config` writes) and tells the session, which reschedules and checks the job again.
 */
import {resolve} from 'node:path';
import {oneLine} from '../backup/errors.js';
import {when} from '../format.js';
import type {Session} from './session.js';

const later = (session: Session) => (session.running ? ' (from the next run)' : '');

export function toggleSchedule(session: Session): void {
	const arm = !session.scheduler.armed;
	if (arm) session.scheduler.arm();
	else session.scheduler.disarm();
	session.settingsStore.set('armed', arm);
	const next = session.scheduler.next();
	session.notify(arm ? `schedule started${next ? `: next backup ${when(next)}` : ''}` : 'schedule stopped: no backup runs until s starts it again', arm ? 'ok' : 'warn');
	void session.settingsChanged();
}

export function toggleMode(session: Session): void {
	const mode = session.settingsStore.all().mode === 'full' ? 'incremental' : 'full';
	session.settingsStore.set('mode', mode);
	session.notify(`mode: ${mode === 'full' ? 'Full' : 'Incremental'}${later(session)}`, 'ok');
	void session.settingsChanged();
}

export function toggleLatest(session: Session): void {
	const latestOnly = !session.settingsStore.all().latestOnly;
	session.settingsStore.set('latestOnly', latestOnly);
	session.notify(`Latest only: ${latestOnly ? 'on' : 'off'}${later(session)}`, 'ok');
	void session.settingsChanged();
}

/** Save a Start-at time; returns an error line, or undefined when saved. */
export function setStartAt(session: Session, text: string): string | undefined {
	try {
		session.settingsStore.setText('startAt', text);
	} catch (error) {
		return oneLine(error);
	}

	session.notify(`Start at ${text}`, 'ok');
	void session.settingsChanged();
	return undefined;
}

export async function setFolder(session: Session, folder: string): Promise<void> {
	session.settingsStore.set('backupFolder', resolve(folder));
	session.notify(`backup folder: ${resolve(folder)}${later(session)}`, 'ok');
	await session.settingsChanged({folderChanged: true});
}
