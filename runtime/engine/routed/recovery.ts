/**
 * What a routed job starts its next attempt from, and what happens when an attempt fails.
 *
 * The engine keeps the last state it holds: the arguments, a full checkpoint a hub sent
 * back, or the newest one hubs stored (`storeEvery`). When an attempt fails in a way
 * worth retrying, its hub is avoided from then on, and the next attempt starts from the
 * newest of those. This is the one place that decides to wait, retry or give up: the
 * hubs an attempt may use (`hubsFor`) and the reaction to a failure (`failed`).
 *   const r = new RecoveryState(ctx, info.fragments[0]);
 *   try { … } catch (err) { await r.failed(err, attempt); }   // rethrows what is not retryable
 */
import { decodeCheckpoint, type AnyCheckpoint } from '../../snapshot/index.js';
import { FragmentTrap } from '../../exec/index.js';
import { HubError, type RecoveryNote } from '../../protocol/index.js';
import { openAnon, isSealed, storedContext, type Identity } from '../../net/index.js';
import { describeMisfit, rankHubs, type JobNeeds } from '../../policy/index.js';
import type { MigrationReason, Recovery } from '../../trace/index.js';
import { sleep } from '../../util/index.js';
import { JobError } from '../errors.js';
import { errorCode } from '../job.js';
import { retryDelay } from '../retry.js';
import type { HubInfo, RoutedTransport } from '../transport.js';
import type { JobProgress, AttemptProgress } from './progress.js';
import type { JobLedger } from './ledger.js';

export interface RecoveryDeps {
  transport: RoutedTransport;
  me: Identity;
  bundleHash: string;
  /** Hubs store periodic checkpoints of this job. */
  storing: boolean;
  progress: JobProgress;
  ledger?: JobLedger;
}

export class RecoveryState {
  /** The last full state the engine holds, encoded (as a hub sent it back, or as stored); undefined: the arguments. */
  state: Uint8Array | undefined;
  /** Where that state is, how far it got, and whether it is mid-fragment. */
  fragment: number;
  stateYields = 0;
  statePaused = false;
  /** The stored checkpoint `state` is (its attempt key), so a later attempt's record names it. */
  stateKey: string | undefined;
  restoredFromStore = 0;
  readonly recoveries: Recovery[] = [];
  /** Hubs that failed this job: not used again by it. */
  readonly avoid = new Set<string>();
  /** Why the next attempt starts, when it recovers the job (hubs count these). */
  note: RecoveryNote | undefined;
  /** The state left `from` and goes to the next attempt's first hub (reported once it is sent). */
  moveOut: { from: string; reason: MigrationReason } | undefined;
  /** Failed attempts in a row. */
  private failures = 0;

  constructor(private readonly deps: RecoveryDeps, firstFragment: number, resume?: { state?: Uint8Array; stateKey?: string }) {
    this.fragment = firstFragment;
    if (resume?.state) {
      this.take(resume.state, decodeCheckpoint(resume.state), resume.stateKey);
      this.restoredFromStore = 1;
      this.note = { reason: 'takeover', from: 'stored' };
    } else if (resume) {
      this.note = { reason: 'takeover', from: 'start' };
    }
  }

  /**
   * The hubs the next attempt may use, best fitting first, rotated by `start` among
   * equals. Throws JobError when none is up or none has what the job requires (the place
   * where a job could instead wait for capable hubs).
   */
  hubsFor(needs: JobNeeds, start: number): HubInfo[] {
    const up = this.deps.transport.hubs().filter((h) => !this.avoid.has(h.id));
    if (!up.length) throw new JobError(`no hubs are available to run the job${this.avoid.size ? ` (failed: ${[...this.avoid].join(', ')})` : ''}`);
    const at = start % up.length;
    const ranked = rankHubs([...up.slice(at), ...up.slice(0, at)], needs);
    if (!ranked.length) throw new JobError(describeMisfit(up, needs), { code: 'no-capable-hub' });
    return ranked;
  }

  /** An attempt's hub answered: the failures in a row are over. */
  succeeded(): void {
    this.failures = 0;
  }

  /** A hub sent the state back, whole (a hand-over failed, or nowhere to go): carry on from it. */
  returned(bytes: Uint8Array, cp: AnyCheckpoint, from: string): void {
    this.take(bytes, cp, undefined);
    this.moveOut = { from, reason: 'handover' };
  }

  /**
   * Attempt `a` failed with `err`. Rethrows it when it is not worth retrying (a trap ends a
   * durable job's record as failed first); otherwise avoids the hub, waits as retryDelay
   * says, and picks the state the next attempt starts from.
   */
  async failed(err: unknown, a: AttemptProgress, fragment: number): Promise<void> {
    const { progress, ledger } = this.deps;
    const detectedAt = Date.now();
    const retry = retryDelay(err, this.failures++);
    if (retry === undefined) {
      if (ledger && err instanceof FragmentTrap) await ledger.failed(a.attempt, err);
      throw err;
    }
    if (!unattributable(err)) this.avoid.add(a.holder);
    progress.touched.add(a.holder);
    progress.stats.retries++;
    progress.opts.onRetry?.({ hub: a.holder, fragment, error: err as Error });
    progress.emit({ kind: 'retry', hub: a.holder, fragment: a.at, code: errorCode(err), message: (err as Error).message, delayMs: retry });
    if (retry > 0) await sleep(retry);
    this.note = { reason: 'retry', from: this.state ? 'engine' : 'start' };
    // The newest checkpoint the lost attempt's hubs stored: any is later than the state
    // the attempt started from. One that does not decode is not used: the engine's own copy is.
    const stored = await this.storedOf(a.key, a.attempt);
    const cp = stored && decodeOrUndefined(stored);
    if (stored && cp?.kind === 'full' && cp.bundle === this.deps.bundleHash) {
      this.take(stored, cp, a.key);
      this.restoredFromStore++;
      this.note.from = 'stored';
    }
    this.recoveries.push({ hub: a.holder, attempt: a.attempt + 1, detectedAt, resumedAt: Date.now(), fromYields: this.stateYields, lastStoredYields: progress.lastStoredYields });
    progress.emit({ kind: 'recovery', hub: a.holder, attempt: a.attempt + 1, fromYields: this.stateYields, fromStore: this.note.from === 'stored', lastStoredYields: progress.lastStoredYields });
    this.moveOut = { from: a.holder, reason: 'recovery' };
  }

  /** The newest checkpoint stored under `key`, opened (sealed to this client); undefined when none or it does not open. */
  async storedOf(key: string, attempt: number): Promise<Uint8Array | undefined> {
    if (!this.deps.storing) return undefined;
    return openStored(this.deps.me, key, attempt, this.deps.bundleHash, await this.deps.transport.stored(key));
  }

  private take(bytes: Uint8Array, cp: AnyCheckpoint, key: string | undefined): void {
    this.state = bytes;
    this.fragment = cp.fragment;
    this.stateYields = cp.yields;
    this.statePaused = cp.paused;
    this.stateKey = key;
  }
}

/** A stored checkpoint, opened when sealed (to this client); undefined when it does not open. */
export function openStored(me: Identity, key: string, attempt: number, bundleHash: string, bytes: Uint8Array | undefined): Uint8Array | undefined {
  if (!bytes || !isSealed(bytes)) return bytes;
  try {
    return openAnon(me, storedContext(key, attempt, bundleHash), bytes);
  } catch {
    return undefined; // sealed to another identity, or altered: not usable
  }
}

/**
 * A reply refused for its signature or seal says nothing about the hub holding the
 * attempt: anyone may publish on the reply subject under any hub id, so holding it
 * against the holder would let one forged reply per attempt take every hub out of a job.
 */
function unattributable(err: unknown): boolean {
  return err instanceof HubError && err.code === 'bad-signature';
}

function decodeOrUndefined(bytes: Uint8Array): AnyCheckpoint | undefined {
  try {
    return decodeCheckpoint(bytes);
  } catch {
    return undefined;
  }
}
