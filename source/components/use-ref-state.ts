/**
 * State whose newest value a key handler can read at once: several keys can arrive in one chunk
 * (a paste, a fast typist, tmux send-keys) and each must see what the one before it changed.
 */
import {useCallback, useRef, useState} from 'react';

export function useRefState<T>(initial: T): [T, (next: T | ((previous: T) => T)) => void, {readonly current: T}] {
	const [value, setValue] = useState(initial);
	const ref = useRef(initial);
	const set = useCallback((next: T | ((previous: T) => T)) => {
		ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
		setValue(ref.current);
	}, []);
	return [value, set, ref];
}
