/**
 * Placement policies: pure functions from (fragment, hubs) to a choice. Round-robin is the
 * only one so far; the learned scorer arrives with issue 5.
 *   const next = roundRobin(); next(['a', 'b']) // 'a', then 'b', ...
 */

/** Cycles through the hubs in order, one choice per call. */
export function roundRobin(): (hubs: readonly string[]) => string {
  let i = 0;
  return (hubs) => hubs[i++ % hubs.length];
}

export { jobNeeds, rankHubs, describeMisfit, type HubTraits, type JobNeeds } from './fit.js';
