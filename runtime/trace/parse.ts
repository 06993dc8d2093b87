/**
 * Reading a trace file (ndjson job events, as `weave run --trace` writes them) back into
 * events, with every problem pointing at its line.
 *   const events = parseTrace(readFileSync(file, 'utf8'), file);  // throws TraceError "file:12: …"
 */
import { TRACE_VERSION, EVENT_KINDS, type JobEvent, type JobEventKind } from './events.js';
import { TraceError } from './errors.js';
import { ndjsonLines } from '../util/index.js';

/** Fields each kind needs to be drawn, by type. Others may be absent (older writers). */
const NEEDS: Partial<Record<JobEventKind, Record<string, 'string' | 'number' | 'string[]'>>> = {
  'job-start': { entry: 'string', hubs: 'string[]' },
  'fragment-start': { hub: 'string', fragment: 'number' },
  'fragment-end': { hub: 'string', fragment: 'number', ms: 'number' },
  checkpoint: { hub: 'string', bytes: 'number' },
  migration: { from: 'string', to: 'string', bytes: 'number' },
  retry: { hub: 'string' },
  recovery: { hub: 'string' },
};

/**
 * The events of a trace, in file order. Blank lines are skipped, and so are kinds this
 * version does not know (new kinds do not bump the version). A last line cut short (no
 * newline, not JSON: the writer was killed mid-line) is dropped.
 * Throws TraceError `file:line: …` for a line that is not a JSON object, has no or another
 * version, or lacks a field its kind needs.
 */
export function parseTrace(text: string, file = 'trace'): JobEvent[] {
  const out: JobEvent[] = [];
  for (const { line, value: v, error, last } of ndjsonLines(text)) {
    if (error) {
      if (last) break;
      throw new TraceError(`not JSON (${error.message})`, file, line);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new TraceError('not a JSON object', file, line);
    const e = v as Record<string, unknown>;
    if (typeof e.v !== 'number') throw new TraceError("no trace version 'v'; each line must be a job event as 'weave run --trace' writes", file, line);
    if (e.v !== TRACE_VERSION) throw new TraceError(`unknown trace version ${e.v} (this weave reads version ${TRACE_VERSION})`, file, line);
    if (typeof e.kind !== 'string') throw new TraceError("no 'kind'", file, line);
    if (typeof e.t !== 'number' || !Number.isFinite(e.t)) throw new TraceError(`'t' must be a number (epoch ms), got ${JSON.stringify(e.t)}`, file, line);
    if (typeof e.job !== 'string') throw new TraceError("'job' must be a string", file, line);
    if (!EVENT_KINDS.includes(e.kind as JobEventKind)) continue;
    for (const [field, type] of Object.entries(NEEDS[e.kind as JobEventKind] ?? {})) {
      const x = e[field];
      const ok = type === 'string[]' ? Array.isArray(x) && x.every((s) => typeof s === 'string') : type === 'number' ? typeof x === 'number' && Number.isFinite(x) && x >= (field === 'fragment' ? -1 : 0) : typeof x === type;
      if (!ok) throw new TraceError(`a '${e.kind}' event needs '${field}' (${type === 'number' ? 'a non-negative number' : type === 'string' ? 'a string' : 'a list of strings'}), got ${JSON.stringify(x)}`, file, line);
    }
    out.push(e as unknown as JobEvent);
  }
  return out;
}
