/**
 * A plain-text table on stdout: a header row and rows of cells, columns padded to the
 * widest cell, two spaces apart (what `weave hubs` and `weave jobs` print).
 *   printTable(['HUB', 'STATE'], [['a', 'ready']]);
 */
export function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd() + '\n');
}
