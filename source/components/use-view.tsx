/**
 * How views read the window's state: each picks the part it draws with a selector, and is drawn
 * again only when that part changes (`useSyncExternalStore`, with an equality check on what the
 * selector returns). The state comes from the session's store, given once at the top of the
 * window (`ViewSource`); a view drawn from one given state (a test, a preview) reads that instead.
 */
import React, {createContext, useContext, useMemo, useRef, useSyncExternalStore} from 'react';
import type {SessionState} from '../model/session-state.js';

/** What views read: a snapshot that changes only when listeners are told (BatchedStore). */
export type Source = {getSnapshot(): SessionState; subscribe(listener: () => void): () => void};

const SourceContext = createContext<Source | undefined>(undefined);

export function ViewSource({source, children}: {source: Source; children: React.ReactNode}) {
	return <SourceContext.Provider value={source}>{children}</SourceContext.Provider>;
}

const never = () => () => undefined;

/** One state that never changes, as a source. */
export function fixedSource(state: SessionState): Source {
	return {getSnapshot: () => state, subscribe: never};
}

/** Equal when both hold the same values under the same keys (one level deep). */
export function shallowEqual<T>(a: T, b: T): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	return keys.every(key => Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * The part of the state a view draws. `select` must read the state only (what depends on the
 * view's props is worked out from its result); the result is kept while `equal` says it has not
 * changed, so it can be a dependency of useMemo and a prop of a memo component.
 */
export function useView<T>(select: (state: SessionState) => T, given?: SessionState, equal: (a: T, b: T) => boolean = shallowEqual): T {
	const shared = useContext(SourceContext);
	const source = useMemo(() => (given ? fixedSource(given) : shared), [given, shared]);
	if (!source) throw new Error('useView needs a ViewSource above it, or a state');
	const last = useRef<{state: SessionState; value: T} | undefined>(undefined);
	const read = () => {
		const state = source.getSnapshot();
		const previous = last.current;
		if (previous?.state === state) return previous.value;
		const value = select(state);
		last.current = {state, value: previous && equal(previous.value, value) ? previous.value : value};
		return last.current.value;
	};

	return useSyncExternalStore(source.subscribe, read);
}
