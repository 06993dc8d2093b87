/**
 * The wait a hub predicts for one more job at `now`: its own predictions of what each
 * running job has left, and of each queued one's run, replayed over its slots (what a
 * learned hub advertises as HubView.freeInMs).
 *   const ms = freeIn(hubState, now);
 */
import type { HubState } from './sim-types.js';

export function freeIn(s: HubState, now: number): number {
  if (s.running.size < s.h.slots) return 0;
  const free: number[] = [];
  for (const t of s.running) free.push(Math.max(0, t.predMs - (now - t.predAt)));
  free.sort((a, b) => a - b);
  for (const q of s.queue) {
    free.push(free.shift()! + q.predMs);
    free.sort((a, b) => a - b);
  }
  return free[0];
}
