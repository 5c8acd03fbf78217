/** The window's snapshot of the session, read with useSyncExternalStore (batched by the store). */
import {useSyncExternalStore} from 'react';
import type {Session} from '../model/session.js';
import type {SessionState} from '../model/session-state.js';

export function useSession(session: Session): SessionState {
	return useSyncExternalStore(session.store.subscribe, session.store.getSnapshot);
}
