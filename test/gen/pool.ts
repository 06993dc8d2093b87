/**
 * Checks seeds on N worker threads (0: in this thread), handing the next seed to whichever
 * worker is free; results arrive in completion order. A worker error is a result too.
 *   await checkSeeds(seeds, job, 2, (r) => { if ('error' in r) …; else r.result.report });
 *   // stop early: return false from onResult
 */
import { Worker } from 'node:worker_threads';
import { checkSeed, type SeedJob, type SeedResult } from './check-module.js';

/** `timedOut`: the seed ran past PoolOptions.seedTimeoutMs and its worker was replaced. */
export type PoolResult = { seed: number; result: SeedResult } | { seed: number; error: string; timedOut?: boolean };

export interface PoolOptions {
  /**
   * A seed still running after this long is given up (its worker thread terminated and
   * replaced) and reported as an error with `timedOut`: a woven run that never ends where
   * plain asc does would otherwise hold its worker for ever. Worker threads only.
   */
  seedTimeoutMs?: number;
}

export async function checkSeeds(seeds: Iterable<number>, job: SeedJob, workers: number, onResult: (r: PoolResult) => boolean | void, opts: PoolOptions = {}): Promise<void> {
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
    let w: Worker;
    let timer: NodeJS.Timeout | undefined;
    const spawn = () => {
      w = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
      w.on('message', (r: PoolResult) => { clearTimeout(timer); deliver(r); feed(); });
      w.on('error', reject);
    };
    const feed = () => {
      const s = next();
      if (s === undefined) { void w.terminate().then(() => resolve()); return; }
      w.postMessage(s);
      if (opts.seedTimeoutMs) {
        timer = setTimeout(() => {
          const stuck = w;
          stuck.removeAllListeners('message');
          stuck.removeAllListeners('error');
          void stuck.terminate();
          deliver({ seed: s, error: `timed out: still running after ${opts.seedTimeoutMs! / 1000} s (replay it with --seed ${s} --count 1)`, timedOut: true });
          spawn();
          feed();
        }, opts.seedTimeoutMs);
      }
    };
    spawn();
    feed();
  })));
}
