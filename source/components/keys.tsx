/**
 * One subscription to the keyboard for the whole window. Ink subscribes a handler in an effect,
 * which runs a moment after React draws; a key that comes in that moment (keys pasted or sent
 * together) would go to the screen that was just closed. Here each screen claims the keys while
 * it renders, and the innermost screen drawn last gets the next key, whatever the effects do.
 */
import React, {createContext, useCallback, useContext, useRef} from 'react';
import {useInput, type Key} from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

type Claim = {current: KeyHandler | undefined};

const KeysContext = createContext<Claim | undefined>(undefined);

type Props = {
	/** Sees every key first; returns true when it took the key (Ctrl+C from anywhere). */
	before: (input: string, key: Key) => boolean;
	/** Gets the keys no screen claimed. */
	fallback: KeyHandler;
	children: React.ReactNode;
};

export function KeyRouter({before, fallback, children}: Props) {
	const claim = useRef<KeyHandler | undefined>(undefined);
	const latest = useRef({before, fallback});
	latest.current = {before, fallback};
	// Claims are made afresh by the screens drawn in this render.
	claim.current = undefined;
	const route = useCallback((input: string, key: Key) => {
		if (latest.current.before(input, key)) return;
		(claim.current ?? latest.current.fallback)(input, key);
	}, []);
	useInput(route);
	return <KeysContext.Provider value={claim}>{children}</KeysContext.Provider>;
}

/** Take the keys while this is drawn; outside a router (a screen drawn alone) it listens by itself. */
export function useKeys(handler: KeyHandler, active = true): void {
	const claim = useContext(KeysContext);
	const mine = useRef<KeyHandler | undefined>(undefined);
	if (claim && active) claim.current = handler;
	else if (claim && claim.current === mine.current) claim.current = undefined;
	mine.current = active ? handler : undefined;
	useInput(handler, {isActive: !claim && active});
}
