/**
 * Running a job: the entry point of the engine. It picks the entry, checks the options,
 * runs the job the way its transport works (stepwise.ts, routed/), and ends every job's
 * events the same way: the `result` event (what `--json` prints) or `failed`.
 *   const r = await runJob(mesh, bundle, { entry: 'main', args: [10], migrateEvery: 1 });
 *   const later = await attachJob(mesh, r.job);
 */
import type { LoadedBundle } from '../exec/index.js';
import { eventEmitter, resultSummary, type JobEvent } from '../trace/index.js';
import { JobError } from './errors.js';
import { pickEntry, type JobOptions, type JobResult } from './job.js';
import { runStepwise } from './stepwise.js';
import { runRouted } from './routed/run.js';
import { attachRouted } from './routed/attach.js';
import type { Transport } from './transport.js';

/**
 * Run a job to completion. Throws FragmentTrap when the program traps (the hubs stay up),
 * HubError when a hub rejects a request, TransportError when a hub cannot be reached,
 * JobError when the job cannot run as asked.
 */
export async function runJob(transport: Transport, bundle: LoadedBundle, opts: JobOptions): Promise<JobResult> {
  const entry = pickEntry(bundle, opts.entry);
  // A routed job waits for hubs (until its deadline, if it has one); an embedded mesh has its own or none.
  if (transport.kind === 'stepwise' && !transport.hubs().length) throw new JobError('no hubs are available to run the job', { code: 'no-hubs' });
  if (opts.timeoutMs !== undefined && !(Number.isFinite(opts.timeoutMs) && opts.timeoutMs > 0)) throw new JobError(`--timeout must be a positive duration, got ${opts.timeoutMs} ms`);
  const migrateEvery = opts.migrateEvery ?? 0;
  if (!Number.isInteger(migrateEvery) || migrateEvery < 0) throw new JobError(`--migrate-every must be a non-negative integer, got ${migrateEvery}`);
  return observed(opts, (o) => (transport.kind === 'routed' ? runRouted(transport, bundle, entry, o) : runStepwise(transport, bundle, entry, o)));
}

/**
 * Attach to a job submitted with `durable` (by this client or another, running or over)
 * and get its result. Throws JobError when the transport keeps no job records.
 */
export async function attachJob(transport: Transport, job: string, opts: Omit<JobOptions, 'args'> = {}): Promise<JobResult> {
  if (transport.kind !== 'routed') throw new JobError('attaching to a job needs a NATS mesh with JetStream (--nats URL)');
  return observed(opts, (o) => attachRouted(transport, job, o));
}

/**
 * The engines get a listener that notes the job id and stops calling the caller's once it
 * throws, so observing a job never fails it.
 */
async function observed<O extends { onEvent?: (e: JobEvent) => void }>(opts: O, go: (opts: O) => Promise<JobResult>): Promise<JobResult> {
  const listener = opts.onEvent;
  if (!listener) return go(opts);
  let job: string | undefined;
  let listening = true;
  const onEvent = (e: JobEvent) => {
    job = e.job;
    if (listening) {
      try { listener(e); } catch { listening = false; }
    }
  };
  const emit = eventEmitter(onEvent, () => job ?? '');
  try {
    const r = await go({ ...opts, onEvent });
    job = r.job;
    emit({ kind: 'result', ...resultSummary(r) });
    return r;
  } catch (err) {
    const e = err as Error & { code?: unknown };
    if (job !== undefined) emit({ kind: 'failed', error: e.name ?? 'Error', code: typeof e.code === 'string' ? e.code : undefined, message: e.message ?? String(err) });
    throw err;
  }
}
