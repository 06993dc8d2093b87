/**
 * The exact oracle for small instances (a few hubs, a few dozen jobs): branch and bound
 * over which hub each job runs on, with full knowledge (true work, true rates at every
 * moment, every dataset's holders), as a routed mesh runs them: a job starts where it is
 * placed and stays, each hub runs its jobs first come, first served on its slots. It
 * minimizes the jobs' total (so mean) completion time, from an empty cluster, without
 * failures.
 *
 * Depth first from greedy incumbents, then, with what is left of the budget, best first
 * (least bound next). The bound at a node: what the placed jobs take, plus for each job still to place the
 * least it could take on any hub: if a slot there is free when it arrives, its time there
 * starting then (ending is monotone in the start, so no schedule does better there);
 * else the wait until that hub's first slot frees (slots only free later as more jobs
 * are placed) plus its time at the hub's best moment (World.maxTimeFactor). Under `nodeLimit` nodes it proves the optimum; past it, it stops
 * and reports the best schedule found with the least bound of what it left unexplored,
 * so the result is optimal or provably within (meanMs - boundMs) of it.
 *
 * Its optimum is over schedules without moves. Moving a running job can do better
 * still; the simulator's oracle with moves (and the learned policy) may beat it, and a
 * report must say so when they do.
 *   const inst = makeInstance({ ..., pauseAfter: { jobs: 300, ms: 60_000 } });
 *   const r = exactSchedule({ hubs: cluster.hubs, world, jobs: inst.jobs.slice(300), work: inst.work });
 *   r.meanMs, r.boundMs, r.optimal
 */
import { Heap } from './heap.js';
import { LOCAL_READ_BYTES_PER_MS, linkMs, type FragmentTemplate, type SimHub } from './model.js';
import type { Instance, JobSpec } from './instance.js';
import { finishAt, type World } from './world.js';

export interface ExactOptions {
  hubs: readonly SimHub[];
  world: World;
  /** The jobs, in arrival order; the cluster is idle when the first arrives. */
  jobs: readonly JobSpec[];
  work: Instance['work'];
  /** Nodes to explore before settling for a bound. @default 2,000,000 */
  nodeLimit?: number;
}

export interface ExactResult {
  /** The hub of each job, in the jobs' order. */
  assignment: string[];
  /** Mean completion time of the best schedule found, ms. */
  meanMs: number;
  /** A proven lower bound on the mean of every schedule without moves (= meanMs when optimal). */
  boundMs: number;
  optimal: boolean;
  nodes: number;
}

export function exactSchedule(opts: ExactOptions): ExactResult {
  const { hubs, world, jobs, work } = opts;
  const n = jobs.length;
  const H = hubs.length;
  const limit = opts.nodeLimit ?? 2_000_000;
  const capable = (f: FragmentTemplate, h: SimHub) => f.requires.every((c) => (c === 'gpu' ? h.gpu : h.avx2));
  const readMs = (job: JobSpec, f: FragmentTemplate, h: SimHub) => {
    if (!f.data || !job.dataset) return 0;
    if (h.datasets.includes(job.dataset)) return f.dataBytes / LOCAL_READ_BYTES_PER_MS;
    let best = Infinity;
    for (const s of hubs) if (s.datasets.includes(job.dataset)) best = Math.min(best, linkMs(f.dataBytes, s, h));
    return best === Infinity ? linkMs(f.dataBytes, undefined, h) * 4 : best;
  };
  // The same arithmetic as the simulator's routed run: each fragment reads, then works.
  // Starts recur (they are other jobs' ends), so ends are remembered per (job, hub).
  const ends: Array<Map<number, number>> = Array.from({ length: n * H }, () => new Map());
  const endAt = (j: number, h: number, start: number) => {
    const memo = ends[j * H + h];
    let t = memo.get(start);
    if (t !== undefined) return t;
    const job = jobs[j];
    t = start;
    for (const f of job.program.fragments) t = finishAt(world, work(job, f), world.baseRate(job, f, hubs[h]), hubs[h], t + readMs(job, f, hubs[h]));
    memo.set(start, t);
    return t;
  };
  const able: boolean[][] = jobs.map((job) => hubs.map((h) => job.program.fragments.every((f) => capable(f, h))));
  // Each job's time on each hub if it started as it arrives: ending is monotone in the
  // start (work done by a time only grows with an earlier start), so this is the least it
  // can take there whenever a slot is free by then.
  const alone: number[][] = jobs.map((job, j) => hubs.map((_h, k) => (able[j][k] ? endAt(j, k, job.arrival) - job.arrival : Infinity)));
  // Later, at least its time at the hub's best moment (cheaper than integrating each time).
  const fastest: number[][] = jobs.map((job, j) => hubs.map((h, k) => {
    if (!able[j][k]) return Infinity;
    let ms = 0;
    for (const f of job.program.fragments) ms += readMs(job, f, h) + work(job, f) / (world.baseRate(job, f, h) * world.maxTimeFactor(h));
    return ms;
  }));
  // Slot free times, all hubs' slots in one array: hub k's are [first[k], first[k + 1]).
  const first: number[] = [0];
  for (const h of hubs) first.push(first[first.length - 1] + h.slots);
  const S = first[H];
  const firstFree = (free: Float64Array, k: number) => {
    let at = first[k];
    for (let s = first[k] + 1; s < first[k + 1]; s++) if (free[s] < free[at]) at = s;
    return at;
  };
  const boundOfRest = (free: Float64Array, from: number) => {
    let b = 0;
    for (let j = from; j < n; j++) {
      let best = Infinity;
      for (let k = 0; k < H; k++) {
        if (!able[j][k]) continue;
        const t = free[firstFree(free, k)];
        best = Math.min(best, t <= jobs[j].arrival ? alone[j][k] : t - jobs[j].arrival + fastest[j][k]);
      }
      b += best;
    }
    return b;
  };
  /** Places jobs from..n-1 greedily (earliest end plus `charge` runs when queued); the total added. */
  const complete = (free: Float64Array, from: number, picks: number[], charge: number): number => {
    let total = 0;
    for (let j = from; j < n; j++) {
      let pick = -1, pickCost = Infinity, pickEnd = 0, pickSlot = 0;
      for (let k = 0; k < H; k++) {
        if (!able[j][k]) continue;
        const s = firstFree(free, k);
        const start = Math.max(jobs[j].arrival, free[s]);
        const end = endAt(j, k, start);
        const cost = end - jobs[j].arrival + (start > jobs[j].arrival ? charge * (end - start) : 0);
        if (cost < pickCost) { pick = k; pickCost = cost; pickEnd = end; pickSlot = s; }
      }
      if (pick < 0) throw new Error(`job ${jobs[j].id} (${jobs[j].program.name}) fits no hub`);
      free[pickSlot] = pickEnd;
      total += pickEnd - jobs[j].arrival;
      picks.push(pick);
    }
    return total;
  };

  interface Node { j: number; total: number; bound: number; free: Float64Array; hub: number; parent: Node | undefined }
  const path = (node: Node | undefined): number[] => {
    const out: number[] = [];
    for (let x = node; x && x.j > 0; x = x.parent) out.push(x.hub);
    return out.reverse();
  };
  let bestTotal = Infinity;
  let bestAssign: number[] = [];
  const tryComplete = (node: Node) => {
    // Greedy completions: earliest end, and charging a queued job for its run, as the
    // simulator's oracle does; they give the search an incumbent to prune against.
    for (const charge of node.j === 0 ? [0, 1, 2, 3] : [0, 2]) {
      const picks: number[] = [];
      const total = node.total + complete(Float64Array.from(node.free), node.j, picks, charge);
      if (total < bestTotal) { bestTotal = total; bestAssign = [...path(node), ...picks]; }
    }
  };
  const root: Node = { j: 0, total: 0, bound: 0, free: new Float64Array(S).fill(-Infinity), hub: -1, parent: undefined };
  root.bound = boundOfRest(root.free, 0);
  tryComplete(root);

  // First depth first from the root, cheap per node, which often proves the optimum
  // outright; if not, best first (the open node of least bound next) with what remains of
  // the budget, so that when it stops the least bound left open is as high as it gets.
  let nodes = 0;
  let dfsOpen = Infinity;
  const dfsLimit = limit / 2;
  const assign: number[] = [];
  const free = Float64Array.from(root.free);
  const dfs = (j: number, total: number) => {
    if (j === n) {
      if (total < bestTotal) { bestTotal = total; bestAssign = assign.slice(); }
      return;
    }
    const bound = total + boundOfRest(free, j);
    if (bound >= bestTotal * (1 - 1e-12)) return;
    if (++nodes > dfsLimit) { dfsOpen = Math.min(dfsOpen, bound); return; }
    const children: Array<{ k: number; slot: number; end: number }> = [];
    for (let k = 0; k < H; k++) {
      if (!able[j][k]) continue;
      const slot = firstFree(free, k);
      children.push({ k, slot, end: endAt(j, k, Math.max(jobs[j].arrival, free[slot])) });
    }
    children.sort((x, y) => x.end - y.end);
    for (const c of children) {
      const old = free[c.slot];
      free[c.slot] = c.end;
      assign[j] = c.k;
      dfs(j + 1, total + c.end - jobs[j].arrival);
      free[c.slot] = old;
    }
  };
  dfs(0, 0);
  const open = new Heap<Node>((x, y) => x.bound - y.bound || y.j - x.j);
  if (dfsOpen < bestTotal * (1 - 1e-12)) open.push(root);
  while (open.size) {
    const node = open.pop();
    if (node.bound >= bestTotal * (1 - 1e-12)) { open.clear(); break; }
    if (++nodes > limit) { open.push(node); break; }
    if (nodes % 256 === 0) tryComplete(node);
    const j = node.j;
    for (let k = 0; k < H; k++) {
      if (!able[j][k]) continue;
      const slot = firstFree(node.free, k);
      const end = endAt(j, k, Math.max(jobs[j].arrival, node.free[slot]));
      const total = node.total + end - jobs[j].arrival;
      if (j + 1 === n) {
        if (total < bestTotal) { bestTotal = total; bestAssign = [...path(node), k]; }
        continue;
      }
      const next = Float64Array.from(node.free);
      next[slot] = end;
      const bound = total + boundOfRest(next, j + 1);
      if (bound < bestTotal * (1 - 1e-12)) open.push({ j: j + 1, total, bound, free: next, hub: k, parent: node });
    }
  }
  const openBound = open.size ? open.peek().bound : Infinity;
  const bound = Math.min(bestTotal, openBound);
  return {
    assignment: bestAssign.map((k) => hubs[k].id), meanMs: bestTotal / n, boundMs: bound / n,
    optimal: openBound >= bestTotal * (1 - 1e-12), nodes,
  };
}
