/**
 * Measurement logs: one JSON object per line for every pace sample, move and dataset
 * read a hub measured, so that a learned weaver can be trained offline from what a mesh
 * (or the simulator) recorded, as it would have learned online.
 *   appendFileSync(file, formatMeasurement({ kind: 'pace', ...sample }));
 *   const recs = parseMeasurementLog(text, file);   // throws MeasurementLogError with the line
 *   trainWeaver(weaver, recs);  weaver.fit(2);
 */
import type { MoveSample, PaceLearner, PaceSample, ReadSample } from './types.js';
import { ndjsonLines } from '../util/index.js';

export type Measurement = ({ kind: 'pace' } & PaceSample) | ({ kind: 'move' } & MoveSample) | ({ kind: 'read' } & ReadSample);

export class MeasurementLogError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MeasurementLogError';
  }
}

export function formatMeasurement(m: Measurement): string {
  return JSON.stringify(m) + '\n';
}

/** Every measurement of an ndjson log; blank lines are skipped. */
export function parseMeasurementLog(text: string, file = 'log'): Measurement[] {
  const out: Measurement[] = [];
  for (const { line, value, error } of ndjsonLines(text)) {
    if (error) throw new MeasurementLogError(`${file}:${line}: not JSON (${error.message})`, { cause: error });
    const bad = check(value);
    if (bad) throw new MeasurementLogError(`${file}:${line}: ${bad}; each line must be a measurement ({"kind":"pace"|"move"|"read", …}) as the simulator or a hub writes`);
    out.push(value as Measurement);
  }
  return out;
}

/** Feeds `records` to `learner` in order, as hubs would have: returns how many it took. */
export function trainWeaver(learner: PaceLearner, records: readonly Measurement[]): number {
  let n = 0;
  for (const r of records) {
    if (r.kind === 'pace') learner.observePace(r);
    else if (r.kind === 'move') learner.observeMove?.(r);
    else learner.observeRead?.(r);
    n++;
  }
  return n;
}

const isHub = (h: unknown) => !!h && typeof h === 'object' && typeof (h as { id?: unknown }).id === 'string' && typeof (h as { speed?: unknown }).speed === 'number';

function check(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return 'not an object';
  const r = v as Record<string, unknown>;
  if (typeof r.t !== 'number') return "'t' must be a number";
  switch (r.kind) {
    case 'pace': {
      const p = r.part as Record<string, unknown> | undefined;
      if (!p || typeof p.template !== 'string' || typeof p.estimate !== 'number' || !p.calls) return "'part' is not a part view";
      if (!isHub(r.hub) || typeof r.units !== 'number' || typeof r.ms !== 'number') return "a pace measurement needs 'hub', 'units' and 'ms'";
      return undefined;
    }
    case 'move':
      return isHub(r.to) && typeof r.ms === 'number' && typeof r.stateBytes === 'number' ? undefined : "a move needs 'to', 'ms' and 'stateBytes'";
    case 'read':
      return isHub(r.hub) && typeof r.dataset === 'string' && typeof r.bytes === 'number' && typeof r.ms === 'number' ? undefined : "a read needs 'hub', 'dataset', 'bytes' and 'ms'";
    default:
      return "'kind' must be 'pace', 'move' or 'read'";
  }
}
