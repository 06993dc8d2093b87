/**
 * Measured work per job template: what runs of the same code with the same arguments cost,
 * in ms on a speed-1 hub (elapsed ms times the speed of the hub that ran it). Hubs use it
 * to advertise the work queued and running there. The static estimate of weave build is
 * up to 50 times off for loops whose trip counts come from arguments; a few measured runs
 * are not.
 *   const h = new WorkHistory();  h.observe(workKeys(b, 'run', [96, 12]), 180);
 *   h.estimate(workKeys(b, 'run', [96, 12]))   // 180; other arguments: the entry's mean
 */

/** Keys from the most to the least specific: bundle+entry+arguments, then bundle+entry. */
export function workKeys(bundle: string, entry: string, args?: ReadonlyArray<number | bigint>): string[] {
  const base = `${bundle.slice(0, 16)}:${entry}`;
  return args ? [`${base}:${args.map(String).join(',')}`, base] : [base];
}

/** Weight of the newest run in the running mean: recent enough to follow a change, smooth enough for noise. */
const ALPHA = 0.3;
/** Templates remembered; the least recently seen go first. */
const MAX_KEYS = 4096;

export class WorkHistory {
  private readonly mean = new Map<string, number>();

  /** A finished run of these keys cost `workMs` (speed-1 ms). */
  observe(keys: readonly string[], workMs: number): void {
    if (!(workMs >= 0) || !Number.isFinite(workMs)) return;
    for (const k of keys) {
      const prev = this.mean.get(k);
      this.mean.delete(k); // re-inserted last: the map's order is recency
      this.mean.set(k, prev === undefined ? workMs : prev + ALPHA * (workMs - prev));
      if (this.mean.size > MAX_KEYS) this.mean.delete(this.mean.keys().next().value!);
    }
  }

  /** The mean of the most specific key seen, or undefined when none was. */
  estimate(keys: readonly string[]): number | undefined {
    for (const k of keys) {
      const m = this.mean.get(k);
      if (m !== undefined) return m;
    }
    return undefined;
  }
}
