/**
 * A worker thread of the seed pool (test/gen/pool.ts): checks the seeds it is sent, one
 * at a time, and posts each SeedResult back (or the error that stopped it).
 *   new Worker(new URL('./worker.js', import.meta.url), { workerData: job })
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkSeed, type SeedJob } from './check-module.js';

const job = workerData as SeedJob;
parentPort!.on('message', async (seed: number) => {
  try {
    parentPort!.postMessage({ seed, result: await checkSeed(seed, job) });
  } catch (err) {
    parentPort!.postMessage({ seed, error: (err as Error)?.stack ?? String(err) });
  }
});
