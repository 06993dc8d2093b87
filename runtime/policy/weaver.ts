/**
 * The learned weaver: where a job starts and, at its holder's yield points, whether it
 * stays or moves, from measured history (pace-model.ts) and a brain.js network that
 * learns what the history's structure misses.
 *
 * What it is, named plainly: a contextual bandit with a learned reward model. The context
 * is the job's remaining fragments, each candidate hub's adverts and kind, the history's
 * terms for them, the pace observed here and the move's cost; the actions are the hubs
 * (placement) or stay / move to one of them (re-weaving); the reward is minus the time the
 * job takes from the decision on, the move's cost included. Each action taken reveals its
 * own outcome as pace samples (and the move's measured cost); those train the model,
 * actions not taken reveal nothing, so it explores: the 2nd or 3rd best placement with
 * probability epsilon (5%, decaying to 0.5%, and only among hubs scored within 1.5x of
 * the best), and now and then a move it is unsure of (2% of the undecided ones whose
 * predicted saving is at least half what a move needs, decaying to 0.2%, at most one per
 * job and minute: never between hubs of about the same pace). A move that only the pace of
 * the window just measured argues for waits for the job's next look to agree (one starved
 * window is not a slow hub). Its effect on later jobs (the queue it joins) is not
 * learned: a hand-set charge stands for it, as in the other policies, here growing with
 * the cluster's load and the queue's depth (estimates.ts, loadScaledCharge and
 * queueDepthCharge).
 *
 * Scoring: stage one scores every hub in O(1) from the history (per-kind sums over the
 * job's parts, a hub term, adverts); stage two re-scores the best `rerank` with each
 * part's correction (the template's own term on that hub, and the network's), so a
 * decision over a thousand hubs costs a thousand cheap scores and a few network passes.
 *   const w = new LearnedWeaver({ seed: 1 });
 *   simulate(w.placement, { reweave: w.reweave, learners: [w], ... });
 *   hub: at a yield point, w.reweave.consider(run, holder, hubs, Date.now()).to
 */
import { DEFAULT_CHARGE_PER_LOAD, DEFAULT_CHARGE_PER_QUEUED, clusterLoad, loadScaledCharge, queueChargeMs, queueDepthCharge, transferMs } from './estimates.js';
import { KINDS, kindIndex } from './hub-kind.js';
import { PaceModel, advertisedLogPace, type PaceTerms } from './pace-model.js';
import { PaceHistory, type HistorySnapshot } from './pace-history.js';
import { paceHalfLife } from './pace-model.js';
import { DEFAULT_MOVES_PER_MINUTE, movesAllowed } from './reweave.js';
import { SmallNet } from './small-net.js';
import { boundedMap, uniform } from '../util/index.js';
import type {
  Decision, FragmentView, HubView, MoveOption, MoveSample, PaceLearner, PaceSample, PartView, PlacementPolicy, ReadSample, ReweaveDecision, ReweavePolicy, RunView,
} from './types.js';

export interface WeaverOptions {
  /**
   * Charged on top of the predicted time of a hub that would queue, in runs there per unit
   * of cluster load (see loadScaledCharge: 2.5 charges 1.5 runs at 60% load, and between
   * 0.5 and 3 runs). @default DEFAULT_CHARGE_PER_LOAD (2.5)
   */
  queueChargePerLoad?: number;
  /** And that times 1 + this per fragment already queued there (queueDepthCharge); 0: the queue's depth is not charged. @default DEFAULT_CHARGE_PER_QUEUED (1) */
  chargePerQueued?: number;
  /** Placement exploration: starts at `epsilon`, times `decay` per decision, floored at `epsilonMin`. */
  epsilon?: number;
  epsilonMin?: number;
  decay?: number;
  /** Move when the probability that moving finishes sooner is at least this. @default 0.9 */
  pMove?: number;
  /** And it saves at least this share of the time left, and `minGainMs`. @default 0.5, 30 */
  minGain?: number;
  minGainMs?: number;
  /** Exploring moves: their share of the undecided looks, decaying like epsilon. @default 0.02, floor 0.002 */
  moveEpsilon?: number;
  moveEpsilonMin?: number;
  /** The safety limit. @default DEFAULT_MOVES_PER_MINUTE */
  movesPerMinute?: number;
  /** Ms of running between two looks at one job. @default 500 */
  everyMs?: number;
  /** Correct the history's prediction with the network. @default true */
  net?: boolean;
  /** Candidates the network re-scores. @default 8 */
  rerank?: number;
  /** Placement's optimism for kinds a template has hardly run on, in ln pace (see PaceModel.kindTerm). @default 0.5 */
  optimism?: number;
  seed?: number;
}

export interface WeaverState {
  version: 2;
  kind: 'weave-weaver';
  options: Required<WeaverOptions>;
  history: HistorySnapshot;
  net: unknown;
  /** Samples the network trained on (weights replicas when merged). */
  trained: number;
  epsilon: number;
  moveEpsilon: number;
}

/** Inputs of the network (see netFeatures). */
export const WEAVER_FEATURES = 14;
/** The network's output spans ±this in ln pace. */
const NET_RANGE = 2;
const REPLAY = 8000;
/** Jobs whose last look's leaning is remembered (a forgotten one only waits one look more). */
const LEANINGS = 4096;
/** A lean confirms the next look's only within this many looks' time (a hub skips looks while a run waits). */
const LEAN_LOOKS = 3;

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Standard normal CDF (Abramowitz and Stegun 7.1.26; error below 1e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function partsOf(f: FragmentView): readonly PartView[] {
  return f.parts && f.parts.length ? f.parts : [{ template: f.template, estimate: f.estimate, measuredMs: f.measuredMs, calls: f.calls }];
}

export class LearnedWeaver implements PaceLearner {
  readonly name = 'learned';
  readonly model: PaceModel;
  readonly placement: PlacementPolicy;
  readonly reweave: ReweavePolicy;
  private readonly opts: Required<WeaverOptions>;
  private readonly net: SmallNet;
  private readonly rand: () => number;
  private epsilon: number;
  private moveEpsilon: number;
  private trained = 0;
  private readonly xs: Float32Array[] = [];
  private readonly ys: number[] = [];
  private nextSlot = 0;
  private pending = 0;
  private readonly feat = new Float32Array(WEAVER_FEATURES);
  private readonly kindSums = new Float64Array(KINDS);
  /** Units of each part of the decision under way, whole runs (for the history's size buckets). */
  private sizes: readonly number[] = [];
  /** Optimism of the decision under way: placements explore with it, predictions and moves do not. */
  private optimism = 0;
  private termMemo = new Float64Array(0);
  /** The same without optimism, and its weight: what the network was trained on. */
  private plainMemo = new Float64Array(0);
  private weightMemo = new Float64Array(0);
  private readonly typicals: Array<number | undefined | null> = [];
  private readonly bases: number[] = [];
  private readonly sameAs: number[] = [];
  /** Per job, the hub its last look would have moved it to, and when: a move needs two looks in a row that agree. */
  private readonly leaning = boundedMap<string, { to: string; at: number }>(LEANINGS);

  constructor(opts: WeaverOptions = {}, history?: PaceHistory) {
    this.opts = {
      queueChargePerLoad: opts.queueChargePerLoad ?? DEFAULT_CHARGE_PER_LOAD, chargePerQueued: opts.chargePerQueued ?? DEFAULT_CHARGE_PER_QUEUED, epsilon: opts.epsilon ?? 0.05, epsilonMin: opts.epsilonMin ?? 0.005, decay: opts.decay ?? 0.999,
      pMove: opts.pMove ?? 0.9, minGain: opts.minGain ?? 0.5, minGainMs: opts.minGainMs ?? 30,
      moveEpsilon: opts.moveEpsilon ?? 0.02, moveEpsilonMin: opts.moveEpsilonMin ?? 0.002,
      movesPerMinute: opts.movesPerMinute ?? DEFAULT_MOVES_PER_MINUTE, everyMs: opts.everyMs ?? 500,
      net: opts.net ?? true, rerank: opts.rerank ?? 8, optimism: opts.optimism ?? 0.5, seed: opts.seed ?? 1,
    };
    this.model = new PaceModel(history ?? new PaceHistory(paceHalfLife));
    this.net = new SmallNet(WEAVER_FEATURES, [10], { seed: this.opts.seed, learningRate: 0.1 });
    this.rand = uniform(this.opts.seed);
    this.epsilon = this.opts.epsilon;
    this.moveEpsilon = this.opts.moveEpsilon;
    this.placement = { name: 'learned', choose: (f, hubs) => this.choose(f, hubs), observe: () => undefined };
    this.reweave = { name: 'learned', everyMs: this.opts.everyMs, consider: (run, holder, hubs, now) => this.consider(run, holder, hubs, now) };
  }

  // ---- learning ----

  observePace(s: PaceSample): void {
    const terms = this.opts.net && s.ms >= 100 ? this.model.terms(s.part, s.hub) : undefined;
    const typical = terms && this.model.typicalLogEstimate(s.part.template);
    const r = this.model.observe(s);
    if (!r || !terms) return;
    // The network learns what the history's terms miss for this (part, hub).
    const x = this.netFeatures(s.part, s.hub, terms, typical, new Float32Array(WEAVER_FEATURES));
    const y = clamp01(0.5 + (r.x - r.predicted) / (2 * NET_RANGE));
    if (this.xs.length < REPLAY) { this.xs.push(x); this.ys.push(y); } else { this.xs[this.nextSlot] = x; this.ys[this.nextSlot] = y; this.nextSlot = (this.nextSlot + 1) % REPLAY; }
    if (++this.pending >= 4) {
      this.pending = 0;
      for (let i = 0; i < 8; i++) {
        const k = Math.floor(this.rand() * this.xs.length);
        this.net.train(this.xs[k], this.ys[k]);
      }
      this.trained += 8;
    }
  }

  observeRead(r: ReadSample): void {
    this.model.observeRead(r);
  }

  observeMove(m: MoveSample): void {
    this.model.observeMove(m, transferMs(m.stateBytes, m.to));
  }

  /** Extra passes of the network over what it kept (offline training from logs). */
  fit(epochs: number): void {
    for (let e = 0; e < epochs; e++) for (let i = 0; i < this.xs.length; i++) this.net.train(this.xs[i], this.ys[i]);
    this.trained += epochs * this.xs.length;
  }

  /** The network's inputs for (part, hub), from what the history says of them (`t`) and the template's usual size. */
  private netFeatures(p: PartView, h: HubView, t: Omit<PaceTerms, 'adv'>, typical: number | undefined, out: Float32Array): Float32Array {
    out[0] = p.calls.simd ? 1 : 0;
    out[1] = p.calls.gpu ? 1 : 0;
    out[2] = h.caps.avx2 ? 1 : 0;
    out[3] = h.caps.gpu ? 1 : 0;
    out[4] = (h.memTier ?? 1) / 2;
    out[5] = Math.min(4, h.speed) / 4;
    out[6] = Math.min(2, h.cpu) / 2;
    // This run's size against the template's usual: accelerators gain with size.
    out[7] = typical === undefined ? 0.5 : clamp01(0.5 + (Math.log(Math.max(1e-9, p.estimate)) - typical) / 4);
    out[8] = clamp01(0.5 + (t.kind - t.base) / 4);
    out[9] = t.kindN / (t.kindN + 1);
    out[10] = clamp01(0.5 + t.hub / 4);
    out[11] = t.hubN / (t.hubN + 1);
    out[12] = p.calls.simd && h.caps.avx2 ? 1 : 0;
    out[13] = p.calls.gpu && h.caps.gpu ? 1 : 0;
    return out;
  }

  /**
   * The correction to ln pace of part j on `h` (of kind k) in the decision under way: the
   * template's own term on that hub (PaceModel.pairTerm), plus the network's once it is
   * trained (its inputs from the decision's memo, as training saw them).
   */
  private correction(parts: readonly PartView[], j: number, h: HubView, k: number): number {
    const pair = this.model.pairTerm(parts[j].template, h.id);
    if (!this.opts.net || this.trained === 0) return pair;
    const same = this.sameAs[j];
    const at = same * KINDS + k;
    if (Number.isNaN(this.plainMemo[at])) {
      this.plainMemo[at] = this.model.kindTerm(parts[same], k, this.sizes[same], this.bases[same]);
      this.weightMemo[at] = this.model.kindWeight(parts[same].template, k);
    }
    if (this.typicals[same] === null) this.typicals[same] = this.model.typicalLogEstimate(parts[same].template);
    const t = { kind: this.plainMemo[at], kindN: this.weightMemo[at], base: this.bases[same], hub: this.model.hubTerm(h.id), hubN: this.model.hubWeight(h.id) };
    return pair + (this.net.forward(this.netFeatures(parts[j], h, t, this.typicals[same] ?? undefined, this.feat)) - 0.5) * 2 * NET_RANGE;
  }

  // ---- scoring ----

  /** Predicted running time of `parts` (units `U`) on `h`, ms, stage one: history only. */
  /** The kind term of part j on kind k for the decision under way (parts repeat: loops run again). */
  private kindTermOf(parts: readonly PartView[], j: number, k: number): number {
    const same = this.sameAs[j];
    if (same !== j) return this.kindTermOf(parts, same, k);
    const at = j * KINDS + k;
    let v = this.termMemo[at];
    if (Number.isNaN(v)) this.termMemo[at] = v = this.model.kindTerm(parts[j], k, this.sizes[j], this.bases[j], this.optimism);
    return v;
  }

  /** Sets up the decision's per-part memo: each part's base, and which earlier part it repeats. */
  private startDecision(parts: readonly PartView[], sizes: readonly number[], optimism: number): void {
    this.sizes = sizes;
    this.optimism = optimism;
    this.kindSums.fill(NaN);
    if (this.termMemo.length < parts.length * KINDS) this.termMemo = new Float64Array(parts.length * KINDS * 2);
    if (this.plainMemo.length < this.termMemo.length) { this.plainMemo = new Float64Array(this.termMemo.length); this.weightMemo = new Float64Array(this.termMemo.length); }
    this.termMemo.fill(NaN, 0, parts.length * KINDS);
    this.plainMemo.fill(NaN, 0, parts.length * KINDS);
    this.typicals.length = 0;
    for (let j = 0; j < parts.length; j++) this.typicals.push(null);
    this.bases.length = this.sameAs.length = 0;
    for (let j = 0; j < parts.length; j++) {
      let same = j;
      for (let i = 0; i < j; i++) if (parts[i].template === parts[j].template && PaceModel.sizeBucket(sizes[i]) === PaceModel.sizeBucket(sizes[j])) { same = i; break; }
      this.sameAs.push(same);
      this.bases.push(same === j ? this.model.base(parts[j].template) : this.bases[same]);
    }
  }

  private runMs(parts: readonly PartView[], U: readonly number[], h: HubView, logPace: number): number {
    const k = kindIndex(h);
    let sum = this.kindSums[k];
    if (Number.isNaN(sum)) {
      sum = 0;
      for (let j = 0; j < parts.length; j++) sum += U[j] * Math.exp(-this.kindTermOf(parts, j, k));
      this.kindSums[k] = sum;
    }
    return sum * Math.exp(-logPace);
  }

  /** Stage two: with each part's correction (pair term, network). */
  private runMsCorrected(parts: readonly PartView[], U: readonly number[], h: HubView, logPace: number): number {
    const k = kindIndex(h);
    let sum = 0;
    for (let j = 0; j < parts.length; j++) sum += U[j] * Math.exp(-this.kindTermOf(parts, j, k) - this.correction(parts, j, h, k));
    return sum * Math.exp(-logPace);
  }

  /** Time until a slot frees on `h`, ms; its recent pace (hubTerm) scales what its adverts imply. */
  private waitMs(h: HubView, run: number, hubTerm: number): number {
    if (h.busy < h.slots) return 0;
    if (h.freeInMs !== undefined) return h.freeInMs;
    if (h.queuedWork === undefined || h.runningWork === undefined) return (h.queue + 1) * run;
    return ((h.queuedWork + h.runningWork) / h.slots / Math.max(0.1, h.speed)) * (1 + h.cpu) * Math.exp(-hubTerm);
  }

  /** What joining h's queue costs the fragments after this one (queueChargeMs: nothing where a slot is free). */
  private queueCost(h: HubView, charge: number, run: number): number {
    return queueChargeMs(h, run, queueDepthCharge(charge, h.queue, this.opts.chargePerQueued));
  }

  private choose(f: FragmentView, hubs: readonly HubView[]): Decision {
    const parts = partsOf(f);
    const U = parts.map((p) => this.model.units(p));
    this.startDecision(parts, U, this.opts.optimism);
    const overhead = this.model.moveOverheadMs();
    const readMs = this.model.reads(f);
    const charge = loadScaledCharge(clusterLoad(hubs), this.opts.queueChargePerLoad);
    const k = Math.min(this.opts.rerank, hubs.length);
    const top: Array<{ i: number; score: number; ms: number; lp: number; fixed: number }> = [];
    for (let i = 0; i < hubs.length; i++) {
      const h = hubs[i];
      const hubTerm = this.model.hubTerm(h.id);
      const lp = advertisedLogPace(h) + hubTerm;
      const run = this.runMs(parts, U, h, lp);
      const fixed = this.waitMs(h, run, hubTerm) + (f.at !== undefined && f.at !== h.id ? transferMs(f.stateBytes, h) + overhead : 0)
        + readMs(h);
      const score = run + fixed + this.queueCost(h, charge, run);
      if (top.length < k || score < top[top.length - 1].score) {
        let at = top.length < k ? top.length : k - 1;
        while (at > 0 && top[at - 1].score > score) { if (at < k) top[at] = top[at - 1]; at--; }
        top[at] = { i, score, ms: run + fixed, lp, fixed };
      }
    }
    // Stage two for the best few: each part's correction (the template on that very hub,
    // and the network's once trained).
    for (const c of top) {
      const h = hubs[c.i];
      const run = this.runMsCorrected(parts, U, h, c.lp);
      c.ms = run + c.fixed;
      c.score = c.ms + this.queueCost(h, charge, run);
    }
    top.sort((a, b) => a.score - b.score);
    this.epsilon = Math.max(this.opts.epsilonMin, this.epsilon * this.opts.decay);
    let pick = 0;
    if (top.length > 1 && this.rand() < this.epsilon) {
      // Explore near the top: a hub scored within 1.5x of the best, never one far off.
      const near = top.slice(1, 3).filter((c) => c.score <= 1.5 * top[0].score);
      if (near.length) pick = 1 + Math.floor(this.rand() * near.length);
    }
    const c = top[pick];
    return { hub: hubs[c.i].id, policy: 'learned', explored: pick > 0 || undefined, predictedMs: c.ms };
  }

  /**
   * What `run` has left on `holder`, ms: the history's prediction, pulled towards the pace
   * measured there (the longer the measurement, the more), for this fragment and the ones
   * after it. A hub advertises the least of these over its slots as HubView.freeInMs.
   */
  predictMs(run: Pick<RunView, 'rest' | 'done' | 'recent'>, holder: HubView): number {
    return this.stay(run, holder).ms;
  }

  /** predictMs, and how much the measured pace weighed; leaves parts, U and sizes set for the candidates. */
  private stay(run: Pick<RunView, 'rest' | 'done' | 'recent'>, holder: HubView): { ms: number; histMs: number; w: number; parts: readonly PartView[]; U: number[] } {
    const f = run.rest;
    const parts = partsOf(f);
    const U = parts.map((p) => this.model.units(p));
    // Sizes are whole runs' (the history's buckets); U[0] is what is left of the first.
    this.startDecision(parts, U.slice(), 0);
    U[0] = Math.max(U[0] - run.done, 0.1 * U[0]);
    const lpHere = advertisedLogPace(holder) + this.model.hubTerm(holder.id);
    const corr0 = this.correction(parts, 0, holder, kindIndex(holder));
    const predicted0 = lpHere + this.kindTermOf(parts, 0, kindIndex(holder)) + corr0;
    const w = run.recent.ms > 0 && run.recent.units > 0 ? run.recent.ms / (run.recent.ms + 300) : 0;
    const adjust = w > 0 ? w * (Math.log(run.recent.units / run.recent.ms) - predicted0) : 0;
    const data = f.datasets.length ? this.model.readMs(f, holder) : 0;
    const ms = this.runMsCorrected(parts, U, holder, lpHere + adjust) + data;
    // The same without the measured pace: the run time scales as e^-logPace, so no second pass.
    const histMs = adjust === 0 ? ms : (ms - data) * Math.exp(adjust) + data;
    return { ms, histMs, w, parts, U };
  }

  /**
   * The history's decays count to its latest measurement, not to `now`, so a replay of a
   * log decides alike; `now` only dates a look's leaning.
   */
  private consider(run: RunView, holder: HubView, hubs: readonly HubView[], now: number): ReweaveDecision {
    if (!movesAllowed(run, this.opts.movesPerMinute)) return { policy: 'learned' };
    const f = run.rest;
    const { ms: stayMs, histMs, w, parts, U } = this.stay(run, holder);

    const overhead = this.model.moveOverheadMs();
    const readMs = this.model.reads(f);
    const k = Math.min(this.opts.rerank, hubs.length);
    const top: Array<{ i: number; ms: number; lp: number; fixed: number }> = [];
    for (let i = 0; i < hubs.length; i++) {
      const h = hubs[i];
      if (h.id === holder.id) continue;
      const hubTerm = this.model.hubTerm(h.id);
      const lp = advertisedLogPace(h) + hubTerm;
      const runThere = this.runMs(parts, U, h, lp);
      const fixed = transferMs(f.stateBytes, h) + overhead + this.waitMs(h, runThere, hubTerm) + readMs(h);
      const ms = runThere + fixed;
      if (top.length < k || ms < top[top.length - 1].ms) {
        let at = top.length < k ? top.length : k - 1;
        while (at > 0 && top[at - 1].ms > ms) { if (at < k) top[at] = top[at - 1]; at--; }
        top[at] = { i, ms, lp, fixed };
      }
    }
    for (const c of top) c.ms = this.runMsCorrected(parts, U, hubs[c.i], c.lp) + c.fixed;
    top.sort((a, b) => a.ms - b.ms);
    // The chance that moving is faster: ln(stay / move) against how far predictions miss
    // (the pace here is known better the longer it was measured).
    const sigma = this.model.sigma();
    const sd = sigma * Math.sqrt(1 + (1 - w) * (1 - w));
    const options: MoveOption[] = top.map((c) => ({ hub: hubs[c.i].id, p: normalCdf(Math.log(stayMs / c.ms) / sd), predictedMs: c.ms }));
    const need = Math.max(this.opts.minGainMs, this.opts.minGain * stayMs);
    let best: MoveOption | undefined;
    let bestSaving = 0;
    for (const o of options) {
      const saving = stayMs - o.predictedMs;
      if (o.p >= this.opts.pMove && saving >= need && saving > bestSaving) { bestSaving = saving; best = o; }
    }
    this.moveEpsilon = Math.max(this.opts.moveEpsilonMin, this.moveEpsilon * this.opts.decay);
    // Explore only a move that may well pay (half the gain a move needs): between hubs of
    // about the same pace there is nothing to learn worth a move's cost.
    const worthExploring = best === undefined && options.length > 0 && run.movesLastMinute === 0 && options[0].p >= 0.5 && stayMs - options[0].predictedMs >= need / 2;
    const leaning = best?.hub ?? (worthExploring ? options[0].hub : undefined);
    // A move that only the pace measured in this look's window argues for needs the job's
    // look before to have leaned the same way: a window in which a busy machine starved the
    // slot (every hub on it alike) reads like a noisy neighbour of this hub alone, and on
    // real hubs two equal ones traded a job that way; a hub that did turn slow is slow a
    // look later too. A move the history argues for without that window (a faster kind of
    // hub, a hub term learned before) goes at once; an exploring move always waits a look.
    // The look before: this run's last (a lean older than a few looks is from an earlier stay here).
    const before = this.leaning.get(run.job);
    const confirmed = leaning !== undefined && before?.to === leaning && now - before.at <= LEAN_LOOKS * this.opts.everyMs;
    if (leaning === undefined) this.leaning.delete(run.job);
    else this.leaning.set(run.job, { to: leaning, at: now });
    const histSaving = best ? histMs - best.predictedMs : 0;
    const historyBacked = best !== undefined && histSaving >= Math.max(this.opts.minGainMs, this.opts.minGain * histMs)
      && normalCdf(Math.log(histMs / best.predictedMs) / (sigma * Math.SQRT2)) >= this.opts.pMove;
    let to: string | undefined;
    let explored: boolean | undefined;
    if (best !== undefined && (confirmed || historyBacked)) to = best.hub;
    else if (confirmed && worthExploring && this.rand() < this.moveEpsilon) { to = leaning; explored = true; }
    if (to !== undefined) this.leaning.delete(run.job);
    options.sort((a, b) => b.p - a.p);
    return { to, policy: 'learned', explored, stayMs, options: options.slice(0, 3), leaning: to === undefined ? leaning : undefined };
  }

  // ---- keeping and sharing ----

  /** Sets this network's weights to `share` of its own plus the rest of `other`'s. */
  averageNetWith(other: LearnedWeaver, share: number): void {
    const mine = this.net.weights();
    const theirs = other.net.weights();
    for (let i = 0; i < mine.length; i++) mine[i] = mine[i] * share + theirs[i] * (1 - share);
    this.net.setWeights(mine);
  }

  toJSON(): WeaverState {
    return {
      version: 2, kind: 'weave-weaver', options: this.opts, history: this.model.history.snapshot(), net: this.net.toJSON(),
      trained: this.trained, epsilon: this.epsilon, moveEpsilon: this.moveEpsilon,
    };
  }

  /** A weaver from toJSON() output. Throws on a state it cannot use. */
  static fromJSON(state: WeaverState): LearnedWeaver {
    if (!state || state.version !== 2 || state.kind !== 'weave-weaver') throw new Error('not a weave learned-weaver state (version 2)');
    const w = new LearnedWeaver(state.options);
    w.model.history.merge(state.history);
    w.net.load(state.net);
    w.trained = state.trained;
    w.epsilon = state.epsilon;
    w.moveEpsilon = state.moveEpsilon;
    for (const cells of Object.values(state.history.cells)) for (const c of Object.values(cells)) w.model.now = Math.max(w.model.now, c[3]);
    return w;
  }
}

/**
 * What two replicas learned, together: their histories merged (exactly: see
 * pace-history.ts) and their networks averaged, each weighted by the samples it trained
 * on (federated averaging: an approximation, fair when both learned from similar hubs).
 * Either may be the newer; merging in either order gives the same history.
 */
export function mergeWeaverStates(a: WeaverState, b: WeaverState): WeaverState {
  const wa = LearnedWeaver.fromJSON(a);
  const wb = LearnedWeaver.fromJSON(b);
  wa.model.history.merge(b.history);
  const total = a.trained + b.trained;
  if (total > 0) wa.averageNetWith(wb, a.trained / total);
  const s = wa.toJSON();
  return { ...s, trained: total, epsilon: Math.min(a.epsilon, b.epsilon), moveEpsilon: Math.min(a.moveEpsilon, b.moveEpsilon) };
}
