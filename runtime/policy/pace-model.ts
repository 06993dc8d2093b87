/**
 * What measured history says about pace: how fast a fragment template runs on a hub, in
 * units (yield points) per ms, learned from hubs' pace samples. In the log domain,
 *
 *   ln pace(template t, hub h) = ln(speed_h / (1 + cpu_h))   what h advertises
 *                              + A(t, kind of h)              that code on that kind of hub
 *                              + B(h)                         that hub lately, beyond its adverts
 *                              + C(t, h)                      that code on that very hub
 *
 * A is a decayed mean per (template, kind, size) (half-life 2 min), read through a line
 * over the neighbouring sizes and shrunk towards the same over all sizes, and that
 * towards the cost model's guess on top of the template's mean over all kinds (so a kind
 * never seen starts where a person would guess). Size is
 * the run's expected units in half-e-fold buckets: an accelerator's gain depends on how
 * much work a call brings, and without it a GPU hub that ran small calls looked slow for
 * everything (its B took the blame). B is the hub's recent residual (half-life 2 s),
 * shrunk towards its long-run residual (30 s): noisy neighbours and throttling that no
 * advert shows. C is what is left for the template on one hub (half-life 2 min, shrunk
 * towards 0): CPU speed and memory bandwidth do not add up in ln pace, so a memory-bound
 * program on a fast CPU with slow memory misses by a factor A and B cannot hold (family
 * (c) of the policy bench, three cluster and job seeds: jobs 0.7-3.1% shorter with it,
 * the other families within 1.3% either way). Also kept: each template's total units per
 * unit of static estimate (how much work a run is), what moves cost beyond the transfer, how fast datasets are
 * read (locally, and from each dataset's holders: a remote read goes at the slower of the
 * reader's link and the holder's, and only the reader's is advertised), and how far
 * predictions miss (`sigma`, for the probabilities a stay-or-move decision gives).
 *   const m = new PaceModel();
 *   m.observe(sample);                    // from a hub, or merged from the shared history
 *   m.logPace(part, hub)                  // ln units/ms expected
 */
import { MS_PER_ESTIMATE_UNIT } from './estimates.js';
import { kindIndex } from './hub-kind.js';
import { PaceHistory, type HistorySnapshot } from './pace-history.js';
import type { FragmentView, HubView, MoveSample, PaceSample, PartView, ReadSample } from './types.js';

/** Half-lives of each kind of key, ms. */
export const PACE_HALF_LIFE_MS = { template: 600_000, kind: 120_000, hub: 2_000, hubSlow: 30_000, move: 600_000, error: 120_000 } as const;

/** The history's half-life for a key, by its prefix (see the key builders below). */
export function paceHalfLife(key: string): number {
  switch (key.charCodeAt(0)) {
    case 116: return PACE_HALF_LIFE_MS.template; // t|
    case 107: return PACE_HALF_LIFE_MS.kind; // k|
    case 115: return PACE_HALF_LIFE_MS.kind; // s| (by size)
    case 75: return PACE_HALF_LIFE_MS.kind; // K| (by full kind)
    case 112: return PACE_HALF_LIFE_MS.kind; // p| (the template on one hub)
    case 104: return PACE_HALF_LIFE_MS.hub; // h|
    case 72: return PACE_HALF_LIFE_MS.hubSlow; // H|
    case 109: return PACE_HALF_LIFE_MS.move; // m|
    case 122: return PACE_HALF_LIFE_MS.error; // z|
    case 108: case 114: return PACE_HALF_LIFE_MS.move; // l| (local reads), r| (a dataset's holders)
    default: return Infinity; // w| (work per estimate), e| (typical estimate)
  }
}

/** Decay per ms of the hub keys (ln 2 / half-life). */
const FAST_RATE = Math.LN2 / PACE_HALF_LIFE_MS.hub;
const SLOW_RATE = Math.LN2 / PACE_HALF_LIFE_MS.hubSlow;

/** The size buckets held for one template and kind, and the key of each. */
interface SizeKeys { buckets: number[]; keys: string[] }

/** A hub's residuals summed and decayed as the history does it: slow (H|) and fast (h|) weight, sum, time. */
interface HubSums { sw: number; ss: number; st: number; fw: number; fs: number; ft: number }

/** Pseudo-weights (seconds of measurement) of each prior. */
const PRIOR_KIND = 0.3;
const PRIOR_SIZE = 0.3;
/**
 * A run's size term reads the size buckets up to two away (weights 1, 0.6, 0.25 by
 * distance) through a line in ln size, its slope shrunk towards flat by PRIOR_SLOPE
 * (seconds of measurement per bucket² of slope): an accelerator's gain grows smoothly
 * with the size of its calls, so a size never run at is read from the sizes around it
 * rather than from the mean over all sizes. Policy bench, eight draws of (a)
 * accelerators: mean oracle gap 4.5% → 3.95%; the other families within 0.5% either way,
 * sum of the five 22.65% → 21.7% (docs/policy.md, "Sizes between sizes").
 */
const SIZE_KERNEL = [1, 0.6, 0.25] as const;
const PRIOR_SLOPE = 0.3;
const PRIOR_HUB = 0.3;
const PRIOR_HUB_SLOW = 1;
const PRIOR_MOVE = 1;
/**
 * The pair term's prior: 3 s of a template's runs on one hub before it counts half. With
 * 1, (a) and (b) lost 2.1-2.2% (early noise taken as the pair's); with 6 or 12, (c) gained
 * less (1,742 and 1,739 ms against 1,729).
 */
const PRIOR_PAIR = 3;
/** A move's cost beyond the transfer before any was measured, ms. */
const DEFAULT_MOVE_OVERHEAD_MS = 10;
/** Local dataset reads before any was measured: 2 GB/s (page cache, local disk), bytes per ms. */
const DEFAULT_LOCAL_READ_BYTES_PER_MS = 2e6;
/** A remote read at this share of the reader's link or less was held back by the holder's. */
const HOLDER_LIMITED = 0.8;

/** ln of what a hub's adverts say of its pace: calibrated speed over its advertised load. */
export function advertisedLogPace(h: Pick<HubView, 'speed' | 'cpu'>): number {
  return Math.log(Math.max(0.05, h.speed)) - Math.log1p(Math.max(0, h.cpu));
}

/** ln of the cost model's guessed acceleration (its 1.3x for AVX2, 2x for a GPU), by kind index. */
export function guessLogAccel(calls: PartView['calls'], kind: number): number {
  return (calls.simd && kind & 1 ? Math.log(1.3) : 0) + (calls.gpu && kind & 2 ? Math.log(2) : 0);
}

/** Seconds of measurement a sample is worth (a long one more, up to two), unless it says. */
const sampleWeight = (s: PaceSample) => s.weight ?? Math.min(2, s.ms / 1000);

/**
 * The template of a hub's calibration run (what `caps.speed` was measured with at start).
 * Its pace against the advertised speed is the hub's own factor, by definition: its kind
 * term is 0, so an idle hub that times it now and then says exactly how it is doing.
 */
export const CALIBRATION = 'calibration';

/** What the model knows of (part, hub), for scores and for the network's features. */
export interface PaceTerms {
  /** advertisedLogPace(h) */
  adv: number;
  /** A: the template on the hub's kind; its weight (decayed seconds measured). */
  kind: number; kindN: number;
  /** The template's mean over kinds (A's prior, less the guess). */
  base: number;
  /** B: the hub lately; its weight. */
  hub: number; hubN: number;
}

export class PaceModel {
  readonly history: PaceHistory;
  /** The latest time seen in a measurement (decays are counted to it). */
  now = 0;

  constructor(history?: PaceHistory) {
    this.history = history ?? new PaceHistory(paceHalfLife);
  }

  /** Units a run of `p` does in all: measured per unit of estimate, else the engine's estimate in ms. */
  units(p: PartView): number {
    const w = this.history.stat(`w|${p.template}`, this.now);
    return w ? Math.exp(w.mean) * p.estimate : p.measuredMs ?? p.estimate * MS_PER_ESTIMATE_UNIT;
  }

  /** ln of the typical static estimate of `template`'s runs (to tell a small run from a large one). */
  typicalLogEstimate(template: string): number | undefined {
    return this.history.stat(`e|${template}`, this.now)?.mean;
  }

  /** The template's mean over kinds, the guess taken out. */
  base(template: string): number {
    const s = this.history.stat(`t|${template}`, this.now);
    return s ? (s.n * s.mean) / (s.n + 0.05) : 0;
  }

  /** The size bucket of a run of `units`. */
  static sizeBucket(units: number): number {
    return Math.round(Math.log(Math.max(1e-6, units)) * 2);
  }

  /**
   * A(t, k): ln pace of the template on kind `kind` relative to the hub's adverts, for a
   * run of `units` (its size) where given.
   */
  kindTerm(p: PartView, kind: number, units?: number, base = this.base(p.template), optimism = 0): number {
    if (p.template === CALIBRATION) return 0;
    const prior = base + guessLogAccel(p.calls, kind);
    // Accelerators first (what the memory tier does is a smaller effect, learned below it).
    const s = this.history.stat(`k|${p.template}|${kind & 3}`, this.now);
    const accel = s ? (s.n * s.mean + PRIOR_KIND * prior) / (s.n + PRIOR_KIND) : prior;
    const full = this.history.stat(`K|${p.template}|${kind}`, this.now);
    const n = full?.n ?? 0;
    // Optimism in the face of little measurement: a kind this code has hardly run on
    // looks up to e^optimism faster than the prior says, so it gets tried, and the bonus
    // fades as measurements come in (half of it after 0.3 s of them).
    const all = (full ? (n * full.mean + PRIOR_KIND * accel) / (n + PRIOR_KIND) : accel) + (optimism * PRIOR_KIND) / (n + PRIOR_KIND);
    if (units === undefined) return all;
    const b = PaceModel.sizeBucket(units);
    const sizes = this.sizeKeys(p.template, kind);
    if (sizes === undefined) return all;
    let sw = 0, swd = 0, swdd = 0, swm = 0, swdm = 0;
    for (let i = 0; i < sizes.buckets.length; i++) {
      const d = sizes.buckets[i] - b;
      if (d <= -SIZE_KERNEL.length || d >= SIZE_KERNEL.length) continue;
      const st = this.history.stat(sizes.keys[i], this.now);
      if (!st) continue;
      const v = st.n * SIZE_KERNEL[Math.abs(d)];
      sw += v; swd += v * d; swdd += v * d * d; swm += v * st.mean; swdm += v * d * st.mean;
    }
    if (sw === 0) return all;
    // Weighted least squares of mean = a + slope d, with `all` as a prior on a (weight
    // PRIOR_SIZE) and 0 on the slope: a, the line at this bucket. Measured here alone
    // (no neighbours), it is the bucket's mean shrunk towards `all`, as before.
    const a11 = sw + PRIOR_SIZE, a22 = swdd + PRIOR_SLOPE, r1 = swm + PRIOR_SIZE * all;
    return (r1 * a22 - swd * swdm) / (a11 * a22 - swd * swd);
  }

  /**
   * B(h): the hub's recent pace beyond what its adverts and its kind say (0: as
   * expected). Decisions ask this for every candidate, so it comes from an index of the
   * hub keys' sums (one lookup, two exponentials) that recording keeps current and that
   * is rebuilt from the history after a merge.
   */
  hubTerm(id: string): number {
    if (this.indexedAt !== this.history.generation) this.reindex();
    const r = this.hubIndex.get(id);
    if (!r) return 0;
    const slowN = r.sw * Math.exp((r.st - this.now) * SLOW_RATE);
    const longRun = (slowN * (r.ss / r.sw)) / (slowN + PRIOR_HUB_SLOW);
    if (!(r.fw > 0)) return longRun;
    const fastN = r.fw * Math.exp((r.ft - this.now) * FAST_RATE);
    return (fastN * (r.fs / r.fw) + PRIOR_HUB * longRun) / (fastN + PRIOR_HUB);
  }

  /** How much of the hub was measured lately (decayed seconds, the fast key's weight). */
  hubWeight(id: string): number {
    if (this.indexedAt !== this.history.generation) this.reindex();
    const r = this.hubIndex.get(id);
    return r && r.fw > 0 ? r.fw * Math.exp((r.ft - this.now) * FAST_RATE) : 0;
  }

  /** How much of the template was measured on the kind (decayed seconds). */
  kindWeight(template: string, kind: number): number {
    return this.history.stat(`K|${template}|${kind}`, this.now)?.n ?? 0;
  }

  private readonly hubIndex = new Map<string, HubSums>();
  private indexedAt = 0;

  /**
   * The size buckets measured of a template on a kind, and their keys: a decision asks
   * kindTerm for every kind of every part, and looking up each bucket within reach by a
   * freshly built key made decisions a quarter slower (most of those keys absent). Kept
   * current by what this model records and merges; rebuilt when keys came or went
   * otherwise (a merge or prune on `history` itself).
   */
  private sizeKeys(template: string, kind: number): SizeKeys | undefined {
    if (this.sizesAt !== this.history.keyGeneration) {
      this.sizeIndex.clear();
      this.sizeKnown.clear();
      for (const key of this.history.keys('s|')) this.noteSizeKey(key);
      this.sizesAt = this.history.keyGeneration;
    }
    return this.sizeIndex.get(template)?.get(kind);
  }

  /** Adds an `s|template|kind|bucket` key to the size index (once). */
  private noteSizeKey(key: string): void {
    if (this.sizeKnown.has(key)) return;
    this.sizeKnown.add(key);
    const cut = key.lastIndexOf('|'), cut2 = key.lastIndexOf('|', cut - 1);
    const template = key.slice(2, cut2), kind = Number(key.slice(cut2 + 1, cut));
    let byKind = this.sizeIndex.get(template);
    if (!byKind) this.sizeIndex.set(template, (byKind = new Map()));
    let e = byKind.get(kind);
    if (!e) byKind.set(kind, (e = { buckets: [], keys: [] }));
    e.buckets.push(Number(key.slice(cut + 1)));
    e.keys.push(key);
  }

  private readonly sizeIndex = new Map<string, Map<number, SizeKeys>>();
  private readonly sizeKnown = new Set<string>();
  private sizesAt = -1;

  private reindex(): void {
    this.hubIndex.clear();
    for (const key of this.history.keys('H|')) this.reindexHub(key.slice(2));
    this.indexedAt = this.history.generation;
  }

  private reindexHub(id: string): void {
    const slow = this.history.stat(`H|${id}`, this.now);
    const fast = this.history.stat(`h|${id}`, this.now);
    if (!slow) { this.hubIndex.delete(id); return; }
    this.hubIndex.set(id, { sw: slow.n, ss: slow.n * slow.mean, st: this.now, fw: fast?.n ?? 0, fs: (fast?.n ?? 0) * (fast?.mean ?? 0), ft: this.now });
  }

  /**
   * Merges another replica's history (a snapshot from the shared bucket), updating only
   * the hubs it changed; returns the cells taken. Merging into `history` directly works
   * too, and costs a full rebuild of the hub index on the next decision.
   */
  merge(snap: HistorySnapshot): number {
    const inSync = this.indexedAt === this.history.generation;
    const sizesInSync = this.sizesAt === this.history.keyGeneration;
    const hubs = new Set<string>();
    const n = this.history.merge(snap, (key) => {
      if (key[0] === 'h' || key[0] === 'H') hubs.add(key.slice(2));
      else if (key[0] === 's' && sizesInSync) this.noteSizeKey(key);
    });
    if (sizesInSync) this.sizesAt = this.history.keyGeneration;
    for (const c of Object.values(snap.cells)) for (const cell of Object.values(c)) this.now = Math.max(this.now, cell[3]);
    if (inSync) {
      for (const id of hubs) this.reindexHub(id);
      this.indexedAt = this.history.generation;
    }
    return n;
  }

  /** Records in the history; what is recorded here keeps the index current (only a merge makes it stale). */
  private record(writer: string, key: string, x: number, t: number, w = 1): void {
    const inSync = this.indexedAt === this.history.generation;
    const sizesInSync = this.sizesAt === this.history.keyGeneration;
    this.history.record(writer, key, x, t, w);
    if (inSync) this.indexedAt = this.history.generation;
    if (sizesInSync) {
      if (key.charCodeAt(0) === 115) this.noteSizeKey(key); // s|
      this.sizesAt = this.history.keyGeneration;
    }
  }

  /** Adds a residual to the hub's index as the history records it (same decay, same sums). */
  private indexHub(id: string, x: number, t: number, w: number): void {
    let r = this.hubIndex.get(id);
    if (!r) this.hubIndex.set(id, (r = { sw: 0, ss: 0, st: t, fw: 0, fs: 0, ft: t }));
    const ds = Math.exp(-Math.abs(t - r.st) * SLOW_RATE), df = Math.exp(-Math.abs(t - r.ft) * FAST_RATE);
    if (t >= r.st) { r.sw = r.sw * ds + w; r.ss = r.ss * ds + w * x; r.st = t; } else { r.sw += w * ds; r.ss += w * ds * x; }
    if (t >= r.ft) { r.fw = r.fw * df + w; r.fs = r.fs * df + w * x; r.ft = t; } else { r.fw += w * df; r.fs += w * df * x; }
  }

  /** Everything the model says about `p` on `h`. */
  terms(p: PartView, h: HubView): PaceTerms {
    const k = kindIndex(h);
    const base = this.base(p.template);
    const ks = this.history.stat(`K|${p.template}|${k}`, this.now);
    const hs = this.history.stat(`h|${h.id}`, this.now);
    return { adv: advertisedLogPace(h), kind: this.kindTerm(p, k, this.units(p), base), kindN: ks?.n ?? 0, base, hub: this.hubTerm(h.id), hubN: hs?.n ?? 0 };
  }

  /** ln units/ms expected of `p` on `h`. */
  logPace(p: PartView, h: HubView): number {
    return advertisedLogPace(h) + this.kindTerm(p, kindIndex(h), this.units(p)) + this.hubTerm(h.id) + this.pairTerm(p.template, h.id);
  }

  /**
   * C(t, h): what the template runs at on this one hub beyond its kind's and the hub's own
   * terms. Those two add up in ln pace; a hub's CPU speed and its memory bandwidth do not
   * (a memory-bound program gains nothing from a faster CPU with slow memory), and this
   * learns what is left, per template and hub, from that hub's runs of it.
   */
  pairTerm(template: string, hub: string): number {
    const s = this.history.stat(`p|${template}|${hub}`, this.now);
    return s ? (s.n * s.mean) / (s.n + PRIOR_PAIR) : 0;
  }

  /** How far a predicted ln pace misses, typically (root mean square, at least 0.1). */
  sigma(): number {
    const s = this.history.stat('z|', this.now);
    return s && s.n > 1 ? Math.max(0.1, Math.sqrt(s.mean * s.mean + s.variance)) : 0.5;
  }

  /** What a move costs beyond sending the state, ms (pausing, restoring, cold caches). */
  moveOverheadMs(): number {
    const s = this.history.stat('m|', this.now);
    return s ? (s.n * s.mean + PRIOR_MOVE * DEFAULT_MOVE_OVERHEAD_MS) / (s.n + PRIOR_MOVE) : DEFAULT_MOVE_OVERHEAD_MS;
  }

  /**
   * Learns from a pace sample; the writer is the hub that measured it. Returns the
   * measured ln pace and what the model predicted before it (the residual a network can
   * learn).
   */
  observe(s: PaceSample): { x: number; predicted: number } | undefined {
    if (!(s.units > 0) || !(s.ms > 0)) return undefined;
    this.now = Math.max(this.now, s.t);
    const writer = s.hub.id;
    const x = Math.log(s.units / s.ms);
    const k = kindIndex(s.hub);
    const adv = advertisedLogPace(s.hub);
    const units = this.units(s.part);
    const kind = this.kindTerm(s.part, k, units);
    const hub = this.hubTerm(writer);
    const pair = this.pairTerm(s.part.template, writer);
    const predicted = adv + kind + hub + pair;
    const w = sampleWeight(s);
    const h = this.history;
    if (s.part.template === CALIBRATION) {
      this.recordHub(writer, x - adv, s.t, w);
      return { x, predicted };
    }
    // A template never measured anywhere is predicted from its static estimate alone, and a
    // hub never measured from its adverts alone: what the first sample of either says is how
    // that template or that hub differs (its own terms learn it), not how far predictions of
    // known ones miss, nor (for a new template) how the hub differs. Live hubs give every
    // template the same placeholder estimate, so their first samples miss by orders of
    // magnitude: counted as misses they made every later probability uninformative.
    const knownTemplate = (h.stat(`t|${s.part.template}`, s.t)?.n ?? 0) > 0;
    const knownHub = (h.stat(`h|${writer}`, s.t)?.n ?? 0) > 0;
    if (knownTemplate && knownHub) this.record(writer, 'z|', x - predicted, s.t, w);
    // A hub's first sample of a template others have measured on its kind of hub says how
    // this hub differs: its own term takes it all, and the template's terms are left as the
    // others made them (a noisy hub's first look would otherwise drag them halfway to its
    // pace). On a kind nobody measured the template on, the difference is more likely the
    // kind's (no AVX2: 11x slower for simd code), and the template's terms learn it: put in
    // the hub's term, it would have made that hub look slow at everything, and the kind's
    // term learn nothing.
    const knownKind = (h.stat(`K|${s.part.template}|${k}`, s.t)?.n ?? 0) > 0;
    if (knownTemplate && !knownHub && knownKind) {
      this.recordHub(writer, x - adv - kind, s.t, w);
      this.recordTotal(writer, s);
      return { x, predicted };
    }
    // The template's terms learn what is left once the hub's own term (what it measured of
    // late, beyond its adverts) is taken out: a hub with a noisy neighbour would otherwise
    // drag down what the template runs at on every hub of its kind (backfitting the two).
    const x0 = x - adv - hub;
    this.record(writer, `t|${s.part.template}`, x0 - guessLogAccel(s.part.calls, k), s.t, w);
    this.record(writer, `k|${s.part.template}|${k & 3}`, x0, s.t, w);
    this.record(writer, `K|${s.part.template}|${k}`, x0, s.t, w);
    this.record(writer, `s|${s.part.template}|${k}|${PaceModel.sizeBucket(units)}`, x0, s.t, w);
    // The template's first sample, or the first on this kind from a hub with no term yet:
    // the template's terms took it; the hub's term learns from the next ones.
    if (knownTemplate && knownHub) {
      this.recordHub(writer, x - adv - kind, s.t, w);
      this.record(writer, `p|${s.part.template}|${writer}`, x - adv - kind - hub, s.t, w);
    }
    this.recordTotal(writer, s);
    return { x, predicted };
  }

  /** The hub's own residual `r` (its term B, fast and slow), keeping the hub index current. */
  private recordHub(writer: string, r: number, t: number, w: number): void {
    if (this.indexedAt === this.history.generation) this.indexHub(writer, r, t, w);
    this.record(writer, `h|${writer}`, r, t, w);
    this.record(writer, `H|${writer}`, r, t, w);
  }

  /** A sample that ends a fragment: how many units its runs take, against its static estimate. */
  private recordTotal(writer: string, s: PaceSample): void {
    if (s.total === undefined || !(s.total > 0) || !(s.part.estimate > 0)) return;
    this.record(writer, `w|${s.part.template}`, Math.log(s.total / s.part.estimate), s.t);
    this.record(writer, `e|${s.part.template}`, Math.log(s.part.estimate), s.t);
  }

  /** ms to read what `f` reads on `h`: locally where it holds the dataset, else at the slower of its link and the holders'. */
  readMs(f: FragmentView, h: HubView): number {
    return this.reads(f)(h);
  }

  /**
   * readMs for one fragment over many hubs: the history is asked once, each hub then
   * costs a few comparisons (a decision asks it for every candidate).
   */
  reads(f: FragmentView): (h: HubView) => number {
    if (!f.datasets.length) return () => 0;
    const l = this.history.stat('l|', this.now);
    const local = l ? Math.exp(l.mean) : DEFAULT_LOCAL_READ_BYTES_PER_MS;
    const holders = f.datasets.map((d) => {
      const s = this.history.stat(`r|${d.name}`, this.now);
      return s ? Math.exp(s.mean) : Infinity;
    });
    return (h) => {
      let ms = 0;
      for (let i = 0; i < f.datasets.length; i++) {
        const d = f.datasets[i];
        if (h.datasets.includes(d.name)) { ms += d.bytes / local; continue; }
        const link = Math.min(h.linkMbps ?? h.mbps, h.mbps, holders[i]);
        ms += h.rttMs + (d.bytes * 8) / (Math.max(1, link) * 1000);
      }
      return ms;
    };
  }

  /** Learns a read's rate; the writer is the reading hub. */
  observeRead(r: ReadSample): void {
    if (!(r.ms > 0) || !(r.bytes > 0)) return;
    this.now = Math.max(this.now, r.t);
    if (r.local) { this.record(r.hub.id, 'l|', Math.log(r.bytes / r.ms), r.t); return; }
    const mbps = (r.bytes * 8) / (r.ms * 1000);
    if (mbps < HOLDER_LIMITED * (r.hub.linkMbps ?? Infinity)) this.record(r.hub.id, `r|${r.dataset}`, Math.log(mbps), r.t);
  }

  /** Learns what a move cost beyond the transfer; the writer is the receiving hub. */
  observeMove(m: MoveSample, transferMs: number): void {
    this.now = Math.max(this.now, m.t);
    this.record(m.to.id, 'm|', m.ms - transferMs, m.t);
  }
}
