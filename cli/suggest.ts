/**
 * "Did you mean": the closest of the known words to a misspelt one, if it is close.
 *   closest('biuld', ['build', 'run'])   // 'build'
 *   closest('zzz', ['build', 'run'])     // undefined
 */

/** Edit distance (insertions, deletions, substitutions; a swap of neighbours counts one). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known word nearest to `word`, when it is within a third of its length (at least 1, at most 3 edits). */
export function closest(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d <= bestD && (best === undefined || d < bestD)) { best = k; bestD = d; }
  }
  return best;
}
