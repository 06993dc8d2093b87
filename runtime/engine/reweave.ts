/**
 * Re-weaving: should a running fragment move, and where? Pure: hub adverts in, a target
 * hub (or nothing) out, so it is tested without a mesh.
 *
 * A hub's pace for one more fragment is its calibrated speed (which a throttled or slower
 * machine advertises lower) times the share of a slot it can give: full while it has a
 * free slot, less as runs queue. The holder's own pace counts the fragment already there.
 * A move costs a pause, a transfer and a restore, and adverts are a few seconds old, so
 * a candidate must be clearly better (`gain`, 1.5x by default) on `confirm` consecutive
 * fresh views, and a job moved less than `cooldownMs` ago stays: hysteresis, so two hubs
 * of about the same pace never trade a fragment back and forth.
 *
 * Every engine sees the same adverts, so when a hub comes up idle, all the jobs queued
 * elsewhere find it clearly better at once. A chaos run (issue 15) had ten jobs moving
 * together from hub to hub every 3 s, each landing at the back of the new queue, up to
 * 30 attempts each. So a confirmed move is taken only with `moveChance` (half by default:
 * about half the herd moves, and the next adverts show the target's new queue to the
 * rest), and the cooldown doubles after each move of the job, up to `maxCooldownMs`.
 *   const rw = reweaver();
 *   const to = rw.consider(holder, hubs, Date.now());   // hub id, or undefined
 */
import type { HubInfo } from './transport.js';

export interface ReweaveOptions {
  /** How much faster a candidate must be. @default 1.5 */
  gain?: number;
  /** Consecutive views that must agree. @default 2 */
  confirm?: number;
  /** Least time between moves of one job, and from its start; doubles after each move. @default 3000 */
  cooldownMs?: number;
  /** The most the cooldown grows to. @default 30000 */
  maxCooldownMs?: number;
  /** Chance that a confirmed move is taken now. @default 0.5 */
  moveChance?: number;
  /** Uniform in [0, 1). @default Math.random */
  random?: () => number;
}

export interface Reweaver {
  /**
   * Look at the hubs now (capable of the job, `holder` among them): the hub to move to, or
   * undefined. Call on every fresh view; a returned move starts the cooldown.
   */
  consider(holder: string, hubs: readonly HubInfo[], now: number): string | undefined;
}

/** Relative pace of `h` for a fragment; `hosting`: the fragment is already there. */
export function pace(h: HubInfo, hosting: boolean): number {
  const speed = h.caps?.speed ?? 1;
  const load = h.load;
  if (!load || load.slots <= 0) return speed;
  const runs = load.busy + load.queue + (hosting ? 0 : 1);
  return speed * Math.min(1, load.slots / Math.max(1, runs));
}

export function reweaver(opts: ReweaveOptions = {}, startedAt = Date.now()): Reweaver {
  const gain = opts.gain ?? 1.5;
  const confirm = opts.confirm ?? 2;
  const maxCooldownMs = opts.maxCooldownMs ?? 30_000;
  const moveChance = opts.moveChance ?? 0.5;
  const random = opts.random ?? Math.random;
  let cooldownMs = opts.cooldownMs ?? 3000;
  let lastMove = startedAt;
  let streak = { to: '', n: 0 };
  return {
    consider(holder, hubs, now) {
      const here = hubs.find((h) => h.id === holder);
      if (!here) return undefined; // the holder is not in view: failure handling's business
      let best: HubInfo | undefined;
      for (const h of hubs) if (h.id !== holder && (!best || pace(h, false) > pace(best, false))) best = h;
      if (!best || pace(best, false) < gain * pace(here, true)) {
        streak = { to: '', n: 0 };
        return undefined;
      }
      streak = streak.to === best.id ? { to: best.id, n: streak.n + 1 } : { to: best.id, n: 1 };
      if (streak.n < confirm || now - lastMove < cooldownMs) return undefined;
      if (random() >= moveChance) return undefined;
      lastMove = now;
      cooldownMs = Math.min(maxCooldownMs, cooldownMs * 2);
      streak = { to: '', n: 0 };
      return best.id;
    },
  };
}
