/**
 * A durable job's record, as the engine keeps it (runtime/net/jobs.ts, JetStream): made
 * when the job is submitted, advanced (and fenced) before every new attempt, owned by the
 * hub an attempt was sent to, ended as failed on a trap, and committed by the engine when
 * the finishing hub could not. Whatever the record says settled wins: a result committed
 * by an attempt the engine thought lost is delivered, not computed twice.
 *   const ledger = await JobLedger.open(transport, job, opts);   // undefined: not durable
 *   const settled = await ledger?.advance(attempt, stateKey);      // a record no longer running
 */
import { FragmentTrap, type LoadedBundle } from '../../exec/index.js';
import type { RanReply } from '../../protocol/index.js';
import type { Identity, JobRecord, JobStore } from '../../net/index.js';
import { JobError } from '../errors.js';
import { checkCommitted } from './verify.js';
import { newDataTotals, resultOf, type JobOptions, type JobResult } from '../job.js';
import type { RoutedTransport } from '../transport.js';

type EntryInfo = LoadedBundle['manifest']['entries'][number];

export class JobLedger {
  /** The job is over (done, or failed for good): its stored checkpoints may go. */
  over = false;
  /** The attempt the record names now. */
  private inRecord = 0;

  /** `me`: the job's client, which signs its fences. */
  private constructor(readonly jobs: JobStore, private readonly transport: RoutedTransport, readonly job: string, private readonly me: Identity) {}

  /**
   * The ledger of a durable job; undefined when the job is not durable. Throws JobError
   * when it is but the server keeps no records.
   */
  static async open(transport: RoutedTransport, job: string, opts: JobOptions, me: Identity): Promise<JobLedger | undefined> {
    if (!opts.durable) return undefined;
    const jobs = await transport.jobs();
    if (!jobs) throw new JobError('this NATS server keeps no job records (JetStream is off); run without --durable/--attach, or start the server with -js');
    return new JobLedger(jobs, transport, job, me);
  }

  /** Make the record of a new job (attempt 0). */
  async create(bundle: LoadedBundle, entry: string, opts: JobOptions): Promise<void> {
    await this.jobs.create({
      job: this.job, bundle: bundle.hash, entry, args: opts.args, hasInput: !!opts.input, migrateEvery: opts.migrateEvery ?? 0, storeEvery: opts.storeEvery ?? 0,
      storeEveryMs: opts.storeEveryMs || undefined, seed: opts.seed, datasets: opts.datasets ?? [],
    }, { bundleBytes: bundle.bytes, input: opts.input });
  }

  /**
   * Take a job over from attempt `rec.attempt`, which nobody runs any more: the next
   * attempt is fenced in first. Returns the record when it is no longer running (the
   * caller delivers it), else undefined and the attempt to run.
   */
  async takeover(rec: JobRecord, stateKey?: string): Promise<{ settled?: JobRecord; attempt: number }> {
    const now = await this.jobs.advance(this.job, rec.attempt, rec.attempt + 1, stateKey);
    if (now.state !== 'running' || now.attempt !== rec.attempt + 1) return { settled: now, attempt: rec.attempt };
    this.transport.fence(this.job, now.attempt, this.me);
    this.inRecord = now.attempt;
    return { attempt: now.attempt };
  }

  /**
   * Every new attempt is in the record before it runs, and fences the older ones out.
   * Returns the record when the job is no longer running (an older attempt committed after
   * all, or it was cancelled); throws JobError when another client took the job over.
   */
  async advance(attempt: number, stateKey?: string): Promise<JobRecord | undefined> {
    if (attempt === this.inRecord) return undefined;
    const rec = await this.jobs.advance(this.job, this.inRecord, attempt, stateKey);
    if (rec.state !== 'running') {
      this.over = true;
      return rec;
    }
    if (rec.attempt !== attempt) throw new JobError(`job ${this.job} was taken over by another client (attempt ${rec.attempt})`);
    this.transport.fence(this.job, attempt, this.me);
    this.inRecord = attempt;
    return undefined;
  }

  /** Note the hub an attempt was sent to. Not awaited: the owner is for people and tools, not for safety. */
  own(attempt: number, hub: string): void {
    void this.jobs.own(this.job, attempt, hub).catch(() => undefined);
  }

  /** The program trapped: the job is over, failed. */
  async failed(attempt: number, err: FragmentTrap): Promise<void> {
    this.over = true;
    await this.jobs.fail(this.job, attempt, 'failed', { code: 'trap', message: err.message }).catch(() => undefined);
  }

  /** The job's deadline passed, or it was cancelled: it is over without a result. */
  async stopped(state: 'failed' | 'cancelled', error: { code: string; message: string }): Promise<void> {
    this.over = true;
    await this.jobs.fail(this.job, this.inRecord, state, error).catch(() => undefined);
  }

  /**
   * The result is in (verified: acceptOutcome); commit it if the hub could not (say, the
   * server was restarting), with the hub's signature and key (`signer`).
   */
  async done(attempt: number, hub: string, reply: RanReply, signer?: Uint8Array): Promise<void> {
    if (!reply.committed) {
      const outcome = await this.jobs.commit(this.job, attempt, {
        hub, result: reply.result ?? new Uint8Array(0), output: reply.output, yields: reply.yields, fragments: reply.fragments ?? 0,
        seq: reply.handovers ?? 0, sig: reply.sig, signer,
      });
      if (outcome === 'fenced') throw new JobError(`job ${this.job} was cancelled or taken over by another client before attempt ${attempt} finished`);
    }
    this.over = true;
  }
}

/**
 * The result of a job that is over, from its record (a done job), or its error. A done
 * record's result counts only with the committing hub's signature (checkCommitted; the
 * hub's key as `live` says it advertises it now, else as recorded): throws HubError
 * `bad-signature` otherwise.
 */
export async function settledResult(jobs: JobStore, info: EntryInfo, rec: JobRecord, t0: number, so?: Partial<JobResult>, live?: (hub: string) => Uint8Array | undefined): Promise<JobResult> {
  if (rec.state === 'failed' && rec.error?.code === 'trap') throw new FragmentTrap(rec.error.message, -1, rec.entry);
  if (rec.state === 'cancelled') throw new JobError(`job ${rec.job} was cancelled${rec.error ? `: ${rec.error.message}` : ''}; it has no result`, { code: 'cancelled' });
  if (rec.state !== 'done') throw new JobError(`job ${rec.job} is ${rec.state}${rec.error ? `: ${rec.error.message}` : ''}`);
  const output = await jobs.output(rec);
  checkCommitted(rec, output, live ?? (() => undefined));
  const bytes = rec.result ?? new Uint8Array(0);
  return {
    job: rec.job, entry: rec.entry, ...resultOf(info, bytes),
    fragments: rec.committed?.fragments ?? 0, checkpoints: 0, migrations: 0, bytesMoved: 0, execMs: 0, retries: 0, reweaves: 0, maxYieldGapMs: 0,
    placements: [], pauseToResumeMs: [], restoredFromStore: 0, recoveries: [], data: newDataTotals(),
    ...so, yields: rec.committed?.yields ?? 0, wallMs: performance.now() - t0, output, attached: true,
  };
}
