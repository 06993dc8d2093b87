/**
 * What an engine can estimate from what it observes, shared by the hand-tuned cost model,
 * the learned scorer's features and the simulator's hub adverts, so all three mean the
 * same thing by "work", "wait" and "transfer".
 *   const work = estimatedWorkMs(fragment);          // ms on a speed-1 hub
 *   const wait = expectedWaitMs(hub, runMsThere);    // 0 while a slot is free
 */
import type { FragmentView, HubView } from './types.js';

/** Milliseconds per unit of weave build's static estimate on a speed-1 hub (hand-tuned). */
export const MS_PER_ESTIMATE_UNIT = 1e-3;

/** What `f` is expected to cost on a speed-1 hub, ms: measured history when there is
 *  some, the static estimate before. */
export function estimatedWorkMs(f: FragmentView): number {
  return f.measuredMs ?? f.estimate * MS_PER_ESTIMATE_UNIT;
}

/**
 * How long a fragment that would run `run` ms on `h` waits before a slot frees, ms. With
 * the queue's contents advertised: the work ahead of it spread over the slots, at the
 * hub's speed and load; with only the queue's length, one run of this fragment for each
 * fragment ahead (and one for those running).
 */
export function expectedWaitMs(h: HubView, run: number): number {
  if (h.busy < h.slots) return 0;
  if (h.queuedWork === undefined || h.runningWork === undefined) return (h.queue + 1) * run;
  return ((h.queuedWork + h.runningWork) / h.slots / Math.max(0.1, h.speed)) * (1 + h.cpu);
}

/** Milliseconds to move `bytes` over `mbps` plus one round trip. */
export function transferMs(bytes: number, h: Pick<HubView, 'rttMs' | 'mbps'>): number {
  return bytes === 0 ? 0 : h.rttMs + (bytes * 8) / (Math.max(1, h.mbps) * 1000);
}

/** Bytes of the fragment's datasets the hub does not hold (read over the network). */
export function remoteDataBytes(f: FragmentView, h: HubView): number {
  let n = 0;
  for (const d of f.datasets) if (!h.datasets.includes(d.name)) n += d.bytes;
  return n;
}

/**
 * What a placement that would wait in `h`'s queue costs the fragments placed after it:
 * `charge` times its own run there, and nothing where a slot is free. Minimizing each
 * fragment's own completion alone joins a fast hub's queue whenever that finishes this
 * fragment sooner than an idle slower hub would, and everything that hub would have taken
 * next then waits the length of this run; in the simulator, an oracle that knows every
 * true duration loses to the hand-tuned cost model that way, and wins by 19% with this.
 * Each policy has its own best `charge`: the less it trusts its run estimate, the less
 * it should charge (the cost model 0.5, the learned scorer 1.5, the oracle 2).
 */
export function queueChargeMs(h: HubView, run: number, charge: number): number {
  return h.busy >= h.slots ? charge * run : 0;
}

/**
 * How busy the hubs in view are: fragments running and queued per slot (1: every slot
 * busy, no queue). What a queued placement costs later fragments grows with it: on a
 * cluster with free slots the next arrival finds another, on a loaded one it waits behind
 * the run that took the slot.
 */
export function clusterLoad(hubs: readonly Pick<HubView, 'busy' | 'slots' | 'queue'>[]): number {
  let busy = 0, slots = 0;
  for (const h of hubs) { busy += Math.min(h.busy, h.slots) + h.queue; slots += h.slots; }
  return slots > 0 ? busy / slots : 0;
}

/** The most runs a queued placement is charged, whatever the load and the queue. */
export const MAX_QUEUE_CHARGE = 3;

/** Runs charged per unit of load: the learned weaver's, and the oracle's that charges by load (docs/policy.md). */
export const DEFAULT_CHARGE_PER_LOAD = 2.5;

/**
 * A queue charge (queueChargeMs) that grows with the load: `perLoad` runs per unit of
 * clusterLoad, held between `min` and `max`. A fixed charge is right at one load only:
 * the learned weaver's best fixed 1.5 charged too little on a cluster with queues
 * everywhere (placements joined queues, the next arrivals waited) and too much on a
 * quiet one (placements went to slow hubs to avoid a short wait); docs/policy.md.
 */
export function loadScaledCharge(load: number, perLoad = DEFAULT_CHARGE_PER_LOAD, min = 0.5, max = MAX_QUEUE_CHARGE): number {
  const c = perLoad * load;
  return c < min ? min : c > max ? max : c;
}

/** How much more a queued placement is charged per fragment already waiting there (queueDepthCharge). */
export const DEFAULT_CHARGE_PER_QUEUED = 1;

/**
 * The charge for joining a queue `queue` fragments long: `charge` (loadScaledCharge) times
 * 1 + `perQueued` per fragment waiting, at most MAX_QUEUE_CHARGE. A placement behind a
 * queue holds the hub's slots for longer than one run: the arrivals it displaces go to
 * slower hubs, and more of them the deeper it sits. Joining the fast hubs' queues was where
 * the learned weaver lost most against the oracle on noisy neighbours' worst draw (its
 * queued jobs gained 134 s on the oracle's choice for them, the jobs then placed on slower
 * free hubs lost 349 s; docs/policy.md, "Queue depth").
 */
export function queueDepthCharge(charge: number, queue: number, perQueued = DEFAULT_CHARGE_PER_QUEUED): number {
  const c = charge * (1 + perQueued * queue);
  return c > MAX_QUEUE_CHARGE ? MAX_QUEUE_CHARGE : c;
}
