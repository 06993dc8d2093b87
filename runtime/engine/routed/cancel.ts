/**
 * Cancelling a durable job from anywhere (`weave jobs cancel`): its record says cancelled
 * (so no hub can commit a result and no client delivers one), a fence stops the running
 * attempt at its hub's next yield point, and the checkpoints hubs stored for it are
 * deleted. An engine still watching the job sees the record and ends it as cancelled.
 *   const r = await cancelJob(mesh, '9f2c…');   // { state: 'cancelled', attempt: 3 }
 */
import type { Identity, JobRecord } from '../../net/index.js';
import { sleep } from '../../util/index.js';
import { JobError } from '../errors.js';
import type { RoutedTransport } from '../transport.js';

export interface CancelOutcome {
  /** The record after the cancel: `cancelled`, or the state the job had already ended in. */
  record: JobRecord;
  /** The job was running and is now cancelled (false: it was over already). */
  cancelled: boolean;
}

/**
 * Cancel job `job`. Throws JobError when the server keeps no records, or has none of `job`
 * (code 'job', listing nothing: ids are not guessable).
 */
export async function cancelJob(transport: RoutedTransport, job: string, me: Identity, why = 'cancelled by weave jobs cancel'): Promise<CancelOutcome> {
  const jobs = await transport.jobs();
  if (!jobs) throw new JobError('this NATS server keeps no job records (JetStream is off): there is nothing to cancel');
  const before = await jobs.get(job);
  if (!before) throw new JobError(`no job ${job} on this server (records expire a day after their last change)`);
  if (before.state !== 'running') return { record: before, cancelled: false };
  const after = await jobs.fail(job, before.attempt, 'cancelled', { code: 'cancelled', message: why });
  // Whatever attempt runs now (one may have started since the read), the fence is above it.
  // Signed by `me`: hubs stop the running attempt only when that is the job's client.
  transport.fence(job, after.attempt + 1, me);
  const keys = Array.from({ length: after.attempt + 1 }, (_, n) => `${job}.${n}`);
  await forgetWhenStopped(transport, keys);
  return { record: after, cancelled: after.state === 'cancelled' };
}

/** How long to wait for hubs to stop a fenced run before deleting its checkpoints anyway. */
const STOP_PATIENCE_MS = 5000;
/** How long a checkpoint store in flight at the fence may take to land. */
const LATE_PUT_MS = 1000;

/**
 * Delete what hubs stored under `keys` once no hub advertises running them (a run stores
 * until its hub sees the fence), or after STOP_PATIENCE_MS.
 */
export async function forgetWhenStopped(transport: RoutedTransport, keys: string[]): Promise<void> {
  for (let waited = 0; waited < STOP_PATIENCE_MS && keys.some((k) => transport.running(k)); waited += 100) await sleep(100);
  await Promise.allSettled(keys.map((k) => transport.forgetStored(k)));
  // A store already in flight when its hub saw the fence may land after that: once more.
  await sleep(LATE_PUT_MS);
  await Promise.allSettled(keys.map((k) => transport.forgetStored(k)));
}
