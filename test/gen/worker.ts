/**
 * A worker process of the seed pool (test/gen/pool.ts): takes the job in its first
 * message, then checks the seeds it is sent, one at a time, and sends each SeedResult back
 * (or the error that stopped it), with the CPU time the seed took.
 *   fork(fileURLToPath(new URL('./worker.js', import.meta.url)), { serialization: 'advanced' })
 */
import { checkSeed, type SeedJob } from './check-module.js';

// Ctrl-C reaches the whole process group; the pool's owner decides what it means (fuzz:weave
// finishes the seeds in hand), so a worker ignores it and ends with its channel.
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));

let job: SeedJob | undefined;
process.on('message', async (m: { job: SeedJob } | number) => {
  if (typeof m !== 'number') {
    job = m.job;
    return;
  }
  const seed = m;
  const c0 = process.cpuUsage();
  const cpuMs = () => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
  try {
    const result = await checkSeed(seed, job!);
    process.send!({ seed, result, cpuMs: cpuMs() });
  } catch (err) {
    process.send!({ seed, error: (err as Error)?.stack ?? String(err), cpuMs: cpuMs() });
  }
});
