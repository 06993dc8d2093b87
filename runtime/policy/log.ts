/**
 * Decision logs: one JSON object per line for every placement that completed, what the
 * policy saw and what it cost. Engines, hubs and the simulator write them; `weave policy
 * train` learns from them and `weave policy eval` scores predictions against them.
 *   appendFileSync(file, formatDecision(rec));
 *   const recs = parseDecisionLog(text, file);   // throws DecisionLogError with the line
 */
import type { FragmentView, HubView } from './types.js';
import { ndjsonLines } from '../util/index.js';

export interface DecisionRecord {
  /** When the placement ended (epoch ms, or simulated ms). */
  t: number;
  /** The policy that decided. */
  policy: string;
  fragment: FragmentView;
  /** The chosen hub, as the policy saw it. */
  hub: HubView;
  /** Candidates it chose among. */
  candidates: number;
  predictedMs?: number;
  /** What the placement cost, start to end. */
  ms: number;
}

export class DecisionLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecisionLogError';
  }
}

export function formatDecision(rec: DecisionRecord): string {
  return JSON.stringify(rec) + '\n';
}

/** Every record of an ndjson log; blank lines are skipped. */
export function parseDecisionLog(text: string, file = 'log'): DecisionRecord[] {
  const out: DecisionRecord[] = [];
  for (const { line, value: v, error } of ndjsonLines(text)) {
    if (error) throw new DecisionLogError(`${file}:${line}: not JSON (${error.message})`);
    const bad = check(v);
    if (bad) throw new DecisionLogError(`${file}:${line}: ${bad}; each line must be a decision record as 'weave run --decision-log' writes`);
    out.push(v as DecisionRecord);
  }
  return out;
}

function check(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return 'not an object';
  const r = v as Record<string, unknown>;
  if (typeof r.ms !== 'number' || !(r.ms >= 0)) return "'ms' must be a non-negative number";
  const f = r.fragment as Record<string, unknown> | undefined;
  if (!f || typeof f.template !== 'string' || typeof f.estimate !== 'number' || typeof f.stateBytes !== 'number' || !f.calls || !Array.isArray(f.datasets) || !Array.isArray(f.requires)) return "'fragment' is not a fragment view";
  const h = r.hub as Record<string, unknown> | undefined;
  if (!h || typeof h.id !== 'string' || typeof h.slots !== 'number' || typeof h.speed !== 'number' || !h.caps || !Array.isArray(h.datasets) || typeof h.rttMs !== 'number' || typeof h.mbps !== 'number') return "'hub' is not a hub view";
  return undefined;
}
