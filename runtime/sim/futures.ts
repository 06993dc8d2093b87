/**
 * Exact futures: when a job would end on a hub if it started there at a given time, with
 * every true duration (the World's), as the simulator will run it. The oracle decides by
 * these, so its predictions are the outcomes whenever nothing it cannot know (a failure)
 * happens. The arithmetic is the simulator's own (startFragment, finish): a change to one
 * is a change to the other.
 *   const f = exactFutures({ world, work, dataMs, lastFragment, hubs, now: () => now, externality: 2 });
 *   const { index, ms } = f.oraclePlace(job, candidates);
 */
import { clusterLoad, loadScaledCharge, queueDepthCharge } from '../policy/index.js';
import { linkMs, type FragmentTemplate, type SimHub } from './model.js';
import { finishAt, type World } from './world.js';
import type { HubState, Job, OracleExternality, Task } from './sim-types.js';

export interface FutureSource {
  world: World;
  /** True units of `f` for `job`. */
  work(job: Job, f: FragmentTemplate): number;
  /** What reading `f`'s data costs on `h`, ms. */
  dataMs(job: Job, f: FragmentTemplate, h: SimHub): number;
  /** The last fragment a placement of `job` covers. */
  lastFragment(job: Job): number;
  hubs: readonly HubState[];
  now(): number;
  /**
   * Runs of a queued job's own time charged on top (see oraclePlace); 'load':
   * loadScaledCharge of the true load; 'load-queue': that and the queue's depth
   * (queueDepthCharge), as the learned weaver charges.
   */
  externality: OracleExternality;
}

/** The state a job would start from: where its state is, whether its data is still to read, what it still owes, units left. */
export type StartState = Pick<Job, 'at' | 'fresh' | 'pending' | 'left'>;

export interface ExactFutures {
  /** When `job`, from `state`, would finish what a placement covers if it started on `s` at `start` and stayed. */
  endIfStarted(job: Job, s: HubState, start: number, state?: StartState): number;
  /** When `task`'s job would end where it runs (cached on the task until it changes). */
  freesAt(task: Task): number;
  /**
   * Where the oracle places `job` now: the candidate of least cost, and the job's true
   * completion there, ms (the hub's running and queued jobs replayed with their true
   * durations). The cost is that completion, plus the externality times the job's true run
   * where it would wait in the queue. Without that term the oracle is greedy: it joins a
   * fast hub's queue whenever that finishes this job sooner than an idle slower hub would,
   * and every later job that hub would have taken waits.
   */
  oraclePlace(job: Job, candidates: readonly HubState[]): { index: number; ms: number };
  /** When `job` (in `state`) would end on `s` if it joined its queue at `arrive`. */
  endAfterQueue(job: Job, s: HubState, arrive: number, state: StartState): number;
}

export function exactFutures(src: FutureSource): ExactFutures {
  const { world, work, dataMs, lastFragment } = src;
  const endIfStarted = (job: Job, s: HubState, start: number, state: StartState = job): number => {
    let t = start;
    for (let i = job.next; i <= lastFragment(job); i++) {
      const f = job.program.fragments[i];
      const first = i === job.next;
      const delay = first
        ? (state.at && state.at !== s ? linkMs(f.memoryBytes, state.at.h, s.h) : 0) + (state.fresh ? dataMs(job, f, s.h) : 0) + state.pending
        : dataMs(job, f, s.h);
      t = finishAt(world, first ? state.left : work(job, f), world.baseRate(job, f, s.h), s.h, t + delay);
    }
    return t;
  };
  const freesAt = (task: Task): number => {
    if (Number.isNaN(task.freesAt)) {
      let t = task.endsAt;
      const job = task.job;
      for (let i = job.next + 1; i <= lastFragment(job); i++) {
        const f = job.program.fragments[i];
        t = finishAt(world, work(job, f), world.baseRate(job, f, task.hub.h), task.hub.h, t + dataMs(job, f, task.hub.h));
      }
      task.freesAt = t;
    }
    return task.freesAt;
  };
  /** When the first slot of `s` frees for a job that arrives at `arrive`, after its queue. */
  const slotFrees = (s: HubState, arrive: number): number => {
    const free: number[] = [];
    for (const t of s.running) free.push(freesAt(t));
    while (free.length < s.h.slots) free.push(arrive);
    free.sort((a, b) => a - b);
    for (const q of s.queue) {
      const start = free.shift()!;
      free.push(endIfStarted(q.job, s, start));
      free.sort((a, b) => a - b);
    }
    return Math.max(arrive, free[0]);
  };
  /** The externality now: the charge, or the learned weaver's rule on the true load of the hubs that are up. */
  const externality = (): number => {
    if (typeof src.externality === 'number') return src.externality;
    const up = src.hubs.filter((s) => s.up).map((s) => ({ busy: s.running.size, slots: s.h.slots, queue: s.queue.length }));
    return loadScaledCharge(clusterLoad(up));
  };
  const byDepth = src.externality === 'load-queue';
  /** The charge for joining s's queue. */
  const charged = (x: number, s: HubState): number => (byDepth ? queueDepthCharge(x, s.queue.length) : x);
  return {
    endIfStarted,
    freesAt,
    oraclePlace(job, candidates) {
      const now = src.now();
      // Computed once a decision, and only when some candidate would queue.
      let x: number | undefined;
      let index = 0, bestMs = Infinity, bestCost = Infinity;
      for (let i = 0; i < candidates.length; i++) {
        const s = candidates[i];
        const start = slotFrees(s, now);
        const end = endIfStarted(job, s, start);
        const ms = end - now;
        const cost = start > now ? ms + charged(x ??= externality(), s) * (end - start) : ms;
        if (cost < bestCost) { bestCost = cost; bestMs = ms; index = i; }
      }
      return { index, ms: bestMs };
    },
    endAfterQueue: (job, s, arrive, state) => endIfStarted(job, s, slotFrees(s, arrive), state),
  };
}
