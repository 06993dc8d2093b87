/**
 * Checks seeds on N worker threads (0: in this thread), handing the next seed to whichever
 * worker is free; results arrive in completion order. A worker error is a result too.
 *   await checkSeeds(seeds, job, 2, (r) => { if ('error' in r) …; else r.result.report });
 *   // stop early: return false from onResult
 */
import { Worker } from 'node:worker_threads';
import { checkSeed, type SeedJob, type SeedResult } from './check-module.js';

export type PoolResult = { seed: number; result: SeedResult } | { seed: number; error: string };

export async function checkSeeds(seeds: Iterable<number>, job: SeedJob, workers: number, onResult: (r: PoolResult) => boolean | void): Promise<void> {
  const it = seeds[Symbol.iterator]();
  let stopped = false;
  const next = (): number | undefined => {
    if (stopped) return undefined;
    const n = it.next();
    return n.done ? undefined : n.value;
  };
  const deliver = (r: PoolResult) => { if (onResult(r) === false) stopped = true; };
  if (workers <= 0) {
    for (let s = next(); s !== undefined; s = next()) {
      try {
        deliver({ seed: s, result: await checkSeed(s, job) });
      } catch (err) {
        deliver({ seed: s, error: (err as Error)?.stack ?? String(err) });
      }
    }
    return;
  }
  await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
    const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
    const feed = () => {
      const s = next();
      if (s === undefined) { void w.terminate().then(() => resolve()); return; }
      w.postMessage(s);
    };
    w.on('message', (r: PoolResult) => { deliver(r); feed(); });
    w.on('error', reject);
    feed();
  })));
}
