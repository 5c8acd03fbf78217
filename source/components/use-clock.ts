/**
 * The current time, ticking once a second only while something on screen counts down; the
 * timer is unref'd so that it never keeps the process alive.
 */
import {useEffect, useState} from 'react';

export function useClock(active: boolean, everyMs = 1000): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		if (!active) return undefined;
		setNow(Date.now());
		const timer = setInterval(() => setNow(Date.now()), everyMs);
		timer.unref?.();
		return () => clearInterval(timer);
	}, [active, everyMs]);
	return now;
}
