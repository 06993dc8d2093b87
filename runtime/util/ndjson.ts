/**
 * The lines of an ndjson file (decision logs, job traces), parsed one by one, numbered
 * from 1, blank ones skipped, so each reader checks its own schema and names the line.
 *   for (const { line, value, error, last } of ndjsonLines(text)) { … }
 */
export interface NdjsonLine {
  /** 1-based line number in the file. */
  line: number;
  /** The parsed value, when the line is JSON. */
  value?: unknown;
  /** Why it is not, otherwise. */
  error?: Error;
  /** It is the file's last line (a writer killed mid-line leaves it cut short). */
  last: boolean;
}

export function* ndjsonLines(text: string): Generator<NdjsonLine> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    const last = i === lines.length - 1;
    try {
      yield { line: i + 1, value: JSON.parse(raw), last };
    } catch (e) {
      yield { line: i + 1, error: e as Error, last };
    }
  }
}
