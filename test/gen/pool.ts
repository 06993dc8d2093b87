/**
 * Checks seeds on N worker processes (0: in this thread), handing the next seed to whichever
 * worker is free; results arrive in completion order. A worker error is a result too.
 *
 * Processes, not worker threads: every restore the harness checks is a fresh instance,
 * whose memory is a fresh mapping, and threads of one process share one address space, so
 * their page faults, mmaps and munmaps contend (and each munmap interrupts the other
 * threads' cores to flush their TLBs). On this 2-core VM two worker threads checked 3.7
 * exports/s, one thread 3.9, two processes 5.9 (fuzz:weave's seeds, measured).
 *   await checkSeeds(seeds, job, 2, (r) => { if ('error' in r) …; else r.result.report });
 *   // stop early: return false from onResult
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkSeed, type SeedJob, type SeedResult } from './check-module.js';

/**
 * `timedOut`: the seed ran past PoolOptions.seedTimeoutMs and its worker was replaced.
 * `cpuMs`: the worker's CPU time on the seed (absent in this thread and on a timeout).
 */
export type PoolResult = ({ seed: number; result: SeedResult } | { seed: number; error: string; timedOut?: boolean }) & { cpuMs?: number };

export interface PoolOptions {
  /**
   * A seed still running after this long is given up (its worker thread terminated and
   * replaced) and reported as an error with `timedOut`: a woven run that never ends where
   * plain asc does would otherwise hold its worker for ever. Worker processes only.
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
  const worker = fileURLToPath(new URL('./worker.js', import.meta.url));
  await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
    let w: ChildProcess;
    let timer: NodeJS.Timeout | undefined;
    let seed: number | undefined;
    const spawn = () => {
      // 'advanced': structured clone, so a result's Uint8Array (a kept bundle) arrives as one.
      w = fork(worker, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      w.send({ job });
      w.on('message', (r: PoolResult) => { clearTimeout(timer); seed = undefined; deliver(r); feed(); });
      w.on('error', reject);
      // A worker that dies mid-seed (out of memory, a signal) loses that seed, not the run.
      w.on('exit', (code, signal) => {
        if (seed !== undefined) replace({ seed, error: `worker process ended (${signal ?? `exit ${code}`}) while checking seed ${seed}` });
      });
    };
    /** The seed in hand ends as `r`; a new worker takes the next. */
    const replace = (r: PoolResult) => {
      clearTimeout(timer);
      seed = undefined;
      deliver(r);
      spawn();
      feed();
    };
    const feed = () => {
      const s = next();
      if (s === undefined) { w.removeAllListeners('exit'); w.once('exit', () => resolve()); w.disconnect(); return; }
      seed = s;
      w.send(s);
      if (opts.seedTimeoutMs) {
        timer = setTimeout(() => {
          w.removeAllListeners();
          w.kill('SIGKILL');
          replace({ seed: s, error: `timed out: still running after ${opts.seedTimeoutMs! / 1000} s (replay it with --seed ${s} --count 1)`, timedOut: true });
        }, opts.seedTimeoutMs);
      }
    };
    spawn();
    feed();
  })));
}
