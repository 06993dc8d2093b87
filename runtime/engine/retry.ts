/**
 * When the engine places a failed step again, and when it gives up: at once when nobody
 * listens or the hub refused for a reason another hub may not have (draining, no base, a
 * failed hand-over, a bad signature, a checkpoint it would not open); after a jittered
 * backoff when the hub went quiet or could not reach what it needed (`transport-*`);
 * never for anything else (a trap, a bad module).
 *
 * The stepwise engine counts failures in a row (`retryDelay`). A routed job keeps a
 * `RetryBudget` instead: a hub that failed it rests for a while (longer each time it
 * fails again), and the job gives up only when failures come too fast for too long, never
 * because "every hub failed once": hubs that were lost come back.
 *   const wait = retryDelay(err, failures++);   // undefined: give up and throw err
 *   const budget = new RetryBudget(); budget.failed('hub-1', keys, Date.now());
 */
import { HubError, TransportError } from '../protocol/index.js';
import { backoff } from '../util/index.js';

/** Most consecutive failed placements of one step before a stepwise job fails. */
export const MAX_PLACEMENT_ATTEMPTS = 6;

/** After a hub went quiet: 100 ms doubling to 2 s, jittered so that the engines a lost hub served do not come back in step. */
const QUIET_HUB_BACKOFF = backoff({ initialMs: 100, maxMs: 2000 });

/** How long a hub that failed a routed job rests before the job uses it again: 500 ms doubling to 15 s. */
const HUB_REST = backoff({ initialMs: 500, maxMs: 15_000, jitter: 0.3 });

/** A routed job fails when this many of its attempts failed within RETRY_WINDOW_MS. */
export const MAX_FAILURES_PER_WINDOW = 30;
export const RETRY_WINDOW_MS = 60_000;

/** How soon a failure may be retried: 'now', 'backoff' (a quiet hub), or undefined (not retryable). */
export function retryKind(err: unknown): 'now' | 'backoff' | undefined {
  // A result without a valid signature of a hub the engine assigned is discarded and the
  // fragment re-run; so is a checkpoint a hub would not open (it may be retried elsewhere).
  if (err instanceof HubError && (err.code === 'draining' || err.code === 'not-started' || err.code === 'no-base' || err.code === 'handoff-failed' || err.code === 'bad-signature' || err.code.startsWith('seal-'))) return 'now';
  // The hub could not reach something it needed (the job's bundle, the job store): another
  // hub, or this one later, may. ExecService.rejected names these `transport-<code>`.
  if (err instanceof HubError && err.code.startsWith('transport-')) return 'backoff';
  if (!(err instanceof TransportError)) return undefined;
  if (err.code === 'no-responders') return 'now';
  if (err.code === 'timeout' || err.code === 'hub-lost' || err.code === 'transport') return 'backoff';
  return undefined;
}

/** Backoff before re-placing after `err` (0: at once), or undefined when it is not retryable or `attempt` is the last. */
export function retryDelay(err: unknown, attempt: number): number | undefined {
  if (attempt + 1 >= MAX_PLACEMENT_ATTEMPTS) return undefined;
  const kind = retryKind(err);
  if (kind === undefined) return undefined;
  return kind === 'now' ? 0 : QUIET_HUB_BACKOFF(attempt);
}

/** The keys a hub advertised: a hub restarted under the same name has new ones. */
type HubKeys = { sign: Uint8Array } | undefined;

interface Resting { failures: number; until: number; keys: HubKeys }

/**
 * A routed job's retry budget, per hub and per time. Each hub that failed the job rests
 * (HUB_REST after its n-th failure in a row) unless it comes back as a new process (new
 * keys); a hub that then answers is forgiven. The job as a whole gives up after
 * MAX_FAILURES_PER_WINDOW failures in RETRY_WINDOW_MS: a job failing that often is failing
 * for a reason of its own, not waiting for hubs.
 */
export class RetryBudget {
  private readonly resting = new Map<string, Resting>();
  private readonly recent: number[] = [];

  /** Note that `hub` failed the job at `now`. False when the per-time budget is spent. */
  failed(hub: string, keys: HubKeys, now: number): boolean {
    const prev = this.resting.get(hub);
    const failures = (prev?.failures ?? 0) + 1;
    this.resting.set(hub, { failures, until: now + HUB_REST(failures - 1), keys });
    return this.unattributed(now);
  }

  /**
   * A failure no hub can be blamed for (a reply refused for its signature: anyone may send
   * one under any hub's name). It counts against the job's budget; no hub rests.
   */
  unattributed(now: number): boolean {
    this.recent.push(now);
    while (this.recent.length && this.recent[0] <= now - RETRY_WINDOW_MS) this.recent.shift();
    return this.recent.length < MAX_FAILURES_PER_WINDOW;
  }

  /** `hub` ran an attempt to an answer: it rests no more. */
  forgive(hub: string): void {
    this.resting.delete(hub);
  }

  /** When `hub` (advertising `keys` now) may be used again; 0: now. */
  restsUntil(hub: string, keys: HubKeys, now: number): number {
    const r = this.resting.get(hub);
    if (!r || r.until <= now) return 0;
    // Restarted: a new process, with nothing of the failure in it.
    if (r.keys && keys && !Buffer.from(r.keys.sign).equals(Buffer.from(keys.sign))) return 0;
    return r.until;
  }

  /** The hubs resting now, by name (for messages). */
  restingNow(now: number): string[] {
    return [...this.resting].filter(([, r]) => r.until > now).map(([h]) => h);
  }

  /** Hubs that ever failed the job. */
  failedHubs(): string[] {
    return [...this.resting.keys()];
  }
}
