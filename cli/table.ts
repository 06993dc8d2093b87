/**
 * A plain-text table on stdout: a header row and rows of cells, columns padded to the
 * widest cell, two spaces apart (what `weave hubs` and `weave jobs` print). On a terminal
 * the header is bold and cells a `tone` names are coloured; never when NO_COLOR is set or
 * the output is piped (https://no-color.org).
 *   printTable(['HUB', 'STATE'], [['a', 'ready']], { tone: (c) => (c === 'ready' ? 'good' : undefined) });
 */
export type Tone = 'good' | 'warn' | 'bad' | 'dim';

const CODES: Record<Tone | 'bold', string> = { good: '32', warn: '33', bad: '31', dim: '2', bold: '1' };

/** True when stdout is a terminal that should get colour. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !!stream.isTTY && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

export function paint(text: string, tone: Tone | 'bold', on = useColor()): string {
  return on ? `\x1b[${CODES[tone]}m${text}\x1b[0m` : text;
}

export function printTable(head: string[], rows: string[][], opts: { tone?: (cell: string, column: string) => Tone | undefined } = {}): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const color = useColor();
  // Padding is computed on the plain text, so colour codes never shift a column.
  const line = (r: string[], header: boolean) => r.map((c, i) => {
    const padded = i === r.length - 1 ? c : c.padEnd(widths[i]);
    if (header) return paint(padded, 'bold', color);
    const tone = opts.tone?.(c, head[i]);
    return tone ? paint(c, tone, color) + padded.slice(c.length) : padded;
  }).join('  ').trimEnd();
  process.stdout.write(line(head, true) + '\n');
  for (const r of rows) process.stdout.write(line(r, false) + '\n');
}
