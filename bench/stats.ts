/**
 * The two summaries the benches print: the median of a side's rounds (the mean of the two
 * middle ones for an even count) and the geometric mean of ratios.
 *   median([3, 1, 2]) === 2;  geomean([1.1, 1.2])
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function geomean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}
