/** Medians and the small formatting helpers of the tables. */
export function median(values: number[]): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const seconds = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(2));
export const mib = (kib: number | undefined) => (kib === undefined ? '–' : (kib / 1024).toFixed(0));
export const ratio = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(2)}×`);

export function rotate<T>(items: readonly T[], by: number): T[] {
	const shift = items.length === 0 ? 0 : by % items.length;
	return [...items.slice(shift), ...items.slice(0, shift)];
}
