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
  /**
   * The fragments this decision covers, in order, where the caller knows them: on a
   * routed mesh the job runs on where it starts, so a placement or a move covers the rest
   * of the job. The fields above then summarize them. Policies that learn per template
   * (LearnedWeaver) use them; the others need not look.
   */
  parts?: readonly PartView[];
}

/** One fragment among those a decision covers. */
export interface PartView {
  /** Same meaning as FragmentView.template. */
  template: string;
  /** Static estimate of this run (scaled by the job's arguments where the caller knows them). */
  estimate: number;
  /** The engine's measured cost per unit of hub speed, as FragmentView.measuredMs. */
  measuredMs?: number;
  calls: { simd: boolean; gpu: boolean };
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
  /**
   * Memory bandwidth from a streaming calibration at start, in half-octaves against the
   * reference machine (0: a quarter, 2: the same, 4: four times), where the hub measures
   * it; part of its kind (hub-kind.ts). Absent: 2.
   */
  memTier?: number;
  /**
   * Predicted ms until one more job could start here: the hub's own prediction of what
   * its running jobs have left (from the pace it measures) and of its queue, replayed over
   * its slots; 0 with a slot free. Hubs that run a learned model advertise it
   * (LearnedWeaver.predictMs); absent elsewhere, and policies fall back to queuedWork.
   */
  freeInMs?: number;
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

/**
 * A running job at one of its holder's yield points: what the holder knows without asking
 * anyone. Work is counted in units that do not depend on the hub (yield points passed:
 * weave's execution is deterministic, so a run passes the same ones everywhere).
 */
export interface RunView {
  /** The job (attempt) key. */
  job: string;
  /** What is left, as a placement would see it; `at` is the holder, `parts[0]` the running fragment. */
  rest: FragmentView;
  /** Units already done on the running fragment. */
  done: number;
  /** Measured here since the last look: units done and ms spent (the observed pace). */
  recent: { units: number; ms: number };
  /** Ms since the job started here or last moved. */
  sinceMs: number;
  /** Moves of this job in the last minute (the safety limit counts them). */
  movesLastMinute: number;
}

/** One candidate a stay-or-move decision weighed. */
export interface MoveOption {
  hub: string;
  /** Probability that moving there now finishes the job sooner than staying, the move's own cost included. */
  p: number;
  /** Predicted time to finish if it moves there, ms (move, wait and run). */
  predictedMs: number;
}

export interface ReweaveDecision {
  /** Where to move the job now; undefined: stay. */
  to?: string;
  policy: string;
  /** True when this move explored rather than exploited. */
  explored?: boolean;
  /** Predicted time to finish if it stays, ms. */
  stayMs?: number;
  /** The best candidates weighed, most likely first (a few, not every hub). */
  options?: MoveOption[];
  /** Where this look would have moved the job, waiting for the next look to agree. */
  leaning?: string;
}

/**
 * Stay or move, decided by the hub holding a running job at its yield points. `consider`
 * is pure and cheap (no I/O); the hub calls it no more often than `everyMs` of running,
 * only while the job has moved fewer than the safety limit's moves in the last minute,
 * and carries out the move it returns.
 */
export interface ReweavePolicy {
  readonly name: string;
  /** Least ms of running between two calls for one job. */
  readonly everyMs: number;
  /** `holder` is where the job runs; `hubs` the other capable candidates (the holder may be among them). */
  consider(run: RunView, holder: HubView, hubs: readonly HubView[], now: number): ReweaveDecision;
}

/**
 * A pace measurement a hub makes of a run at a yield point (or as the fragment ends):
 * `units` of `part`'s work took `ms` on `hub`. Hubs record these in their history
 * (pace-history.ts) and share it; learned policies learn from them.
 */
export interface PaceSample {
  part: PartView;
  /** The hub that ran it, as it advertised itself then (speed, load, caps, memory tier). */
  hub: HubView;
  units: number;
  ms: number;
  /** When the measurement ended (epoch ms, or simulated ms). */
  t: number;
  /** Set when the fragment ended with this sample: its total units (yields), wherever they ran. */
  total?: number;
  /**
   * How much it counts, in seconds of a fragment's measurement. @default its ms / 1000,
   * up to 2. A calibration run (part.template 'calibration'), alone on its slot, counts more.
   */
  weight?: number;
}

/** What a move cost, measured from the pause at the old hub to the first yield at the new one. */
export interface MoveSample {
  from: string;
  to: HubView;
  stateBytes: number;
  ms: number;
  t: number;
}

/** A dataset read a hub made: `bytes` of `dataset` in `ms`, from its own copy or from another hub. */
export interface ReadSample {
  dataset: string;
  bytes: number;
  ms: number;
  local: boolean;
  hub: HubView;
  t: number;
}

/** Something that learns from hubs' measurements (the simulator and hubs feed it). */
export interface PaceLearner {
  observePace(s: PaceSample): void;
  observeMove?(m: MoveSample): void;
  observeRead?(r: ReadSample): void;
  /**
   * What a hub predicts `run` has left on `holder`, ms (for HubView.freeInMs); for a job
   * still queued, `done` is 0 and `recent` empty.
   */
  predictMs?(run: Pick<RunView, 'rest' | 'done' | 'recent'>, holder: HubView): number;
}
