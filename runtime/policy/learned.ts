/**
 * The learned placement scorer: a brain.js network that predicts, for a fragment and a
 * candidate hub, how long the fragment will take there (waiting, moving, reading data,
 * running), trained online from every placement that completes.
 *
 * It predicts that time as a correction to the hand-tuned cost model: the network's output
 * is ln(actual / cost-model estimate), scaled to (0, 1). An untrained network thus starts
 * out placing like the cost model, and what it learns is where the model is wrong (the
 * real speed-up of AVX2 or a GPU for this code, how long queues really take, slow links),
 * rather than relearning everything the model already gets right.
 *
 * - Choice: the hub with the least predicted time, plus a charge for one that would queue
 *   it (see queueChargeMs); with probability epsilon (decaying to
 *   a floor) a random hub instead, so it keeps learning about hubs it would not pick.
 * - Warm-up: until it has seen `warmup` outcomes it places with the hand-tuned cost model
 *   (and learns from those outcomes), so a new cluster is never placed at random.
 * - Training: each outcome goes into a replay buffer; every `trainEvery` outcomes the
 *   network takes one SGD step on each sample of a minibatch drawn from it, so old and
 *   new conditions both stay in what it learns.
 * - Target: ln(actual / estimate) over ±ln(RANGE), scaled to (0, 1).
 *
 * The network is a SmallNet (small-net.ts): brain.js 1.x's per-sample training step and
 * a forward pass over its weights, without `train()`/`run()`'s per-call checks, which
 * cost more than the network itself, and a decision scores up to a thousand hubs.
 *   const p = new LearnedPolicy({ seed: 1 });
 *   const d = p.choose(fragment, hubs);  ...  p.observe(fragment, hub, ms);
 */
import { NetShapeError, SmallNet } from './small-net.js';
import { FEATURE_COUNT, features } from './features.js';
import { costModelMs, costModelPolicy, costModelRunMs } from './baselines.js';
import { queueChargeMs } from './estimates.js';
import { uniform } from '../util/index.js';
import type { Decision, FragmentView, HubView, PlacementPolicy } from './types.js';

export interface LearnedOptions {
  hidden?: number[];
  learningRate?: number;
  /** Exploration: starts at `epsilon`, multiplied by `decay` per decision, floored at `epsilonMin`. */
  epsilon?: number;
  epsilonMin?: number;
  decay?: number;
  /** Outcomes kept for replay. */
  replay?: number;
  batch?: number;
  trainEvery?: number;
  /** Outcomes seen before the network places anything. */
  warmup?: number;
  /** Corrections up to this factor either way can be learned; a smaller range learns small ones faster. */
  range?: number;
  /** Charged on top of the predicted time of a hub that would queue (see queueChargeMs). @default DEFAULT_LEARNED_QUEUE_CHARGE */
  queueCharge?: number;
  seed?: number;
}

const FLOOR_MS = 0.01;

/** Best of 1–3 on the simulator's standard workload (1: 1,708 ms, 1.25: 1,684, 1.5:
 *  1,647, 2: 1,670, 3: 1,667; 1.5–3 are within the spread between seeds); more than the
 *  cost model's because its run times are closer to the truth. */
export const DEFAULT_LEARNED_QUEUE_CHARGE = 1.5;

export interface LearnedState { version: 1; options: Required<LearnedOptions>; net: unknown; seen: number; epsilon: number }

export class LearnedPolicy implements PlacementPolicy {
  readonly name = 'learned';
  private readonly opts: Required<LearnedOptions>;
  private readonly net: SmallNet;
  private readonly xs: Float32Array[] = [];
  private readonly ys: number[] = [];
  private next = 0;
  private seen = 0;
  private epsilon: number;
  private rand: () => number;
  private readonly warm = costModelPolicy();
  private scratch = new Float32Array(FEATURE_COUNT);
  private readonly logRange: number;

  /** ln(actual / model) over ±ln(range), into (0, 1). */
  private toTarget(ms: number, model: number): number {
    return Math.min(0.995, Math.max(0.005, 0.5 + Math.log(Math.max(FLOOR_MS, ms) / Math.max(FLOOR_MS, model)) / (2 * this.logRange)));
  }

  private fromTarget(y: number, model: number): number {
    return Math.max(FLOOR_MS, model) * Math.exp((y - 0.5) * 2 * this.logRange);
  }

  constructor(opts: LearnedOptions = {}) {
    this.opts = {
      hidden: opts.hidden ?? [12], learningRate: opts.learningRate ?? 0.1,
      epsilon: opts.epsilon ?? 0.05, epsilonMin: opts.epsilonMin ?? 0.005, decay: opts.decay ?? 0.999,
      replay: opts.replay ?? 20_000, batch: opts.batch ?? 32, trainEvery: opts.trainEvery ?? 2,
      warmup: opts.warmup ?? 1000, seed: opts.seed ?? 1, range: opts.range ?? 20,
      queueCharge: opts.queueCharge ?? DEFAULT_LEARNED_QUEUE_CHARGE,
    };
    this.epsilon = this.opts.epsilon;
    this.logRange = Math.log(this.opts.range);
    this.rand = uniform(this.opts.seed);
    // Sigmoid units (brain.js's default): an untrained network outputs about 0.5, which
    // here means "no correction", so it starts out placing like the cost model. Its
    // initial weights come from the seed, so two runs with one seed place alike.
    this.net = new SmallNet(FEATURE_COUNT, this.opts.hidden, { learningRate: this.opts.learningRate, momentum: 0.1, seed: this.opts.seed });
  }

  /** Predicted duration of `f` on `h`, ms. */
  predictMs(f: FragmentView, h: HubView): number {
    return this.fromTarget(this.net.forward(features(f, h, this.scratch)), costModelMs(f, h));
  }

  choose(f: FragmentView, hubs: readonly HubView[]): Decision {
    if (this.seen < this.opts.warmup) return { ...this.warm.choose(f, hubs), policy: 'learned', explored: true };
    this.epsilon = Math.max(this.opts.epsilonMin, this.epsilon * this.opts.decay);
    // Explore near the top: the second or third best by prediction, not any hub at
    // random (a random hub on a busy cluster costs far more than it teaches).
    const explore = hubs.length > 1 && this.rand() < this.epsilon;
    // Scores are predicted log-times, ln(model) + correction, plus the queue charge: the
    // correction scales the model's run time as it scales the whole, so charging
    // `queueCharge` runs multiplies the prediction by 1 + queueCharge * run / model.
    let best = 0, second = -1, third = -1;
    let bestY = Infinity, secondY = Infinity, thirdY = Infinity;
    for (let i = 0; i < hubs.length; i++) {
      const run = costModelRunMs(f, hubs[i]);
      const m = Math.max(FLOOR_MS, costModelMs(f, hubs[i], run));
      const y = Math.log(m) + Math.log1p(queueChargeMs(hubs[i], run, this.opts.queueCharge) / m)
        + (this.net.forward(features(f, hubs[i], this.scratch)) - 0.5) * 2 * this.logRange;
      if (y < bestY) { third = second; thirdY = secondY; second = best; secondY = bestY; best = i; bestY = y; }
      else if (y < secondY) { third = second; thirdY = secondY; second = i; secondY = y; }
      else if (y < thirdY) { third = i; thirdY = y; }
    }
    if (explore) {
      const pick = third >= 0 && this.rand() < 0.5 ? third : second >= 0 ? second : best;
      return { hub: hubs[pick].id, policy: 'learned', explored: true, predictedMs: this.predictMs(f, hubs[pick]) };
    }
    // The prediction without the queue charge: what the decision log scores.
    return { hub: hubs[best].id, policy: 'learned', predictedMs: this.predictMs(f, hubs[best]) };
  }

  observe(f: FragmentView, hub: HubView, ms: number): void {
    const x = features(f, hub);
    const y = this.toTarget(ms, costModelMs(f, hub));
    if (this.xs.length < this.opts.replay) {
      this.xs.push(x);
      this.ys.push(y);
    } else {
      this.xs[this.next] = x;
      this.ys[this.next] = y;
      this.next = (this.next + 1) % this.opts.replay;
    }
    this.seen++;
    if (this.seen % this.opts.trainEvery === 0) this.trainStep();
  }

  /** Extra passes over the replay buffer (offline training from logs). */
  fit(epochs: number): void {
    for (let e = 0; e < epochs; e++) for (let i = 0; i < this.xs.length; i++) this.net.train(this.xs[i], this.ys[i]);
  }

  /** Samples seen so far. */
  get outcomes(): number {
    return this.seen;
  }

  toJSON(): LearnedState {
    return { version: 1, options: this.opts, net: this.net.toJSON(), seen: this.seen, epsilon: this.epsilon };
  }

  /** A policy from `toJSON()` output (a --policy-file). Throws on a state it cannot use. */
  static fromJSON(state: LearnedState): LearnedPolicy {
    if (!state || state.version !== 1 || !state.net) throw new Error('not a weave learned-policy state (version 1)');
    const p = new LearnedPolicy(state.options);
    try {
      p.net.load(state.net);
    } catch (e) {
      if (e instanceof NetShapeError) throw new Error(`this learned-policy state has ${e.got} features, this weave has ${e.want}: train it again from a decision log`);
      throw e;
    }
    // A policy saved during its warm-up stays in it: the network has not earned the decisions yet.
    p.seen = state.seen;
    p.epsilon = state.epsilon;
    return p;
  }

  private trainStep(): void {
    const n = this.xs.length;
    for (let i = 0; i < this.opts.batch; i++) {
      const k = Math.floor(this.rand() * n);
      this.net.train(this.xs[k], this.ys[k]);
    }
  }
}
