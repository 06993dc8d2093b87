/**
 * When the engine places a failed step again, and when it gives up: at once when nobody
 * listens or the hub refused for a reason another hub may not have (draining, no base, a
 * failed hand-over, a bad signature, a checkpoint it would not open); after a jittered
 * backoff when the hub went quiet; never for anything else (a trap, a bad module).
 *   const wait = retryDelay(err, failures++);   // undefined: give up and throw err
 */
import { HubError, TransportError } from '../protocol/index.js';
import { backoff } from '../util/index.js';

/** Most consecutive failed placements of one step before the job fails. */
export const MAX_PLACEMENT_ATTEMPTS = 6;

/** After a hub went quiet: 100 ms doubling to 2 s, jittered so that the engines a lost hub served do not come back in step. */
const QUIET_HUB_BACKOFF = backoff({ initialMs: 100, maxMs: 2000 });

/** Backoff before re-placing after `err` (0: at once), or undefined when it is not retryable. */
export function retryDelay(err: unknown, attempt: number): number | undefined {
  if (attempt + 1 >= MAX_PLACEMENT_ATTEMPTS) return undefined;
  // A result without a valid signature of a hub the engine assigned is discarded and the
  // fragment re-run; so is a checkpoint a hub would not open (it may be retried elsewhere).
  if (err instanceof HubError && (err.code === 'draining' || err.code === 'no-base' || err.code === 'handoff-failed' || err.code === 'bad-signature' || err.code.startsWith('seal-'))) return 0;
  if (!(err instanceof TransportError)) return undefined;
  if (err.code === 'no-responders') return 0;
  if (err.code === 'timeout' || err.code === 'hub-lost' || err.code === 'transport') return QUIET_HUB_BACKOFF(attempt);
  return undefined;
}
