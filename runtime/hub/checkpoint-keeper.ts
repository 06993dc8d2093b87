/**
 * Periodic checkpoints (`storeEvery`): a slot captures one every N yield points and runs
 * on; the keeper writes it to the JetStream object store under the job attempt's key and
 * this hub's id (`<key>@<hub>`: net/kv.ts), sealed to the job's client, newest only. Most
 * are stored as a diff against the last full one this hub stored (under `<key>@<hub>.diff`);
 * every FULL_EVERY-th is full again, so a diff never grows past a few intervals' worth of
 * pages. Names of its own keep a job that moves between hubs safe: no hub's diff is
 * against another's full one, and no late write of one hub replaces a newer of another. While one is being written a newer one
 * replaces any waiting, so a slow store never queues up memory; each stored one is
 * reported to the engine as progress (how far the job has safely got).
 *   const keeper = new CheckpointKeeper(() => checkpointStore(nc), { hub: 'a', seal, report, metrics, log });
 *   keeper.keep(req, checkpoint, yields);
 */
import { storedDiffName, storedName, type CheckpointStore } from '../net/index.js';
import { decodeCheckpoint, diffCheckpoint, encodeCheckpoint, type Checkpoint } from '../snapshot/index.js';
import { PROTOCOL_VERSION, type ExecRequest, type ProgressEvent } from '../protocol/index.js';
import type { Logger } from './log.js';
import type { HubMetrics } from './metrics.js';

export interface KeeperDeps {
  hub: string;
  /** Seal a checkpoint for storing (SealGate.sealStored). */
  seal: (req: ExecRequest, bytes: Uint8Array) => Uint8Array;
  /** Publish a progress event to an engine's progress subject. */
  report: (subject: string, event: ProgressEvent) => void;
  metrics: Pick<HubMetrics, 'checkpoint'>;
  log: Logger;
  /** The job's attempt was fenced out (a newer one, or a cancel): what it would store is not wanted. */
  fenced?: (req: ExecRequest) => boolean;
}

interface Pending { bytes: Uint8Array; yields: number }

/** Whether `req`'s job has its checkpoints stored (a record, or storeEvery): the keeper wants what leaves. */
export function storesCheckpoints(req: ExecRequest): boolean {
  return req.record !== undefined || !!req.storeEvery || !!req.storeEveryMs;
}

/** Every this many stored checkpoints of a job, one is full; the others are diffs against it. */
export const FULL_EVERY = 8;
/** Jobs whose last full checkpoint is kept for diffing (the oldest are dropped: their next is full). */
const MAX_BASES = 64;

export class CheckpointKeeper {
  /** Per job key: a put in flight, and the newest checkpoint waiting for it to finish. */
  private readonly storing = new Map<string, { next?: Pending }>();
  private store: Promise<CheckpointStore | undefined> | undefined;
  /** Per job key: the last full checkpoint stored, and how many were stored since. */
  private readonly bases = new Map<string, { base: Checkpoint; since: number }>();

  constructor(private readonly openStore: () => Promise<CheckpointStore>, private readonly deps: KeeperDeps) {}

  /** Puts in flight (tests, drains). */
  get busy(): number {
    return this.storing.size;
  }

  /** Store `checkpoint` (full, encoded, yield count `yields`) of `req`'s job, newest only. */
  keep(req: ExecRequest, checkpoint: Uint8Array, yields: number): void {
    const s = this.storing.get(req.job);
    if (s) { s.next = { bytes: checkpoint, yields }; return; }
    const entry: { next?: Pending } = {};
    this.storing.set(req.job, entry);
    // A failure to open is not kept: the server may have been starting, or electing.
    this.store ??= this.openStore().catch((e) => {
      this.deps.log.warn('cannot open the checkpoint store; will try again at the next checkpoint', { error: (e as Error).message });
      this.store = undefined;
      return undefined;
    });
    void this.drain(req, entry, { bytes: checkpoint, yields });
  }

  /**
   * What to store for `full` (encoded) of job key `job`: a diff against the last full one,
   * or, every FULL_EVERY-th time (and when there is none), the full one itself. Bytes that
   * do not decode are stored as they are. A full one becomes the base of later diffs only
   * once it is stored (`based`): a diff against a full one whose put failed (the store
   * electing a leader) could never be applied, and until the next full one every
   * recovery would find nothing usable though the engine was told each diff was stored.
   */
  private asStored(job: string, full: Uint8Array): { name: string; bytes: Uint8Array; base?: Checkpoint } {
    const name = storedName(job, this.deps.hub);
    let cp: Checkpoint;
    try {
      const any = decodeCheckpoint(full);
      if (any.kind !== 'full') return { name, bytes: full };
      cp = any;
    } catch {
      return { name, bytes: full };
    }
    const b = this.bases.get(job);
    if (b && ++b.since < FULL_EVERY) return { name: storedDiffName(job, this.deps.hub), bytes: encodeCheckpoint(diffCheckpoint(b.base, cp)) };
    return { name, bytes: full, base: cp };
  }

  /** `cp`, just stored in full, is the base of the job's next diffs. */
  private based(job: string, cp: Checkpoint): void {
    this.bases.delete(job);
    this.bases.set(job, { base: cp, since: 0 });
    if (this.bases.size > MAX_BASES) this.bases.delete(this.bases.keys().next().value!);
  }

  private async drain(req: ExecRequest, entry: { next?: Pending }, first: Pending): Promise<void> {
    const { hub, seal, report, metrics, log } = this.deps;
    let cur: Pending | undefined = first;
    try {
      const store = await this.store;
      while (store && cur) {
        if (this.deps.fenced?.(req)) break;
        const { name, bytes, base } = this.asStored(req.job, cur.bytes);
        const sealed = seal(req, bytes);
        try {
          await store.put(name, sealed);
        } catch (e) {
          // Whether it landed is unknown: the next one is full, against nothing unsure.
          this.bases.delete(req.job);
          throw e;
        }
        if (base) this.based(req.job, base);
        metrics.checkpoint('stored', sealed.byteLength);
        if (name === storedName(req.job, hub)) await store.delete(storedDiffName(req.job, hub)).catch(() => undefined);
        // Stored: the engine learns the fragment is making progress, and how far it got.
        if (req.progress) {
          report(req.progress, {
            kind: 'progress', v: PROTOCOL_VERSION, stored: true, job: req.job, hub, to: hub, fragment: req.fragment,
            fragments: 0, bytes: cur.bytes.byteLength, execMs: 0, yields: cur.yields, pausedAt: 0, resumedAt: 0,
          });
        }
        cur = entry.next;
        entry.next = undefined;
      }
    } catch (e) {
      log.warn('cannot store a checkpoint', { job: req.job, fragment: req.fragment, error: (e as Error).message });
    } finally {
      this.storing.delete(req.job);
    }
  }
}
