/** The most timestamps (ms) that fall in any 60-s window: for checking a per-minute budget. */
export function maxInAnyMinute(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let max = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= 60_000) start++;
		max = Math.max(max, end - start + 1);
	}
	return max;
}
