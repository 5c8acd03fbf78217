/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so every data set is the same on every
 * machine. Not for anything secret.
 */
export type Random = {
	/** A float in [0, 1). */
	next(): number;
	/** A whole number in [min, max]. */
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
	/** True with probability `p`. */
	chance(p: number): boolean;
	/** A raw 32-bit value. */
	uint32(): number;
};

function splitmix32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x9e3779b9) >>> 0;
		let z = state;
		z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
		z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
		return (z ^ (z >>> 16)) >>> 0;
	};
}

export function createRandom(seed: number): Random {
	const mix = splitmix32(seed);
	let a = mix();
	let b = mix();
	let c = mix();
	let d = mix();
	const uint32 = () => {
		const t = (((a + b) >>> 0) + d) >>> 0;
		d = (d + 1) >>> 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) >>> 0;
		c = ((c << 21) | (c >>> 11)) >>> 0;
		c = (c + t) >>> 0;
		return t;
	};

	for (let i = 0; i < 12; i++) uint32();
	const next = () => uint32() / 4_294_967_296;
	return {
		next,
		uint32,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick: items => items[Math.floor(next() * items.length)]!,
		chance: p => next() < p,
	};
}

/** A child generator whose stream depends only on the parent seed and a label. */
export function derive(seed: number, label: string): Random {
	let hash = seed >>> 0;
	for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
	return createRandom(hash);
}
