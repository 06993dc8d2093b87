/**
 * One value shared by every engine and hub on a NATS server, in a JetStream key-value
 * bucket: a learned placement policy, so what one job teaches it the next job uses,
 * whichever machine submits it. Requires a server with JetStream (`nats-server -js`).
 *   const store = await sharedValue(nc, 'weave-policy', 'learned');
 *   const v = await store.get();   ...   await store.put(bytes);
 */
import type { NatsConnection } from 'nats';
import { TransportError } from '../protocol/index.js';
import { backoff, sleep } from '../util/index.js';
import { readDirect } from './direct-read.js';

export interface SharedValue {
  /** The newest value, or undefined when none was stored yet. */
  get(): Promise<Uint8Array | undefined>;
  /** Store `bytes` as the newest value (the last writer wins). */
  put(bytes: Uint8Array): Promise<void>;
}

/** Largest value stored (a learned policy is a few KiB). */
const MAX_VALUE_BYTES = 1 << 20;

/** `open()`'s bucket, or a TransportError that says to start the server with JetStream. */
async function openKv<T>(bucket: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (e) {
    throw new TransportError(`cannot open the JetStream key-value bucket '${bucket}': ${(e as Error).message}; start the server with JetStream (nats-server -js)`, { code: 'transport', cause: e });
  }
}

export async function sharedValue(nc: NatsConnection, bucket: string, key: string): Promise<SharedValue> {
  const kv = await openKv(bucket, () => nc.jetstream().views.kv(bucket, { history: 5, max_bytes: 8 * MAX_VALUE_BYTES }));
  return {
    async get() {
      const e = await kv.get(key);
      return e && e.length > 0 ? e.value : undefined;
    },
    async put(bytes) {
      if (bytes.byteLength > MAX_VALUE_BYTES) throw new TransportError(`shared value '${key}' is ${bytes.byteLength} bytes, over ${MAX_VALUE_BYTES}`, { code: 'too-large' });
      await kv.put(key, bytes);
    },
  };
}

/**
 * A bucket where each writer keeps one value under a key of its own (its hub id) and every
 * reader watches them all: measured history that hubs share (runtime/engine/shared-history.ts).
 * Values expire after `ttlMs` without a rewrite, so a hub gone for good drops out.
 */
export interface KeyedBucket {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Calls `on` with every key's newest value, the stored ones first (then `onLoaded`) and
   * then each change, until the returned handle is stopped. Values over the bucket's limit
   * never arrive (the server refuses them).
   */
  watch(on: (key: string, bytes: Uint8Array) => void, onLoaded?: () => void): Promise<{ stop(): void }>;
}

export async function keyedBucket(nc: NatsConnection, bucket: string, opts: { maxValueBytes: number; ttlMs: number }): Promise<KeyedBucket> {
  const kv = await openKv(bucket, () => withReplicas(nc, (replicas) => nc.jetstream().views.kv(bucket, {
    history: 1, ttl: opts.ttlMs, maxValueSize: opts.maxValueBytes, max_bytes: 256 * opts.maxValueBytes, replicas,
  })));
  return {
    async put(key, bytes) {
      if (bytes.byteLength > opts.maxValueBytes) throw new TransportError(`'${key}' in '${bucket}' is ${bytes.byteLength} bytes, over ${opts.maxValueBytes}`, { code: 'too-large' });
      await kv.put(key, bytes);
    },
    async watch(on, onLoaded) {
      const it = await kv.watch({ key: '>', ignoreDeletes: true, initializedFn: onLoaded });
      void (async () => {
        for await (const e of it) if (e.operation === 'PUT' && e.value.byteLength <= opts.maxValueBytes) on(e.key, e.value);
      })().catch(() => undefined);
      return { stop: () => it.stop() };
    },
  };
}

/**
 * The newest stored checkpoints of each job attempt, in a JetStream object store: each hub
 * that held the attempt stores under names of its own (storedName), so that a hub's late
 * write never replaces a newer one of another hub, and its diffs are always against the
 * full checkpoint it stored itself.
 */
export interface CheckpointStore {
  put(name: string, checkpoint: Uint8Array): Promise<void>;
  /** The checkpoint stored under `name`, or undefined; throws when it takes over `timeoutMs`. */
  get(name: string, timeoutMs?: number): Promise<Uint8Array | undefined>;
  delete(name: string): Promise<void>;
  /** The names stored that start with `prefix`. */
  names(prefix: string): Promise<string[]>;
}

/** Where hub `hub` stores its newest full checkpoint of job attempt key `job`. */
export const storedName = (job: string, hub: string) => `${job}@${hub}`;
/** Where it stores its newest diff, against the full one under `storedName`. */
export const storedDiffName = (job: string, hub: string) => `${job}@${hub}.diff`;
/** The hub of a full checkpoint's name under job key `job`; undefined for a diff's or another job's. */
export function storedHub(job: string, name: string): string | undefined {
  return name.startsWith(`${job}@`) && !name.endsWith('.diff') ? name.slice(job.length + 1) : undefined;
}

export const CHECKPOINT_BUCKET = 'weave-checkpoints';
/** How long listing the checkpoint bucket may take. */
const LIST_TIMEOUT_MS = 5000;
/** Largest stored checkpoint read back: the checkpoint codec's own default limit (1 GiB). */
const MAX_STORED_BYTES = 1 << 30;
/** How long reading one checkpoint may take: a bound against a read that never returns, not a measure of a slow one (not measured for large checkpoints). */
const GET_TIMEOUT_MS = 10_000;

/**
 * `work`, or a TransportError (`timeout`) after `ms`. Listing the bucket and reading an
 * object's chunks go through consumers, which can wait without end while JetStream comes
 * back (a restarted server); a chaos run saw a recovery's read never return.
 */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransportError(`${what} took over ${ms} ms`, { code: 'timeout' })), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * JetStream errors that pass on their own: a stream without a leader yet (a cluster
 * creating it, or electing after a server was lost), a server restarting.
 */
const TRANSIENT = /timeout|temporarily unavailable|leader/i;

/**
 * '503' (no responders). Before a bucket has opened it means a server without JetStream,
 * and waiting does not change that. Once it has opened, JetStream is there: a 503 is a
 * cluster re-routing after a server was lost (the stream's replicas have not yet
 * re-announced interest through the server this client failed over to), and passes.
 */
const NO_RESPONDERS = /^503$|no responders/i;

/**
 * Run a JetStream operation, retrying the transient failures for up to `patienceMs`
 * (backing off from 100 ms to 1 s, jittered). Any other error is thrown at once. `opened`: the
 * bucket it uses has opened before, so a 503 is transient too.
 */
export async function patiently<T>(op: () => Promise<T>, patienceMs = 15_000, opened = false): Promise<T> {
  const until = Date.now() + patienceMs;
  for (let retry = 0; ; retry++) {
    try {
      return await op();
    } catch (e) {
      const msg = (e as Error).message;
      const transient = TRANSIENT.test(msg) || (opened && NO_RESPONDERS.test(msg));
      const wait = JETSTREAM_BACKOFF(retry);
      if (!transient || Date.now() + wait > until) throw e;
      await sleep(wait);
    }
  }
}

/** From 100 ms to 1 s, with jitter: many clients of a restarted server do not retry in step. */
const JETSTREAM_BACKOFF = backoff({ initialMs: 100, maxMs: 1000 });

/** Copies of weave's buckets on a NATS cluster: one server lost loses nothing stored. */
const MAX_REPLICAS = 3;

/**
 * How long a cluster may take to know all its JetStream peers once its servers are up:
 * asked for 3 replicas before then, it says 'no suitable peers' although it will have them.
 */
export const CLUSTER_FORMING_MS = 5_000;

/**
 * Open (or create) a bucket with as many replicas as the servers allow, up to 3: a single
 * server refuses more than one; a cluster smaller than the number asked for has 'no
 * suitable peers', so ask again for one fewer rather than store nothing. An existing
 * bucket keeps its own, for good, so a count is given up only after the cluster had
 * `formingMs` to find its peers: a checkpoint bucket made while a 3-server cluster was
 * still forming got fewer than 3 (a clean-clone CI run of the cluster test), and
 * checkpoints in a bucket of one replica go with that one server.
 */
export async function withReplicas<T>(nc: NatsConnection, open: (replicas: number) => Promise<T>, formingMs = CLUSTER_FORMING_MS): Promise<T> {
  const until = Date.now() + formingMs;
  for (let replicas = nc.info?.cluster ? MAX_REPLICAS : 1, retry = 0; ; retry++) {
    try {
      return await patiently(() => open(replicas));
    } catch (e) {
      if (!(replicas > 1 && /no suitable peers|insufficient resources/i.test((e as Error).message))) throw e;
      if (Date.now() < until) await sleep(JETSTREAM_BACKOFF(retry));
      else replicas--;
    }
  }
}

/**
 * Open (creating it the first time) the bucket where hubs keep periodic checkpoints, so
 * that when a hub dies the engine restarts its fragment from the last one rather than
 * from the start. On a cluster the bucket is created with up to 3 replicas (an existing
 * bucket keeps its own). Throws TransportError when the server has no JetStream.
 */
export async function checkpointStore(nc: NatsConnection): Promise<CheckpointStore> {
  let os;
  try {
    os = await withReplicas(nc, (replicas) => nc.jetstream().views.os(CHECKPOINT_BUCKET, { replicas }));
  } catch (e) {
    throw new TransportError(`cannot open the JetStream object store '${CHECKPOINT_BUCKET}': ${(e as Error).message}; start the server with JetStream (nats-server -js)`, { code: 'transport', cause: e });
  }
  return {
    async put(job, checkpoint) {
      await os.putBlob({ name: job }, checkpoint);
    },
    async get(job, timeoutMs = GET_TIMEOUT_MS) {
      // From any replica first (direct-read.ts: a cluster that lost the stream's leader
      // answers those at once, and its leader only after an election); from the leader
      // when no replica can (a bucket made without direct gets, versions mixed).
      const read = readDirect(nc, CHECKPOINT_BUCKET, job, MAX_STORED_BYTES).catch(async () => (await os.getBlob(job)) ?? undefined);
      return within(timeoutMs, `reading '${job}' from '${CHECKPOINT_BUCKET}'`, read);
    },
    async delete(job) {
      await os.delete(job).catch(() => undefined);
    },
    async names(prefix) {
      const all = await within(LIST_TIMEOUT_MS, `listing '${CHECKPOINT_BUCKET}'`, os.list());
      return all.filter((i) => !i.deleted && i.name.startsWith(prefix)).map((i) => i.name);
    },
  };
}
