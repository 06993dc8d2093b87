/**
 * What a routed job starts its next attempt from, and what happens when an attempt fails.
 *
 * The engine keeps the last state it holds: the arguments, a full checkpoint a hub sent
 * back, or the newest one hubs stored (`storeEvery`). When an attempt fails in a way
 * worth retrying, its hub rests for a while (retry.ts `RetryBudget`), and the next attempt
 * starts from the newest of those. This is the one place that decides to wait, retry or
 * give up: the hubs an attempt may use (`hubsFor`, which waits while there are none) and
 * the reaction to a failure (`failed`).
 *   const r = new RecoveryState(ctx, info.fragments[0]);
 *   try { … } catch (err) { await r.failed(err, attempt); }   // rethrows what is not retryable
 */
import { applyDiff, decodeCheckpoint, encodeCheckpoint, type AnyCheckpoint } from '../../snapshot/index.js';
import { FragmentTrap } from '../../exec/index.js';
import { HubError, TransportError, type RecoveryNote } from '../../protocol/index.js';
import { openAnon, isSealed, storedContext, type Identity } from '../../net/index.js';
import { describeMisfit, rankHubs, type JobNeeds } from '../../policy/index.js';
import type { MigrationReason, Recovery } from '../../trace/index.js';
import { backoff, sleep } from '../../util/index.js';
import { JobError } from '../errors.js';
import { errorCode } from '../job.js';
import { RetryBudget, retryKind } from '../retry.js';
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
  /** Aborts every wait of the job: its deadline passed, or it was cancelled. */
  signal?: AbortSignal;
  /** The job has a deadline: a job no live hub could ever run waits for one until then. */
  deadline?: boolean;
}

/** Between looks at the adverts while no hub can take the job: 100 ms doubling to 2 s, jittered. */
const WAIT_BACKOFF = backoff({ initialMs: 100, maxMs: 2000 });
/**
 * How long a recovery may wait for the store: up to STORED_PATIENCE_MS when a checkpoint
 * newer than the engine's own state is known stored (reading again every
 * STORE_CATCH_UP_MS while it finds less), QUICK_LOOK_MS when none is known. In a cluster
 * chaos run, recoveries that knew of nothing waited 10 s each on a store whose leader had
 * just been killed.
 */
const STORED_PATIENCE_MS = 15_000;
const QUICK_LOOK_MS = 500;
const STORE_CATCH_UP_MS = 250;
/** How long a recovery waits for a handed-over state its sender has yet to report stored. */
const HANDOVER_PATIENCE_MS = 1000;
/** Before the next attempt after a quiet hub: short, jittered, so the engines it served spread out. */
const QUIET_HUB_BACKOFF = backoff({ initialMs: 20, maxMs: 1000 });

/** Why a job waits: no hub at all, or none of the live ones can take it now. */
export interface Waiting { code: 'no-hubs' | 'no-capable-hub'; message: string }

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
  /** Hubs that failed this job rest a while; the job gives up only when failures come too fast. */
  readonly budget = new RetryBudget();
  /** Why the job waits for hubs now; undefined while it has one. */
  waiting: Waiting | undefined;
  /** Some live hub had what the job requires, once: when none has now, it is worth waiting. */
  private everCapable = false;
  /** Each hub's keys as last advertised: a hub lost has no advert, but its failure is of those keys. */
  private readonly lastKeys = new Map<string, { sign: Uint8Array; seal: Uint8Array }>();
  /** Why the next attempt starts, when it recovers the job (hubs count these). */
  note: RecoveryNote | undefined;
  /** The state left `from` and goes to the next attempt's first hub (reported once it is sent). */
  moveOut: { from: string; reason: MigrationReason } | undefined;
  /** Failed attempts in a row. */
  private failures = 0;
  /** The hub the next attempt starts on, when it is up and capable (a move given back unstarted). */
  prefer: string | undefined;

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
   * equals. While there are none (none live, or every capable one resting after failing
   * the job) it waits, looking again with backoff and jitter, and says so (a `waiting`
   * event, the status line). Throws JobError (`no-capable-hub`) at once when live hubs
   * lack what the job requires, none ever had it and the job has no deadline; JobError
   * (`no-hubs` / `no-capable-hub`, why it waited) when the job's signal aborts the wait.
   */
  async hubsFor(needs: JobNeeds, start: number): Promise<HubInfo[]> {
    const { transport, signal } = this.deps;
    for (let looks = 0; ; looks++) {
      const now = Date.now();
      const live = transport.hubs();
      for (const h of live) if (h.keys) this.lastKeys.set(h.id, h.keys);
      const up = live.filter((h) => !this.budget.restsUntil(h.id, h.keys, now));
      const at = up.length ? start % up.length : 0;
      const ranked = rankHubs([...up.slice(at), ...up.slice(0, at)], needs);
      if (ranked.length) {
        this.everCapable = true;
        this.waiting = undefined;
        return ranked;
      }
      const capable = rankHubs(live, needs);
      if (capable.length) this.everCapable = true;
      const failed = this.budget.failedHubs();
      const why: Waiting = !live.length
        ? { code: 'no-hubs', message: `no hubs are available to run the job${failed.length ? ` (failed: ${failed.join(', ')})` : ''}` }
        : !capable.length
          ? { code: 'no-capable-hub', message: describeMisfit(live, needs) }
          : { code: 'no-hubs', message: `every hub that can run the job failed it lately and rests (${this.budget.restingNow(now).join(', ')})` };
      // Nothing on the mesh could ever run it, as far as anyone knows: a mistake, not a wait.
      if (why.code === 'no-capable-hub' && !this.everCapable && !this.deps.deadline) throw new JobError(why.message, { code: 'no-capable-hub' });
      this.wait(why);
      const restsUntil = capable.map((h) => this.budget.restsUntil(h.id, h.keys, now)).filter((t) => t > 0);
      const delay = restsUntil.length ? Math.max(10, Math.min(...restsUntil) - now) : WAIT_BACKOFF(looks);
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        throw new JobError(why.message, { code: why.code });
      }
    }
  }

  /** Say once per reason that the job waits, and why. */
  private wait(why: Waiting): void {
    if (this.waiting?.code === why.code && this.waiting.message === why.message) return;
    this.waiting = why;
    const { progress } = this.deps;
    progress.emit({ kind: 'waiting', code: why.code, message: why.message, resting: this.budget.restingNow(Date.now()) });
    progress.waiting(why.message);
  }

  /** An attempt's hub answered: the failures in a row are over, and that hub rests no more. */
  succeeded(hub: string): void {
    this.failures = 0;
    this.budget.forgive(hub);
  }

  /**
   * The holder gave the attempt back before it started (a move asked while the job waited
   * for a busy slot): the next attempt starts on `to` from the same state. Not a failure.
   */
  movedBeforeStart(from: string, to: string): void {
    this.prefer = to;
    this.moveOut = { from, reason: 'reweave' };
  }

  /** A hub sent the state back, whole (a hand-over failed, or nowhere to go): carry on from it. */
  returned(bytes: Uint8Array, cp: AnyCheckpoint, from: string): void {
    this.take(bytes, cp, undefined);
    this.moveOut = { from, reason: 'handover' };
  }

  /**
   * Attempt `a` failed with `err`. Rethrows it when it is not worth retrying (a trap ends a
   * durable job's record as failed first) or the job's retry budget is spent; otherwise
   * rests the hub, waits a little after a quiet hub, and picks the state the next attempt
   * starts from.
   */
  async failed(err: unknown, a: AttemptProgress, fragment: number): Promise<void> {
    const { progress, ledger, transport } = this.deps;
    const detectedAt = Date.now();
    const kind = retryKind(err);
    const keys = transport.hubs().find((h) => h.id === a.holder)?.keys ?? this.lastKeys.get(a.holder);
    // A failure not worth retrying ends the job without counting against any hub.
    if (kind === undefined || !(unattributable(err) ? this.budget.unattributed(detectedAt) : this.budget.failed(a.holder, keys, detectedAt))) {
      if (ledger && err instanceof FragmentTrap) await ledger.failed(a.attempt, err);
      throw err;
    }
    // A holder found lost (its heartbeats stopped) rests in the budget, so the next attempt
    // goes to another hub: no reason to wait first. The engines it served all notice at
    // once, but they no longer pick the same hub (attempt.ts draws two). Other quiet-hub
    // failures (a timeout, a broken connection) may be the network's: those back off.
    const lost = err instanceof TransportError && err.code === 'hub-lost';
    const retry = kind === 'now' || lost ? 0 : QUIET_HUB_BACKOFF(this.failures);
    this.failures++;
    progress.touched.add(a.holder);
    progress.stats.retries++;
    progress.opts.onRetry?.({ hub: a.holder, fragment, error: err as Error });
    progress.emit({ kind: 'retry', hub: a.holder, fragment: a.at, code: errorCode(err), message: (err as Error).message, delayMs: retry });
    if (retry > 0) await sleep(retry, undefined, { signal: this.deps.signal }).catch(() => undefined);
    this.note = { reason: 'retry', from: this.state ? 'engine' : 'start' };
    // Start from the newest checkpoint the lost attempt's hubs (or an earlier attempt's)
    // stored; one that does not decode is not used: the engine's own copy is. Hubs report
    // a checkpoint stored only once the store acknowledged it, so when one newer than the
    // engine's state was reported, the engine waits for the store (a cluster electing a
    // leader takes seconds) and reads again while it finds less: restarting from further
    // back loses work for good. Otherwise a quick look suffices (for a report lost with
    // its hub: a healthy store answers in tens of ms).
    // A hand-over newer than that is being stored by the hub it left, when that hub lives:
    // worth a short wait too, never the long one (in a chaos run a hub lost soon after
    // taking a job restarted it from yield 0, though it had been handed over at 40,001;
    // waiting the long patience for such a store held recoveries for 15 s).
    const known = progress.newestStored?.yields ?? -1;
    const storedWanted = known > this.stateYields ? known : -1;
    const ho = progress.newestHandedOver;
    const handedOver = this.deps.storing && ho?.key === a.key && ho.yields > Math.max(known, this.stateYields) && transport.hubs().some((h) => h.id === ho.hub) ? ho.yields : -1;
    const storedUntil = detectedAt + (storedWanted >= 0 ? STORED_PATIENCE_MS : QUICK_LOOK_MS);
    const handoverUntil = detectedAt + HANDOVER_PATIENCE_MS;
    let found = await this.newestState(a, Math.max(storedUntil, handedOver >= 0 ? handoverUntil : 0));
    const more = () => {
      const y = yieldsOf(found.cp);
      const next = Date.now() + STORE_CATCH_UP_MS;
      return (y < storedWanted && next < storedUntil) || (y < handedOver && next < handoverUntil);
    };
    while (more() && !this.deps.signal?.aborted) {
      await sleep(STORE_CATCH_UP_MS, undefined, { signal: this.deps.signal }).catch(() => undefined);
      found = await this.newestState(a, yieldsOf(found.cp) < storedWanted ? storedUntil : handoverUntil);
    }
    const { stored, cp, key } = found;
    // A hand-over's, a periodic or a drain's: whichever left a hub last, never older than the engine's own.
    if (stored && cp?.kind === 'full' && cp.bundle === this.deps.bundleHash && cp.yields >= this.stateYields) {
      this.take(stored, cp, key);
      this.restoredFromStore++;
      this.note.from = 'stored';
    }
    this.recoveries.push({ hub: a.holder, attempt: a.attempt + 1, detectedAt, resumedAt: Date.now(), fromYields: this.stateYields, lastStoredYields: progress.lastStoredYields, lastKnownYields: Math.max(progress.lastKnownYields, this.stateYields), code: errorCode(err), why: (err as Error).message });
    progress.emit({ kind: 'recovery', hub: a.holder, attempt: a.attempt + 1, fromYields: this.stateYields, fromStore: this.note.from === 'stored', lastStoredYields: progress.lastStoredYields });
    this.moveOut = { from: a.holder, reason: 'recovery' };
  }

  /**
   * The newest checkpoint stored for the job that a recovery of attempt `a` may start from:
   * what `a`'s hubs stored, or what an earlier attempt stored when that is newer (an
   * attempt that started from an older state, because the store could not be read when
   * it began, and stored nothing yet must not take the job back further than that).
   */
  private async newestState(a: AttemptProgress, deadline: number): Promise<{ stored?: Uint8Array; cp?: AnyCheckpoint; key: string }> {
    const other = this.deps.progress.newestStored;
    // The hub that reported the newest checkpoint of this attempt first, alone: when it has
    // it, no other holder can have newer. Reading every holder's full checkpoint and diff
    // (a job that moved held by 3-4 hubs, 0.5 MB each here) took about 1 s of a chaos
    // run's recoveries on a busy machine.
    if (other && other.key === a.key && a.holders.has(other.hub)) {
      const first = await this.newestOf(a.key, a.attempt, [other.hub], deadline);
      if (yieldsOf(first.cp) >= other.yields) return { ...first, key: a.key };
    }
    const found = { ...(await this.newestOf(a.key, a.attempt, [...a.holders], deadline)), key: a.key };
    if (other && other.key !== a.key && other.yields > Math.max(yieldsOf(found.cp), this.stateYields)) {
      const o = await this.newestOf(other.key, other.attempt, [other.hub], deadline);
      if (yieldsOf(o.cp) > yieldsOf(found.cp)) return { ...o, key: other.key };
    }
    return found;
  }

  private async newestOf(key: string, attempt: number, holders: readonly string[], deadline?: number): Promise<{ stored?: Uint8Array; cp?: AnyCheckpoint }> {
    const stored = await this.storedOf(key, attempt, holders, deadline);
    return { stored, cp: stored && decodeOrUndefined(stored) };
  }

  /**
   * The newest checkpoint any of `holders` (the hubs that held attempt `key`) stored under
   * it, opened; undefined when none. A store that does not answer is asked until `deadline`.
   */
  async storedOf(key: string, attempt: number, holders: readonly string[], deadline?: number): Promise<Uint8Array | undefined> {
    if (!this.deps.storing) return undefined;
    return newestStored(this.deps.transport, this.deps.me, key, attempt, this.deps.bundleHash, holders, deadline === undefined ? undefined : Math.max(0, deadline - Date.now()));
  }

  private take(bytes: Uint8Array, cp: AnyCheckpoint, key: string | undefined): void {
    this.state = bytes;
    this.fragment = cp.fragment;
    this.stateYields = cp.yields;
    this.statePaused = cp.paused;
    this.stateKey = key;
  }
}

/**
 * The newest checkpoint the hubs that held attempt `attempt` stored under its key `key`,
 * opened (sealed to this client): each hub's full one with the diff it stored beside it
 * applied when it is against that one, the one with the most yield points of all. A hub's
 * late write may be older than another's: the yield count decides, not the order of
 * writes. Undefined when none opens.
 */
export async function newestStored(transport: Pick<RoutedTransport, 'stored'>, me: Identity, key: string, attempt: number, bundleHash: string, holders?: readonly string[], patienceMs?: number): Promise<Uint8Array | undefined> {
  let best: { bytes: Uint8Array; yields: number } | undefined;
  for (const s of await transport.stored(key, holders, patienceMs)) {
    const base = openStored(me, key, attempt, bundleHash, s.full);
    const b = base && decodeOrUndefined(base);
    if (!base || b?.kind !== 'full') continue;
    let bytes = base;
    let yields = b.yields;
    const d = s.diff && openStored(me, key, attempt, bundleHash, s.diff);
    const dc = d && decodeOrUndefined(d);
    // A diff against another full one (a newer full replaced it meanwhile) is not used.
    if (dc?.kind === 'diff' && dc.base === b.id) {
      const whole = applyDiff(b, dc);
      bytes = encodeCheckpoint(whole);
      yields = whole.yields;
    }
    if (!best || yields > best.yields) best = { bytes, yields };
  }
  return best?.bytes;
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

/** A full checkpoint's yield count; -1 for none (or a diff, which cannot be started from). */
function yieldsOf(cp: AnyCheckpoint | undefined): number {
  return cp?.kind === 'full' ? cp.yields : -1;
}

function decodeOrUndefined(bytes: Uint8Array): AnyCheckpoint | undefined {
  try {
    return decodeCheckpoint(bytes);
  } catch {
    return undefined;
  }
}
