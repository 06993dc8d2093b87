/**
 * Job records and fencing, as a hub sees them. A fence (an engine started a newer attempt
 * of a job, signed by the job's client) is remembered per job record and client, so older
 * attempts of that client's job are paused where they run and refused when they arrive (a
 * fence another peer signs stops nothing of another client's); a hub that finishes an attempt commits its result to the
 * record, which takes it only if that attempt is still current (exactly once), retrying
 * through a server restart before it leaves the commit to the engine.
 *   const records = new Records(() => openJobStore(nc), log);
 *   if (records.isFenced(req)) refuse();   const outcome = await records.commit(req, ran);
 */
import type { CommitOutcome, JobResultFields, JobRecord } from '../net/index.js';
import type { ExecRequest, RanReply } from '../protocol/index.js';
import { backoff, sleep, type Backoff } from '../util/index.js';
import { RetainedTable, type RetainedTableOptions } from './retained-table.js';
import type { Logger } from './log.js';

/** What a hub needs of the job records (runtime/net/jobs.ts JobStore has it). */
export interface RecordStore {
  commit(job: string, attempt: number, f: JobResultFields): Promise<CommitOutcome>;
  fail(job: string, attempt: number, state: 'failed', error: { code: string; message: string }): Promise<JobRecord | unknown>;
  bundle(hash: string): Promise<Uint8Array | undefined>;
}

/**
 * The job a fence of `req`'s attempts names: its record, or for a job without one (no
 * JetStream) the job id its key `<job>.<attempt>` carries. Fences are signed by the job's
 * client and matched with it, so a key of another form only goes unfenced.
 */
export function fencedJob(req: Pick<ExecRequest, 'job' | 'record' | 'attempt'>): string | undefined {
  if (req.record !== undefined) return req.record;
  const suffix = `.${req.attempt ?? 0}`;
  return req.job.endsWith(suffix) && req.job.length > suffix.length ? req.job.slice(0, -suffix.length) : undefined;
}

/** Tries at a commit before the hub replies uncommitted and leaves the commit to the engine. */
const COMMIT_TRIES = 6;

export interface RecordsOptions {
  /** @default 6 */
  commitTries?: number;
  /** Waits between commit tries. @default 250 ms doubling to 4 s, jittered */
  commitBackoff?: Backoff;
  /** How long fences are kept and how many. @default 1 h after last use, 100000 job records */
  fences?: RetainedTableOptions;
}

export class Records {
  /**
   * Per job record: attempts below this are fenced out. Not an LRU: a flood of junk fences
   * must not push out a live job's fence and let its older attempt run on beside the new.
   */
  private readonly fences: RetainedTable<number>;
  private static key(job: string, client: Uint8Array): string {
    return `${job}\0${Buffer.from(client).toString('hex')}`;
  }
  private store: Promise<RecordStore | undefined> | undefined;
  private readonly commitTries: number;
  private readonly commitBackoff: Backoff;

  /** This hub's result-signing key, recorded beside each signature it commits. */
  signer: Uint8Array | undefined;

  constructor(private readonly openStore: () => Promise<RecordStore>, private readonly hub: string, private readonly log: Logger, opts: RecordsOptions = {}) {
    this.commitTries = opts.commitTries ?? COMMIT_TRIES;
    this.commitBackoff = opts.commitBackoff ?? backoff({ initialMs: 250, maxMs: 4000 });
    this.fences = new RetainedTable(opts.fences);
  }

  /**
   * Attempt `attempt` of `job` started: true when that is news (older attempts are to be
   * dropped). A new job's fence is not kept while the table is full (logged): the runs
   * here now are still dropped, but an older attempt arriving later is not refused until
   * its commit, which the record itself refuses.
   */
  fence(job: string, attempt: number, client: Uint8Array): boolean {
    const key = Records.key(job, client);
    if ((this.fences.get(key) ?? 0) >= attempt) return false;
    if (!this.fences.set(key, attempt)) this.log.warn('fence table full; fence not kept', { job, attempt });
    return true;
  }

  /** The exec belongs to an attempt a newer one of its client has fenced out. */
  isFenced(req: Pick<ExecRequest, 'job' | 'record' | 'attempt' | 'client'>): boolean {
    const job = fencedJob(req);
    if (job === undefined || !req.client) return false;
    return (req.attempt ?? 0) < (this.fences.get(Records.key(job, req.client.sign)) ?? 0);
  }

  /**
   * Commit a finished job's result to its record: a fenced attempt is refused by the
   * record itself. Retries through a server restart; 'failed' when it still cannot (the
   * reply then goes uncommitted and the engine commits it). `r` is the signed reply
   * (SealGate.forEngine): its signature goes into the record.
   */
  async commit(req: ExecRequest, r: RanReply): Promise<CommitOutcome | 'failed'> {
    const attempt = req.attempt ?? 0;
    for (let i = 0; i < this.commitTries; i++) {
      try {
        const outcome = await this.with((s) => s.commit(req.record!, attempt, {
          hub: this.hub, result: r.result ?? new Uint8Array(0), output: r.output, yields: r.yields, fragments: r.fragments ?? 0, seq: r.handovers ?? 0, sig: r.sig, signer: this.signer,
        }));
        if (outcome) {
          this.log.info(outcome === 'committed' ? 'result committed' : `result ${outcome}`, { job: req.record, attempt, fragment: req.fragment });
          return outcome;
        }
      } catch (e) {
        this.log.warn('cannot commit a result; retrying', { job: req.record, attempt, fragment: req.fragment, error: (e as Error).message });
      }
      if (i + 1 < this.commitTries) await sleep(this.commitBackoff(i));
    }
    return 'failed';
  }

  /** The program trapped: end the job's record as failed (a no-op once it is over). */
  async trapped(req: ExecRequest, message: string): Promise<void> {
    await this.with((s) => s.fail(req.record!, req.attempt ?? 0, 'failed', { code: 'trap', message }));
  }

  /** A bundle from the job store (its client is gone); undefined when there is none or no store. */
  async bundle(hash: string): Promise<Uint8Array | undefined> {
    return this.with((s) => s.bundle(hash));
  }

  /** The store, opened once; undefined (logged) while it cannot be opened (no JetStream, or the server is starting). */
  private async with<T>(f: (s: RecordStore) => Promise<T>): Promise<T | undefined> {
    this.store ??= this.openStore().catch((e) => {
      this.store = undefined;
      this.log.warn('cannot open the job records', { error: (e as Error).message });
      return undefined;
    });
    const s = await this.store;
    return s && f(s);
  }
}
