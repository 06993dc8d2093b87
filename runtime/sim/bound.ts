/**
 * A proven lower bound on any policy's time for a job: the job alone on the cluster, each
 * fragment on the hub where it would finish soonest at that hub's best moment (the
 * largest time factor its World ever gives), with its true work, every dataset holder
 * up, moving state free, no waiting and no failures. Every schedule, with moves or
 * without, takes at least this long for every job, so its mean is a bound on every
 * policy's mean; it ignores contention, so under load it is loose.
 *   const ms = lowerBound(world, cluster.hubs, job, works, job.dataset);
 */
import { LOCAL_READ_BYTES_PER_MS, linkMs, type Program, type SimHub } from './model.js';
import type { JobTraits, World } from './world.js';

/**
 * `works[i]` is the true work (units) of `job.program.fragments[i]`; `reads` caches the
 * best read of a dataset per (dataset, bytes, hub) across calls.
 */
export function lowerBound(world: World, hubs: readonly SimHub[], job: JobTraits & { program: Program }, works: readonly number[], dataset: string | undefined, reads = new Map<string, number>()): number {
  const readMs = (bytes: number, h: SimHub) => {
    if (!dataset) return 0;
    if (h.datasets.includes(dataset)) return bytes / LOCAL_READ_BYTES_PER_MS;
    const key = `${dataset}|${bytes}|${h.id}`;
    let best = reads.get(key);
    if (best === undefined) {
      best = Infinity;
      for (const s of hubs) if (s.datasets.includes(dataset)) best = Math.min(best, linkMs(bytes, s, h));
      if (best === Infinity) best = linkMs(bytes, undefined, h) * 4;
      reads.set(key, best);
    }
    return best;
  };
  let total = 0;
  job.program.fragments.forEach((f, i) => {
    let best = Infinity;
    for (const h of hubs) {
      if (!f.requires.every((c) => (c === 'gpu' ? h.gpu : h.avx2))) continue;
      const data = f.data ? readMs(f.dataBytes, h) : 0;
      best = Math.min(best, data + works[i] / (world.baseRate(job, f, h) * world.maxTimeFactor(h)));
    }
    total += best;
  });
  return total;
}

/**
 * The simulator's result curves: the mean time of the jobs from id `skip` on, and the mean
 * of their lower bounds (`bound`, handed one read cache per call).
 */
export function completionMeans<J extends { id: number }>(completions: ReadonlyArray<{ job: number; ms: number }>, jobs: readonly J[], bound: (job: J, reads: Map<string, number>) => number): { meanAfter: (skip: number) => number; boundAfter: (skip: number) => number } {
  const byJob = [...completions].sort((a, b) => a.job - b.job);
  const done = new Set(byJob.map((c) => c.job));
  const mean = (xs: readonly number[]) => xs.reduce((n, x) => n + x, 0) / Math.max(1, xs.length);
  return {
    meanAfter: (skip) => mean(byJob.filter((c) => c.job >= skip).map((c) => c.ms)),
    boundAfter: (skip) => {
      const reads = new Map<string, number>();
      return mean(jobs.filter((j) => j.id >= skip && done.has(j.id)).map((j) => bound(j, reads)));
    },
  };
}
