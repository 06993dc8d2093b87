/**
 * Attaching to a durable job by id: its result once it is over, however it ends. While it
 * runs, this client watches that some hub still runs its current attempt; when none has
 * for a while (its hub died while no client watched), it takes the job over as a new
 * attempt from the newest stored checkpoint.
 *   const r = await attachRouted(mesh, '9f3c…', {});
 */
import { loadBundle } from '../../exec/index.js';
import { JobRecordMissing } from '../../net/index.js';
import { sleep } from '../../util/index.js';
import { JobError } from '../errors.js';
import type { JobOptions, JobResult } from '../job.js';
import type { RoutedTransport } from '../transport.js';
import { settledResult } from './ledger.js';
import { newestStored } from './recovery.js';
import { defaultIdentity, liveSigner, runRouted } from './run.js';

/** How long an attempt may go unseen in every advert before an attached client takes it over. */
const UNSEEN_MS = 7000;
/** How often the record and the adverts are looked at. */
const WATCH_MS = 500;

/** Throws JobRecordMissing for an unknown id, JobError when there are no records or the bundle is gone. */
export async function attachRouted(transport: RoutedTransport, job: string, opts: Omit<JobOptions, 'args'>): Promise<JobResult> {
  const t0 = performance.now();
  const me = opts.identity ?? defaultIdentity();
  const jobs = await transport.jobs();
  if (!jobs) throw new JobError('this NATS server keeps no job records (JetStream is off), so there is nothing to attach to');
  const rec = await jobs.get(job);
  if (!rec) throw new JobRecordMissing(job);
  const bytes = await jobs.bundle(rec.bundle);
  if (!bytes) throw new JobError(`job ${job}: its bundle ${rec.bundle.slice(0, 12)} is gone from the job store`);
  const bundle = await loadBundle(bytes);
  const info = bundle.manifest.entries.find((e) => e.name === rec.entry);
  if (!info) throw new JobError(`job ${job}: its bundle has no entry '${rec.entry}'`);
  opts.onStart?.(job);
  const ac = new AbortController();
  const settled = jobs.settled(job, ac.signal);
  try {
    for (let cur = rec, seen = Date.now(); ;) {
      const done = await Promise.race([settled, sleep(WATCH_MS).then(() => undefined)]);
      // The result counts only signed by the hub that committed it (checkCommitted).
      if (done) return settledResult(jobs, info, done, t0, undefined, liveSigner(transport));
      const now = await jobs.get(job);
      if (!now) throw new JobRecordMissing(job);
      if (now.state !== 'running') return settledResult(jobs, info, now, t0, undefined, liveSigner(transport));
      const key = `${job}.${now.attempt}`;
      if (now.attempt !== cur.attempt || transport.running(key)) { cur = now; seen = Date.now(); continue; }
      if (Date.now() - seen < UNSEEN_MS) continue;
      // Nobody runs it: resume from the newest checkpoint of the lost attempt, else the one
      // it started from, else the start. Stored checkpoints are sealed to the client: this
      // identity must be the submitter's.
      const open = (k: string) => newestStored(transport, me, k, Number(k.slice(k.lastIndexOf('.') + 1)), now.bundle);
      let stateKey: string | undefined = key;
      let state = await open(key);
      if (!state && now.from) { stateKey = now.from; state = await open(now.from); }
      if (!state) stateKey = undefined;
      const input = now.hasInput ? await jobs.input(job) : undefined;
      return await runRouted(transport, bundle, now.entry, {
        ...opts, args: now.args, input, migrateEvery: now.migrateEvery, storeEvery: now.storeEvery, storeEveryMs: now.storeEveryMs, seed: now.seed,
        datasets: now.datasets, durable: true, identity: me,
      }, { record: now, state, stateKey });
    }
  } finally {
    ac.abort();
  }
}
