/**
 * The one retry schedule of the runtime: exponential backoff with jitter, so that many
 * clients or hubs failing at the same moment (a server restart, a lost hub) do not all
 * come back at the same moment too. Sleeping is `node:timers/promises`' setTimeout.
 *   const delays = backoff({ initialMs: 100, maxMs: 2000 });
 *   for (let i = 0; ; i++) { try { return await op(); } catch { await sleep(delays(i)); } }
 */
export { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. @default 100 */
  initialMs?: number;
  /** Largest delay, before jitter. @default 2000 */
  maxMs?: number;
  /** Growth per retry. @default 2 */
  factor?: number;
  /**
   * Share of each delay that is random: 0.5 waits between half and all of the nominal
   * delay ("equal jitter"), so a retry never comes much sooner than the schedule says
   * but retries of many peers spread out. @default 0.5
   */
  jitter?: number;
  /** Random numbers in [0, 1) (tests pass a fixed one). @default Math.random */
  random?: () => number;
}

/** A schedule: retry number (0-based) in, milliseconds to wait out. */
export type Backoff = (retry: number) => number;

/** Throws RangeError for a negative or non-finite setting, or jitter outside [0, 1]. */
export function backoff(opts: BackoffOptions = {}): Backoff {
  const initialMs = opts.initialMs ?? 100;
  const maxMs = opts.maxMs ?? 2000;
  const factor = opts.factor ?? 2;
  const jitter = opts.jitter ?? 0.5;
  const random = opts.random ?? Math.random;
  for (const [k, x] of [['initialMs', initialMs], ['maxMs', maxMs], ['factor', factor]] as const) {
    if (!Number.isFinite(x) || x < 0) throw new RangeError(`backoff: ${k} must be a non-negative number, got ${x}`);
  }
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`backoff: jitter must be from 0 to 1, got ${jitter}`);
  return (retry) => {
    const nominal = Math.min(maxMs, initialMs * factor ** Math.max(0, retry));
    return Math.round(nominal * (1 - jitter * random()));
  };
}
