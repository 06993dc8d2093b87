/**
 * What a placement policy sees and decides. Pure data: the same views come from live
 * hubs (adverts, measured RTT) and from the cluster simulator, so every policy runs
 * unchanged in both.
 *   const d = policy.choose(fragment, hubs);   // { hub: 'b', policy: 'learned' }
 *   policy.observe?.(fragment, hubs.find((h) => h.id === d.hub)!, measuredMs);
 */
import type { Capability } from '../../fragments/abi.js';

/** A fragment about to be placed (or, when `at` is set, that could move). */
export interface FragmentView {
  /** Which code it is: fragments of the same template cost alike (bundle hash + fragment id). */
  template: string;
  /** weave build's static cost estimate (instructions weighted by loop depth). */
  estimate: number;
  /** Mean measured duration of this template so far, per unit of hub speed, if any. */
  measuredMs?: number;
  /** Checkpoint bytes that move with it when it changes hub. */
  stateBytes: number;
  /** Host interfaces it calls. */
  calls: { simd: boolean; gpu: boolean };
  requires: Capability[];
  /** Datasets it reads, with the bytes it reads from each. */
  datasets: Array<{ name: string; bytes: number }>;
  /** The hub holding its state now (undefined before its first placement). */
  at?: string;
}

/** A candidate hub, as its advert and the measured link to it describe it. */
export interface HubView {
  id: string;
  slots: number;
  busy: number;
  queue: number;
  /** Recent CPU load per core (0 idle, 1 saturated), as advertised. */
  cpu: number;
  /** Relative speed from a calibration run (1: the reference machine). */
  speed: number;
  caps: { avx2: boolean; gpu: boolean };
  datasets: readonly string[];
  /** Round trip and bandwidth from where the fragment's state is (or from the engine). */
  rttMs: number;
  mbps: number;
  /**
   * What its queue holds, not just how long it is: the estimated work of the fragments
   * waiting there, ms on a speed-1 hub (each fragment's measured cost, else its static
   * estimate, as estimatedWorkMs gives it). Absent where the hub does not say (live
   * hubs today): policies then fall back to `queue`.
   */
  queuedWork?: number;
  /** Estimated work still left in the fragments running there (same units): each one's
   *  estimate less what its elapsed time covers at the hub's speed and load. */
  runningWork?: number;
  /** The hub's own link rate, Mbit/s, as measured or advertised: what bounds its reads of
   *  remote datasets, wherever they come from (`mbps` is the path from the state). */
  linkMbps?: number;
}

export interface Decision {
  hub: string;
  /** Which policy decided (a holdback wrapper may hand the decision to its baseline). */
  policy: string;
  /** True when this choice explored rather than exploited. */
  explored?: boolean;
  /** The policy's predicted duration for the chosen hub, ms, where it has one. */
  predictedMs?: number;
}

export interface PlacementPolicy {
  readonly name: string;
  /** Choose among `hubs` (non-empty; all able to run the fragment). */
  choose(f: FragmentView, hubs: readonly HubView[]): Decision;
  /** What placing `f` on `hub` cost, start to end (waiting, moving, reading, running);
   *  `decision` is what `choose` returned for it. */
  observe?(f: FragmentView, hub: HubView, ms: number, decision?: Decision): void;
}
