/**
 * Measured history that hubs share and merge without losing each other's measurements.
 *
 * Each key (what was measured: a template's pace on a hub kind, a hub's recent pace, a
 * move's cost) holds one cell per writer (the hub or engine that measured it): an
 * exponentially decayed weight, sum and sum of squares, as of the writer's last update.
 * Only a cell's own writer changes it, and every change moves its time forward, so merging
 * keeps, per (key, writer), the cell with the later time: a join (commutative,
 * associative, idempotent), so replicas that exchange snapshots in any order, any number
 * of times, agree; and two hubs that learned at once both count, where "last writer
 * wins" on one shared value keeps only one of them. A key's statistic sums its writers'
 * cells, each decayed to the time asked about.
 *
 * On a NATS mesh each hub would put `snapshot(itself)` under its own key of a JetStream
 * KV bucket and merge every other key it watches: no two writers ever write one entry.
 *   const h = new PaceHistory((key) => (key.startsWith('h|') ? 5_000 : 120_000));
 *   h.record('hub-a', 'h|hub-a', Math.log(0.5), Date.now());
 *   other.merge(h.snapshot('hub-a'));  other.stat('h|hub-a', Date.now())   // { n, mean, variance }
 */

/**
 * One writer's cell: decayed weight, weighted sum and sum of squares, as of `t`; `g`, the
 * history's generation when it last changed (what a delta since a generation holds).
 */
interface Cell { w: number; s: number; q: number; t: number; g: number }
/** A key's cells summed, as of `t`. */
type Sum = Omit<Cell, 'g'>;

/** What travels: per key, per writer, [w, s, q, t]. */
export interface HistorySnapshot {
  version: 1;
  cells: Record<string, Record<string, [number, number, number, number]>>;
}

export interface Stat {
  /** Decayed weight of the measurements (about: how many, recently). */
  n: number;
  mean: number;
  variance: number;
}

export class HistoryError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HistoryError';
  }
}

/**
 * What a peer may put in the shared history, as a hub takes it: only `writer`'s own cells
 * (a peer writes under its own name, so it speaks for its own measurements alone), at most
 * `maxKeys` of them, each finite, with a weight no larger than `maxWeight` (one writer
 * cannot outweigh every other) and a time no later than `latest` (a cell dated in the
 * future would never be replaced, nor age). A hub measures only its own runs, so of the
 * keys that name a hub (`h|H`, `H|H`, `p|template|H`) it may write only those naming
 * itself: a peer with a valid credential cannot make another hub look slow. Throws
 * HistoryError on something that is not a snapshot; drops the cells that break a rule.
 */
export function writerCells(snap: unknown, writer: string, limits: { maxKeys: number; maxWeight: number; latest: number }): HistorySnapshot {
  const s = snap as HistorySnapshot;
  if (!s || s.version !== 1 || typeof s.cells !== 'object' || s.cells === null) throw new HistoryError('not a weave pace-history snapshot (version 1)');
  const cells: HistorySnapshot['cells'] = {};
  let n = 0;
  for (const [key, byWriter] of Object.entries(s.cells)) {
    const c = byWriter && typeof byWriter === 'object' ? (byWriter as Record<string, unknown>)[writer] : undefined;
    if (!Array.isArray(c) || c.length !== 4 || !c.every((x) => typeof x === 'number' && Number.isFinite(x))) continue;
    const [w, sum, q, t] = c as [number, number, number, number];
    if (!(w > 0 && w <= limits.maxWeight && q >= 0 && t <= limits.latest)) continue;
    if (!aboutItself(key, writer)) continue;
    if (++n > limits.maxKeys) break;
    cells[key] = { [writer]: [w, sum, q, t] };
  }
  return { version: 1, cells };
}

/** Whether `key` names no hub, or names `writer` itself (see writerCells). */
function aboutItself(key: string, writer: string): boolean {
  switch (key.charCodeAt(0)) {
    case 104: case 72: return key === `${key[0]}|${writer}`; // h|, H|
    case 112: return key.endsWith(`|${writer}`); // p|template|hub
    default: return true;
  }
}

/** Cells whose decayed weight falls below this are dropped by prune(). */
const NEGLIGIBLE = 1e-4;

export class PaceHistory {
  private readonly cells = new Map<string, Map<string, Cell>>();
  /** Per key: the writers' cells summed as of `t` (recomputed when a cell changed). */
  private readonly sums = new Map<string, Sum | null>();
  /** Bumped by every change: lets callers cache what they derive. */
  generation = 0;
  /** Bumped when a key is added or dropped: lets callers cache which keys there are. */
  keyGeneration = 0;

  /** `halfLifeMs(key)`: how fast measurements of that key age (Infinity: never). */
  constructor(private readonly halfLifeMs: (key: string) => number) {}

  private decay(key: string, dt: number): number {
    const h = this.halfLifeMs(key);
    return h === Infinity || dt <= 0 ? 1 : Math.pow(2, -dt / h);
  }

  /** `writer` measured `x` for `key` at `t`, worth `weight` measurements. */
  record(writer: string, key: string, x: number, t: number, weight = 1): void {
    if (!Number.isFinite(x) || !(weight > 0)) return;
    let byWriter = this.cells.get(key);
    if (!byWriter) { this.cells.set(key, (byWriter = new Map())); this.keyGeneration++; }
    const c = byWriter.get(writer);
    const g = this.generation + 1;
    if (!c) byWriter.set(writer, { w: weight, s: weight * x, q: weight * x * x, t, g });
    else if (t >= c.t) {
      const d = this.decay(key, t - c.t);
      c.w = c.w * d + weight; c.s = c.s * d + weight * x; c.q = c.q * d + weight * x * x; c.t = t; c.g = g;
    } else {
      // Out of order (a late report): it enters already aged.
      const d = this.decay(key, c.t - t);
      c.w += weight * d; c.s += weight * d * x; c.q += weight * d * x * x; c.g = g;
    }
    // The key's sum gains just this measurement, decayed like every cell (decay is
    // linear, so the sum of decayed cells is the decayed sum): no pass over the writers.
    const sum = this.sums.get(key);
    if (sum) {
      if (t > sum.t) {
        const d = this.decay(key, t - sum.t);
        sum.w *= d; sum.s *= d; sum.q *= d; sum.t = t;
      }
      const d = this.decay(key, sum.t - t);
      sum.w += weight * d; sum.s += weight * d * x; sum.q += weight * d * x * x;
    } else this.sums.set(key, null);
    this.generation++;
  }

  /** The writers' cells of `key` decayed to `now` and summed; undefined when none. */
  stat(key: string, now: number): Stat | undefined {
    let sum = this.sums.get(key);
    if (sum === undefined) return undefined;
    if (sum === null) {
      const byWriter = this.cells.get(key)!;
      let ref = -Infinity;
      for (const c of byWriter.values()) ref = Math.max(ref, c.t);
      sum = { w: 0, s: 0, q: 0, t: ref };
      for (const c of byWriter.values()) {
        const d = this.decay(key, ref - c.t);
        sum.w += c.w * d; sum.s += c.s * d; sum.q += c.q * d;
      }
      this.sums.set(key, sum);
    }
    if (!(sum.w > 0)) return undefined;
    const mean = sum.s / sum.w;
    return { n: sum.w * this.decay(key, now - sum.t), mean, variance: Math.max(0, sum.q / sum.w - mean * mean) };
  }

  /**
   * Every cell of `writer` (what that hub publishes), or every cell of every writer; with
   * `since` (a `generation`), only the cells that changed after it: a delta, which merges
   * into a replica that holds the earlier cells as the full snapshot would.
   */
  snapshot(writer?: string, since = -1): HistorySnapshot {
    const cells: HistorySnapshot['cells'] = {};
    for (const [key, byWriter] of this.cells) {
      for (const [w, c] of byWriter) {
        if ((writer !== undefined && w !== writer) || c.g <= since) continue;
        (cells[key] ??= {})[w] = [c.w, c.s, c.q, c.t];
      }
    }
    return { version: 1, cells };
  }

  /**
   * Takes from `snap` every cell newer than the one held for its (key, writer); returns
   * how many it took, and names each key it changed to `onChange`. Throws HistoryError on
   * something that is not a snapshot.
   */
  merge(snap: HistorySnapshot, onChange?: (key: string) => void): number {
    if (!snap || snap.version !== 1 || typeof snap.cells !== 'object' || snap.cells === null) throw new HistoryError('not a weave pace-history snapshot (version 1)');
    let taken = 0;
    for (const [key, byWriter] of Object.entries(snap.cells)) {
      for (const [writer, cell] of Object.entries(byWriter)) {
        if (!Array.isArray(cell) || cell.length !== 4 || !cell.every(Number.isFinite)) throw new HistoryError(`pace-history cell ${key} / ${writer} is not [w, s, q, t]`);
        const [w, s, q, t] = cell;
        let mine = this.cells.get(key);
        const c = mine?.get(writer);
        // Later time wins; at equal times the larger weight (it saw more), then the larger
        // sum, so that every replica picks the same cell.
        if (c && (c.t > t || (c.t === t && (c.w > w || (c.w === w && c.s >= s))))) continue;
        if (!mine) { this.cells.set(key, (mine = new Map())); this.keyGeneration++; }
        mine.set(writer, { w, s, q, t, g: this.generation + 1 });
        this.sums.set(key, null);
        onChange?.(key);
        taken++;
      }
    }
    if (taken) this.generation++;
    return taken;
  }

  /** Drops cells whose weight has decayed to nothing by `now`. */
  prune(now: number): void {
    for (const [key, byWriter] of this.cells) {
      for (const [w, c] of byWriter) if (c.w * this.decay(key, now - c.t) < NEGLIGIBLE) byWriter.delete(w);
      if (!byWriter.size) { this.cells.delete(key); this.sums.delete(key); this.keyGeneration++; } else this.sums.set(key, null);
    }
    this.generation++;
  }

  /** The keys held that start with `prefix`. */
  *keys(prefix = ''): Generator<string> {
    for (const k of this.cells.keys()) if (k.startsWith(prefix)) yield k;
  }

  /** Keys held. */
  get size(): number {
    return this.cells.size;
  }
}
