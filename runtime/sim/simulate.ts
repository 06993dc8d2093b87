/**
 * A discrete-event simulation of a weave cluster running a placement policy: jobs arrive,
 * each runs its program's fragments one after another, and every fragment (and every
 * restart after a hub failure) is placed by the policy from the same views a live engine
 * builds. Hubs run `slots` fragments at once and queue the rest; a fragment's time there
 * is its wait, moving its state, reading its dataset (locally, or from a hub that holds
 * it), and running at the hub's speed, its hidden acceleration and its background load.
 *   const r = simulate(new LearnedPolicy(), { cluster, programs, jobs: 2000, seed: 1 });
 *   r.meanJobMs
 */
import type { Decision, FragmentView, HubView, PlacementPolicy } from '../policy/types.js';
import type { DecisionRecord } from '../policy/log.js';
import { estimatedWorkMs } from '../policy/estimates.js';
import {
  LOCAL_READ_BYTES_PER_MS, acceleration, linkMs, loadAt, rng, type FragmentTemplate, type Program, type SimHub,
} from './model.js';

export interface SimOptions {
  cluster: { hubs: SimHub[]; datasets: string[] };
  programs: Program[];
  jobs: number;
  /** Mean time between job arrivals, ms. */
  interarrivalMs: number;
  seed?: number;
  /** Milliseconds of work per unit of weave build's static estimate, on a speed-1 hub. */
  msPerEstimate?: number;
  /** Spread of the true work around the static estimate (lognormal sigma), per template. */
  estimateSigma?: number;
  failures?: boolean;
  /** Sample decision latency every N decisions (µs). @default 97 */
  latencyEvery?: number;
  /** Every completed placement, as a decision log record. */
  onOutcome?: (rec: DecisionRecord) => void;
  /**
   * How the oracle weighs the delay its choice imposes on later fragments (see
   * oracleCost); 0 is plain earliest completion. Only read when the oracle places.
   * @default 0
   */
  oracleExternality?: number;
}

export interface SimResult {
  policy: string;
  jobs: number;
  decisions: number;
  meanJobMs: number;
  /** Mean over jobs that arrived after the first `warmupJobs` (set by the caller). */
  meanJobMsAfter(warmupJobs: number): number;
  /**
   * A proven lower bound on meanJobMsAfter(warmupJobs) under any placement policy: each
   * job alone on the cluster, every fragment on the hub where it would finish soonest at
   * that hub's lightest background load, with its true work, state moves free, every
   * dataset holder up, no queueing and no failures.
   */
  lowerBoundMsAfter(warmupJobs: number): number;
  /** Job completion times in arrival order, and the decision count when each ended. */
  completions: Array<{ job: number; ms: number; decision: number }>;
  decisionUs: number[];
  restarts: number;
  wallMs: number;
}

interface Job { id: number; program: Program; size: number; dataset?: string; arrival: number; next: number; at?: HubState }
interface Task { job: Job; tmpl: FragmentTemplate; view: FragmentView; hubView: HubView; decision: Decision; placedAt: number; hub: HubState; startedAt?: number; endsAt?: number; epoch: number; candidates: number }
interface HubState { h: SimHub; up: boolean; running: Set<Task>; queue: Task[]; cpu: number; epoch: number }

type Event =
  | { t: number; kind: 'arrive'; job: Job }
  | { t: number; kind: 'finish'; task: Task }
  | { t: number; kind: 'fail' | 'recover'; hub: HubState }
  | { t: number; kind: 'advert' }
  | { t: number; kind: 'retry'; job: Job };

/** A binary min-heap of events by time (ties in insertion order). */
class Events {
  private heap: Array<{ e: Event; seq: number }> = [];
  private seq = 0;
  get size(): number { return this.heap.length; }
  push(e: Event): void {
    const h = this.heap;
    h.push({ e, seq: this.seq++ });
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (this.less(h[i], h[p])) { [h[i], h[p]] = [h[p], h[i]]; i = p; } else break;
    }
  }
  pop(): Event {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top.e;
  }
  private less(a: { e: Event; seq: number }, b: { e: Event; seq: number }): boolean {
    return a.e.t < b.e.t || (a.e.t === b.e.t && a.seq < b.seq);
  }
}

/** The oracle: knows every true duration and places by them (see oracleCost). */
export const ORACLE = 'oracle';

export function simulate(policyOrOracle: PlacementPolicy | typeof ORACLE, opts: SimOptions): SimResult {
  const wall0 = performance.now();
  const r = rng(opts.seed ?? 1);
  const msPerEstimate = opts.msPerEstimate ?? 0.05;
  const sigma = opts.estimateSigma ?? 0.6;
  const latencyEvery = opts.latencyEvery ?? 97;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  // Per template: how far its true work is from what the static estimate says (hidden).
  const trueFactor = new Map<string, number>();
  for (const p of opts.programs) for (const f of p.fragments) if (!trueFactor.has(f.template)) trueFactor.set(f.template, Math.exp(sigma * gauss()));
  // Per template: measured compute time per unit of hub speed (what an engine learns).
  const measured = new Map<string, number>();

  const hubs: HubState[] = opts.cluster.hubs.map((h) => ({ h, up: true, running: new Set(), queue: [], cpu: loadAt(h, 0), epoch: 0 }));
  const events = new Events();
  let now = 0;
  let decisions = 0;
  let restarts = 0;
  const decisionUs: number[] = [];
  const completions: SimResult['completions'] = [];

  const work = (job: Job, f: FragmentTemplate) => f.estimate * msPerEstimate * trueFactor.get(f.template)! * job.size;
  const computeMs = (job: Job, f: FragmentTemplate, h: SimHub, t: number) => (work(job, f) / (h.speed * acceleration(f, h))) * (1 + loadAt(h, t));
  const dataMs = (job: Job, f: FragmentTemplate, h: SimHub) => {
    if (!f.data || !job.dataset) return 0;
    if (h.datasets.includes(job.dataset)) return f.dataBytes / LOCAL_READ_BYTES_PER_MS;
    let best = Infinity;
    for (const s of hubs) if (s.up && s.h.datasets.includes(job.dataset)) best = Math.min(best, linkMs(f.dataBytes, s.h, h));
    return best === Infinity ? linkMs(f.dataBytes, undefined, h) * 4 : best; // nobody up: a slow archive
  };
  const stateBytes = (f: FragmentTemplate) => f.memoryBytes;
  const trueMs = (job: Job, f: FragmentTemplate, h: HubState, t: number) =>
    (job.at && job.at !== h ? linkMs(stateBytes(f), job.at.h, h.h) : 0) + dataMs(job, f, h.h) + computeMs(job, f, h.h, t);

  const viewOf = (job: Job, f: FragmentTemplate): FragmentView => ({
    template: f.template, estimate: f.estimate * job.size, measuredMs: measured.has(f.template) ? measured.get(f.template)! * job.size : undefined,
    stateBytes: stateBytes(f), calls: { simd: f.simd, gpu: f.gpu }, requires: f.requires,
    datasets: f.data && job.dataset ? [{ name: job.dataset, bytes: f.dataBytes }] : [], at: job.at?.h.id,
  });
  // What a hub advertises about its queue: the engine's own estimates of the fragments in
  // it (never their true work), and for those running, what is left of that estimate
  // after the time they have run at the hub's speed and advertised load.
  const queuedWork = (s: HubState) => {
    let n = 0;
    for (const q of s.queue) n += estimatedWorkMs(q.view);
    return n;
  };
  const runningWork = (s: HubState) => {
    let n = 0;
    for (const r of s.running) n += Math.max(0, estimatedWorkMs(r.view) - ((now - r.startedAt!) * s.h.speed) / (1 + s.cpu));
    return n;
  };
  const hubViewOf = (job: Job, s: HubState): HubView => {
    const from = job.at?.h;
    return {
      id: s.h.id, slots: s.h.slots, busy: s.running.size, queue: s.queue.length, cpu: s.cpu, speed: s.h.speed,
      caps: { avx2: s.h.avx2, gpu: s.h.gpu }, datasets: s.h.datasets,
      rttMs: 2 * ((from ? from.latencyMs : 0.2) + s.h.latencyMs), mbps: Math.min(from ? from.mbps : 10_000, s.h.mbps),
      queuedWork: queuedWork(s), runningWork: runningWork(s), linkMbps: s.h.mbps,
    };
  };

  /**
   * The oracle's view of placing `f` on `s` now: its true completion there (replaying the
   * hub's running and queued fragments with their true durations, so `ms` is exact), and
   * the cost it minimizes: `ms`, plus `externality` times its true run time when it
   * would wait in the hub's queue. Without that term the oracle is greedy: it joins the
   * queue of a fast hub whenever that finishes this fragment sooner than an idle slower
   * hub would, and every later fragment that hub would have taken then waits the length
   * of this one's run behind it. (Measured on the standard workload: greedy 1,958 ms,
   * with the term 1,578 ms; charging run time on idle hubs as well made it worse.)
   */
  const externality = opts.oracleExternality ?? 0;
  const oracleCost = (job: Job, f: FragmentTemplate, s: HubState): { ms: number; cost: number } => {
    const free: number[] = [...s.running].map((t) => t.endsAt!);
    while (free.length < s.h.slots) free.push(now);
    free.sort((a, b) => a - b);
    for (const q of s.queue) {
      const start = free.shift()!;
      free.push(start + trueMs(q.job, q.tmpl, s, start));
      free.sort((a, b) => a - b);
    }
    const start = free[0];
    const run = trueMs(job, f, s, start);
    const ms = start - now + run;
    return { ms, cost: start > now ? ms + externality * run : ms };
  };

  const policy: PlacementPolicy = policyOrOracle === ORACLE ? {
    name: ORACLE,
    choose: () => { throw new Error('oracle decisions are made by the simulator'); },
  } : policyOrOracle;

  const startTask = (task: Task) => {
    const s = task.hub;
    s.running.add(task);
    task.startedAt = now;
    const ms = trueMs(task.job, task.tmpl, s, now);
    task.endsAt = now + ms;
    events.push({ t: task.endsAt, kind: 'finish', task });
  };

  const place = (job: Job) => {
    const f = job.program.fragments[job.next];
    const able = hubs.filter((s) => s.up && f.requires.every((c) => (c === 'gpu' ? s.h.gpu : s.h.avx2)));
    if (!able.length) { events.push({ t: now + 1000, kind: 'retry', job }); return; }
    const view = viewOf(job, f);
    const views = able.map((s) => hubViewOf(job, s));
    decisions++;
    const timed = decisions % latencyEvery === 0;
    const t0 = timed ? performance.now() : 0;
    let decision: Decision;
    if (policyOrOracle === ORACLE) {
      let best = 0;
      let bestMs = Infinity;
      let bestCost = Infinity;
      for (let i = 0; i < able.length; i++) {
        const { ms, cost } = oracleCost(job, f, able[i]);
        if (cost < bestCost) { bestCost = cost; bestMs = ms; best = i; }
      }
      decision = { hub: views[best].id, policy: ORACLE, predictedMs: bestMs };
    } else {
      decision = policy.choose(view, views);
    }
    if (timed) decisionUs.push((performance.now() - t0) * 1000);
    const i = views.findIndex((v) => v.id === decision.hub);
    if (i < 0) throw new Error(`${policy.name} chose '${decision.hub}', not a candidate`);
    const s = able[i];
    const task: Task = { job, tmpl: f, view, hubView: views[i], decision, placedAt: now, hub: s, epoch: s.epoch, candidates: views.length };
    if (s.running.size < s.h.slots) startTask(task);
    else s.queue.push(task);
  };

  // Arrivals, Poisson.
  const allJobs: Job[] = [];
  let t = 0;
  for (let id = 0; id < opts.jobs; id++) {
    t += -Math.log(1 - r()) * opts.interarrivalMs;
    const program = opts.programs[Math.floor(r() * opts.programs.length)];
    const usesData = program.fragments.some((f) => f.data);
    const job: Job = {
      id, program, size: Math.exp(0.3 * gauss()), arrival: t, next: 0,
      dataset: usesData ? opts.cluster.datasets[Math.floor(r() * opts.cluster.datasets.length)] : undefined,
    };
    allJobs.push(job);
    events.push({ t, kind: 'arrive', job });
  }
  const horizon = t;
  for (let at = 2000; at < horizon * 3 + 600_000; at += 2000) events.push({ t: at, kind: 'advert' });
  if (opts.failures ?? true) {
    for (const s of hubs) if (Number.isFinite(s.h.mtbfMs)) events.push({ t: -Math.log(1 - r()) * s.h.mtbfMs, kind: 'fail', hub: s });
  }

  let finished = 0;
  while (events.size && finished < opts.jobs) {
    const e = events.pop();
    now = e.t;
    switch (e.kind) {
      case 'arrive': place(e.job); break;
      case 'retry': place(e.job); break;
      case 'advert': for (const s of hubs) s.cpu = loadAt(s.h, now) + (s.running.size + s.queue.length) / s.h.slots * 0.1; break;
      case 'fail': {
        const s = e.hub;
        s.up = false;
        s.epoch++;
        const lost = [...s.running, ...s.queue];
        s.running.clear();
        s.queue = [];
        for (const task of lost) {
          restarts++;
          // Its state died with the hub: restart the fragment from the engine's copy.
          if (task.job.at === s) task.job.at = undefined;
          place(task.job);
        }
        events.push({ t: now + 10_000 + r() * 20_000, kind: 'recover', hub: s });
        break;
      }
      case 'recover': {
        e.hub.up = true;
        events.push({ t: now + -Math.log(1 - r()) * e.hub.h.mtbfMs, kind: 'fail', hub: e.hub });
        break;
      }
      case 'finish': {
        const task = e.task;
        const s = task.hub;
        if (task.epoch !== s.epoch || !s.running.has(task)) break; // lost in a failure
        s.running.delete(task);
        const next = s.queue.shift();
        if (next) startTask(next);
        const job = task.job;
        const ms = now - task.placedAt;
        policy.observe?.(task.view, task.hubView, ms, task.decision);
        opts.onOutcome?.({ t: now, policy: task.decision.policy, fragment: task.view, hub: task.hubView, candidates: task.candidates, predictedMs: task.decision.predictedMs, ms });
        const compute = computeMs(job, task.tmpl, s.h, now) * s.h.speed / job.size;
        const m = measured.get(task.tmpl.template);
        measured.set(task.tmpl.template, m === undefined ? compute : m * 0.9 + compute * 0.1);
        job.at = s;
        job.next++;
        if (job.next < job.program.fragments.length) {
          place(job);
        } else {
          finished++;
          completions.push({ job: job.id, ms: now - job.arrival, decision: decisions });
        }
        break;
      }
    }
  }
  const byJob = [...completions].sort((a, b) => a.job - b.job);
  const meanAfter = (skip: number) => {
    const xs = byJob.filter((c) => c.job >= skip);
    return xs.reduce((n, c) => n + c.ms, 0) / Math.max(1, xs.length);
  };
  // The lower bound's data reads: locally where the hub holds the dataset, else from the
  // best holder (all of them up), per (dataset, bytes, hub).
  const boundReads = new Map<string, number>();
  const boundDataMs = (job: Job, f: FragmentTemplate, h: SimHub) => {
    if (!f.data || !job.dataset) return 0;
    if (h.datasets.includes(job.dataset)) return f.dataBytes / LOCAL_READ_BYTES_PER_MS;
    const key = `${job.dataset}|${f.dataBytes}|${h.id}`;
    let best = boundReads.get(key);
    if (best === undefined) {
      best = Infinity;
      for (const s of opts.cluster.hubs) if (s.datasets.includes(job.dataset)) best = Math.min(best, linkMs(f.dataBytes, s, h));
      if (best === Infinity) best = linkMs(f.dataBytes, undefined, h) * 4;
      boundReads.set(key, best);
    }
    return best;
  };
  const jobBound = (job: Job) => {
    let total = 0;
    for (const f of job.program.fragments) {
      let best = Infinity;
      for (const h of opts.cluster.hubs) {
        if (!f.requires.every((c) => (c === 'gpu' ? h.gpu : h.avx2))) continue;
        best = Math.min(best, boundDataMs(job, f, h) + (work(job, f) / (h.speed * acceleration(f, h))) * (1 + h.load.base));
      }
      total += best;
    }
    return total;
  };
  const boundAfter = (skip: number) => {
    const done = new Set(byJob.map((c) => c.job));
    const xs = allJobs.filter((j) => j.id >= skip && done.has(j.id));
    return xs.reduce((n, j) => n + jobBound(j), 0) / Math.max(1, xs.length);
  };
  return {
    policy: policy.name, jobs: completions.length, decisions, meanJobMs: meanAfter(0), meanJobMsAfter: meanAfter, lowerBoundMsAfter: boundAfter,
    completions, decisionUs, restarts, wallMs: performance.now() - wall0,
  };
}
