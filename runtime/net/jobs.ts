/**
 * Job records: what a job is and where it stands, kept in JetStream so it outlives the
 * `weave run` that submitted it and any hub that ran it.
 *
 * One key-value entry per job (bucket `weave-jobs`): the bundle and entry, the arguments,
 * the current attempt (older attempts are fenced out), the stored checkpoint the current
 * attempt started from, and, once it is over, the result. Bundles, inputs and large
 * outputs live beside it in the object store `weave-job-data`, so a client attaching from
 * another machine, or a hub the job moved to after its client left, can fetch them.
 *
 * Every operation rides out JetStream's transient failures (`patiently`: a stream with no
 * leader for a few seconds), and is safe to repeat when an acknowledgement was lost.
 * Every change is a compare-and-set on the entry's revision. That makes the result
 * exactly-once: the hub that finishes an attempt commits the result only if that attempt
 * is still the current one and no result is there yet; a late hub of a fenced attempt
 * gets 'fenced' and its result is dropped.
 *   const jobs = await openJobStore(nc);
 *   await jobs.create(record);
 *   const outcome = await jobs.commit(id, attempt, { hub, result });   // 'committed' | 'fenced' | ...
 */
import type { ArgValue } from '../protocol/index.js';
import { Encoder } from 'cbor-x';
import type { KV, NatsConnection, ObjectStore } from 'nats';
import { TransportError } from '../protocol/index.js';
import { patiently as retrying, withReplicas } from './kv.js';

/** The job buckets have opened: a 503 from them is a cluster re-routing, not a missing JetStream. */
const patiently = <T>(op: () => Promise<T>): Promise<T> => retrying(op, undefined, true);

export const JOBS_BUCKET = 'weave-jobs';
export const JOB_DATA_BUCKET = 'weave-job-data';
/** Records and their data expire a day after their last change. */
export const JOB_TTL_MS = 24 * 3600_000;
/** Outputs larger than this go to the object store, not into the record. */
const INLINE_OUTPUT_BYTES = 256 << 10;
const RECORD_VERSION = 1;
/** Compare-and-set retries before giving up (only concurrent writers cause a retry). */
const CAS_TRIES = 16;

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobRecord {
  v: number;
  job: string;
  bundle: string;
  entry: string;
  /** The entry's arguments: numbers, or bytes of strings and arrays, or null. */
  args: ArgValue[];
  /** The input is in the object store under `input-<job>`. */
  hasInput: boolean;
  migrateEvery: number;
  storeEvery: number;
  storeEveryMs?: number;
  seed?: number;
  datasets: string[];
  state: JobState;
  /** The current attempt; hubs of older attempts cannot commit. */
  attempt: number;
  /** The stored checkpoint key (`<job>.<attempt>`) the current attempt started from, if any;
   *  the attempt's own newest stored checkpoint is under `<job>.<attempt>`. */
  from?: string;
  /** The hub the current attempt was sent to (it may have moved on since: adverts say). */
  owner?: string;
  /** When done: the result bytes, and who committed them. */
  result?: Uint8Array;
  /** The job's output, inline when small; `outputStored` when in the object store. */
  output?: Uint8Array;
  outputStored?: boolean;
  /**
   * Who committed the result: the hub, and its signature over job key, attempt, hand-over
   * sequence and result (resultStatement) with the key it advertised (`signer`), so a
   * reader can check the result came from that hub and not from whoever may write here.
   */
  committed?: { hub: string; attempt: number; at: number; yields: number; fragments: number; seq?: number; sig?: Uint8Array; signer?: Uint8Array };
  /** When failed: why (a trap's message, or the engine's error). */
  error?: { code: string; message: string };
  createdAt: number;
  updatedAt: number;
}

export type CommitOutcome = 'committed' | 'fenced' | 'already' | 'unknown';

export interface JobResultFields {
  hub: string;
  result: Uint8Array;
  output?: Uint8Array;
  yields: number;
  fragments: number;
  /** The hand-over sequence the result was signed at, the hub's signature and its signing key. */
  seq?: number;
  sig?: Uint8Array;
  signer?: Uint8Array;
}

const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

/**
 * Bigints do not survive every CBOR reader alike: keep them as tagged strings. So does
 * -0, which cbor-x would write as the integer 0.
 */
function encodeRecord(r: JobRecord): Uint8Array {
  const args = r.args.map((a) => (typeof a === 'bigint' ? `${a}n` : Object.is(a, -0) ? '-0' : a));
  return cbor.encode({ ...r, args });
}

function decodeRecord(bytes: Uint8Array): JobRecord {
  const r = cbor.decode(bytes) as JobRecord & { args: unknown[] };
  if (!r || typeof r !== 'object' || r.v !== RECORD_VERSION || typeof r.job !== 'string' || !Array.isArray(r.args)) {
    throw new TransportError('a job record is malformed or from another version', { code: 'framing' });
  }
  const args = r.args.map((a: unknown): ArgValue => {
    if (typeof a === 'string' && /^-?\d+n$/.test(a)) return BigInt(a.slice(0, -1));
    if (a === '-0') return -0;
    if (a instanceof Uint8Array) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    if (typeof a === 'number' || a === null) return a;
    throw new TransportError('a job record holds an argument that is not a number, bytes or null', { code: 'framing' });
  });
  return { ...r, args };
}

export class JobStore {
  constructor(private readonly kv: KV, private readonly os: ObjectStore) {}

  /** A new record, attempt 0, running. Throws TransportError if the id exists. */
  async create(r: Omit<JobRecord, 'v' | 'state' | 'attempt' | 'createdAt' | 'updatedAt'>, data: { bundleBytes: Uint8Array; input?: Uint8Array }): Promise<JobRecord> {
    // Data first: once the record exists, anyone may need it.
    await this.putBundle(r.bundle, data.bundleBytes);
    if (data.input) await patiently(() => this.os.putBlob({ name: `input-${r.job}` }, data.input!));
    const now = Date.now();
    const rec: JobRecord = { ...r, v: RECORD_VERSION, state: 'running', attempt: 0, createdAt: now, updatedAt: now };
    try {
      await patiently(() => this.kv.create(r.job, encodeRecord(rec)));
    } catch (e) {
      // A create whose acknowledgement was lost and that was retried finds its own record.
      const there = await this.get(r.job).catch(() => undefined);
      if (there && there.bundle === r.bundle && there.createdAt === now) return there;
      throw new TransportError(`cannot create job record ${r.job}: ${(e as Error).message}`, { code: 'transport', cause: e });
    }
    return rec;
  }

  async get(job: string): Promise<JobRecord | undefined> {
    return (await this.entry(job))?.rec;
  }

  /**
   * The records changed most recently, newest first, at most `limit`. Reads at most
   * `scan` records (records expire after a day, so the bucket holds a day of jobs):
   * `truncated` says when there were more. A record this version cannot read is skipped.
   */
  async recent(limit: number, scan = 2000): Promise<{ records: JobRecord[]; truncated: boolean }> {
    const keys: string[] = [];
    let truncated = false;
    for await (const k of await patiently(() => this.kv.keys())) {
      if (keys.length >= scan) { truncated = true; break; }
      keys.push(k);
    }
    const records: JobRecord[] = [];
    for (const k of keys) {
      try {
        const r = await this.get(k);
        if (r) records.push(r);
      } catch { /* another version's record, or deleted meanwhile */ }
    }
    records.sort((a, b) => b.updatedAt - a.updatedAt);
    return { records: records.slice(0, limit), truncated };
  }

  /**
   * Start attempt `to` in place of `from` (fencing out every older one), recording the
   * stored checkpoint it starts from. Returns the record as it is now: when the job is no
   * longer running (an old attempt committed after all, or it was cancelled), that record
   * unchanged, and the caller delivers or stops instead of retrying.
   */
  async advance(job: string, from: number, to: number, startKey?: string): Promise<JobRecord> {
    return this.change(job, (rec) => {
      if (rec.state !== 'running' || rec.attempt !== from) return undefined;
      return { ...rec, attempt: to, from: startKey, updatedAt: Date.now() };
    });
  }

  /** Record the hub attempt `attempt` was sent to (a no-op once another attempt started). */
  async own(job: string, attempt: number, hub: string): Promise<void> {
    await this.change(job, (rec) => (rec.state === 'running' && rec.attempt === attempt ? { ...rec, owner: hub, updatedAt: Date.now() } : undefined));
  }

  /** Commit the result of `attempt`: only once per job, only by its current attempt. */
  async commit(job: string, attempt: number, f: JobResultFields): Promise<CommitOutcome> {
    let outcome: CommitOutcome = 'unknown';
    const large = f.output && f.output.byteLength > INLINE_OUTPUT_BYTES;
    if (large) await patiently(() => this.os.putBlob({ name: `output-${job}` }, f.output!));
    await this.change(job, (rec) => {
      if (rec.state === 'done') { outcome = rec.committed?.attempt === attempt ? 'already' : 'fenced'; return undefined; }
      if (rec.state !== 'running' || rec.attempt !== attempt) { outcome = 'fenced'; return undefined; }
      outcome = 'committed';
      return {
        ...rec, state: 'done', result: f.result, output: large ? undefined : f.output, outputStored: large || undefined,
        committed: { hub: f.hub, attempt, at: Date.now(), yields: f.yields, fragments: f.fragments, seq: f.seq, sig: f.sig, signer: f.signer }, updatedAt: Date.now(),
      };
    }).catch((e) => { if (!(e instanceof JobRecordMissing)) throw e; });
    return outcome;
  }

  /** End the job without a result (a trap, or the engine gave up); a no-op once it is over. */
  async fail(job: string, attempt: number, state: 'failed' | 'cancelled', error: { code: string; message: string }): Promise<JobRecord> {
    return this.change(job, (rec) => {
      if (rec.state !== 'running' || (state === 'failed' && rec.attempt !== attempt)) return undefined;
      return { ...rec, state, error, updatedAt: Date.now() };
    });
  }

  /** Resolves with the record once it is no longer running (or `signal` aborts: undefined). */
  async settled(job: string, signal?: AbortSignal): Promise<JobRecord | undefined> {
    const it = await this.kv.watch({ key: job });
    const stop = () => it.stop();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const e of it) {
        if (e.operation !== 'PUT') continue;
        const rec = decodeRecord(e.value);
        if (rec.state !== 'running') return rec;
      }
      return undefined;
    } finally {
      signal?.removeEventListener('abort', stop);
      it.stop();
    }
  }

  async bundle(hash: string): Promise<Uint8Array | undefined> {
    return (await patiently(() => this.os.getBlob(`bundle-${hash}`))) ?? undefined;
  }

  async input(job: string): Promise<Uint8Array | undefined> {
    return (await patiently(() => this.os.getBlob(`input-${job}`))) ?? undefined;
  }

  async output(rec: JobRecord): Promise<Uint8Array> {
    if (!rec.outputStored) return rec.output ?? new Uint8Array(0);
    return (await patiently(() => this.os.getBlob(`output-${rec.job}`))) ?? new Uint8Array(0);
  }

  /** Store a bundle once (by content hash); a re-run of the same module sends nothing. */
  private async putBundle(hash: string, bytes: Uint8Array): Promise<void> {
    const name = `bundle-${hash}`;
    if (await patiently(() => this.os.info(name))) return;
    await patiently(() => this.os.putBlob({ name }, bytes));
  }

  private async entry(job: string): Promise<{ rec: JobRecord; revision: number } | undefined> {
    const e = await patiently(() => this.kv.get(job));
    if (!e || e.operation !== 'PUT' || e.length === 0) return undefined;
    return { rec: decodeRecord(e.value), revision: e.revision };
  }

  /** Compare-and-set: apply `f` to the newest record; undefined from `f` leaves it as it is. */
  private async change(job: string, f: (r: JobRecord) => JobRecord | undefined): Promise<JobRecord> {
    for (let i = 0; i < CAS_TRIES; i++) {
      const cur = await this.entry(job);
      if (!cur) throw new JobRecordMissing(job);
      const next = f(cur.rec);
      if (!next) return cur.rec;
      try {
        await patiently(() => this.kv.update(job, encodeRecord(next), cur.revision));
        return next;
      } catch (e) {
        if (!/wrong last sequence/i.test((e as Error).message)) throw e;
        // Someone else changed it first: read it again and decide again.
      }
    }
    throw new TransportError(`job record ${job}: ${CAS_TRIES} concurrent changes in a row`, { code: 'transport' });
  }
}

/** No record for this job id (never created here, expired, or a typo). */
export class JobRecordMissing extends TransportError {
  constructor(readonly job: string) {
    super(`no job ${job} on this NATS server (job records expire ${JOB_TTL_MS / 3600_000} h after their last change)`, { code: 'transport' });
    this.name = 'JobRecordMissing';
  }
}

/** Open (creating the first time) the job bucket and its object store. Throws TransportError without JetStream. */
export async function openJobStore(nc: NatsConnection): Promise<JobStore> {
  try {
    const views = nc.jetstream().views;
    // Read from the stream's leader, not "direct" from any replica: a replica that lags
    // answers with an older record, and a compare-and-set that decides on it went wrong
    // (a cluster chaos run: a job's own advance to attempt 12 read back as 11, "taken over
    // by another client"). Records are read a few times per attempt, not per yield.
    const kv = await withReplicas(nc, (replicas) => views.kv(JOBS_BUCKET, { history: 8, ttl: JOB_TTL_MS, replicas, allow_direct: false }));
    const os = await withReplicas(nc, (replicas) => views.os(JOB_DATA_BUCKET, { ttl: JOB_TTL_MS * 1_000_000, replicas }));
    return new JobStore(kv, os);
  } catch (e) {
    throw new TransportError(`cannot open the JetStream job records '${JOBS_BUCKET}': ${(e as Error).message}; start the server with JetStream (nats-server -js)`, { code: 'transport', cause: e });
  }
}
