import {describe, expect, it} from 'vitest';
import {decide, initialConnections, type AdaptState} from '../../source/backup/adapt.js';

const fresh: AdaptState = {best: Number.POSITIVE_INFINITY, wait: 0};
const window = (connections: number, firstByteMs: number[], bytes: number, ceiling = 16) => ({connections, ceiling, firstByteMs, bytes});

describe('connections: auto, the rule of one window', () => {
	it('starts at 4; a number set is the number', () => {
		expect(initialConnections('auto')).toBe(4);
		expect(initialConnections(7)).toBe(7);
	});

	it('adds half as many again while the first bytes come as fast as ever and the bytes grow, up to 16', () => {
		let state = fresh;
		const counts = [4];
		for (let step = 0; step < 6; step++) {
			const connections = counts.at(-1)!;
			const decision = decide(state, window(connections, [62, 60, 61, 63], connections * 100_000));
			state = decision.state;
			counts.push(connections + decision.change);
		}

		expect(counts).toEqual([4, 6, 9, 14, 16, 16, 16]);
	});

	it('never past the ceiling a 421 set', () => {
		const {change} = decide(fresh, window(5, [60, 60, 60], 1000, 6));
		expect(change).toBe(1);
		expect(decide(fresh, window(6, [60, 60, 60], 1000, 6)).change).toBe(0);
	});

	it('an addition that brought no more bytes is undone; the next try waits five windows, then ten after another that did not pay', () => {
		let {state} = decide(fresh, window(4, [60, 60, 60], 400_000));
		expect(state.before).toBe(400_000);
		const flat = decide(state, window(6, [60, 60, 60], 405_000));
		expect(flat).toMatchObject({change: -2, undone: true});
		state = flat.state;
		const changes: number[] = [];
		for (let step = 0; step < 5; step++) {
			const next = decide(state, window(4, [60, 60, 60], 405_000));
			changes.push(next.change);
			state = next.state;
		}

		expect(changes).toEqual([0, 0, 0, 0, 2]);
		expect(decide(state, window(6, [60, 60, 60], 410_000)).change).toBe(-2);
		state = decide(state, window(6, [60, 60, 60], 410_000)).state;
		expect(state.wait).toBe(10);
	});

	it('an addition that paid is kept, and the one after it comes at once', () => {
		const {state} = decide(fresh, window(4, [60, 60, 60], 400_000));
		const paid = decide(state, window(6, [60, 60, 60], 560_000));
		expect(paid.change).toBe(3);
		expect(paid.undone).toBeUndefined();
	});

	it('undoes only the connections that joined (an addition cut short by the ceiling or a refusal)', () => {
		const {state} = decide(fresh, window(4, [60, 60, 60], 400_000));
		expect(decide(state, window(5, [60, 60, 60], 400_000)).change).toBe(-1);
		expect(decide(state, window(4, [60, 60, 60], 400_000)).change).toBe(0);
	});

	it("drops a quarter when the first bytes take twice as long as the best (the server's replies slowed), never below one", () => {
		const {state} = decide(fresh, window(16, [60, 60, 60], 1000));
		const slowed = decide(state, window(16, [200, 210, 190], 1000));
		expect(slowed.change).toBe(-4);
		expect(slowed.state.wait).toBe(5);
		expect(decide(state, window(1, [500, 500, 500], 1000)).change).toBe(0);
	});

	it('holds on a window with fewer than three first bytes (a few large files), and on one a little slower than the best', () => {
		expect(decide(fresh, window(4, [60, 60], 10_000_000)).change).toBe(0);
		const {state} = decide(fresh, window(4, [60, 60, 60], 1000));
		expect(decide({...state, before: undefined}, window(6, [110, 110, 110], 2000)).change).toBe(0);
	});
});
