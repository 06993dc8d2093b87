/**
 * The simulator's options and result (simulate.ts), the move cost it charges, and the
 * state its event loop keeps per job, running task and hub.
 */
import type { Decision, FragmentView, HubView, Measurement, PaceLearner, PartView, ReweaveDecision, ReweavePolicy, DecisionRecord } from '../policy/index.js';
import type { FragmentTemplate, Program, SimHub } from './model.js';
import type { World } from './world.js';
import type { WindowNoise } from './window-noise.js';

/** How the oracle charges a placement that would queue (SimOptions.oracleExternality). */
export type OracleExternality = number | 'load' | 'load-queue';

export interface SimOptions {
  cluster: { hubs: SimHub[]; datasets: string[] };
  programs: Program[];
  jobs: number;
  /** Mean time between job arrivals, ms. */
  interarrivalMs: number;
  seed?: number;
  /** Milliseconds of work per unit of weave build's static estimate, on a speed-1 hub. */
  msPerEstimate?: number;
  /** Spread of the true work around the static estimate (lognormal sigma), per template. */
  estimateSigma?: number;
  /** Spread of job sizes (lognormal sigma). @default 0.3 */
  sizeSigma?: number;
  /** After this many arrivals, none for a while (see InstanceOptions.pauseAfter). */
  pauseAfter?: { jobs: number; ms: number };
  failures?: boolean;
  /** The ground truth. @default standardWorld() */
  world?: World;
  /** @default 'stepwise' */
  mode?: 'stepwise' | 'routed';
  /** Who decides stay or move at yield points: a policy, the oracle, or nobody (the default). */
  reweave?: ReweavePolicy | typeof ORACLE;
  /** The hubs' safety limit. @default DEFAULT_MOVES_PER_MINUTE */
  movesPerMinute?: number;
  /** Fed every pace and move measurement, as hubs share them: in batches, at each advert. */
  learners?: PaceLearner[];
  /**
   * Hubs predict with this what their jobs have left (when a job starts, at each look,
   * when one queues) and advertise the wait for one more job (HubView.freeInMs).
   */
  predictor?: PaceLearner;
  /**
   * Idle hubs time a calibration run of this many ms at each advert and share its pace,
   * as measured history (not in their adverts). 0: they do not.
   */
  probeMs?: number;
  /**
   * Hubs share what they measured this often (a divisor of ADVERT_MS): learners take the
   * measurements taken since, in one batch. Live hubs put a delta every 0.5 s between
   * whole values every 2 s (runtime/engine/shared-history.ts). @default ADVERT_MS
   */
  shareMs?: number;
  /**
   * What a hub's look measures is the true pace times a window factor: with chance
   * `starved` a window in which the machine starved the slot (a factor drawn between `low`
   * and `high`: every hub on a busy machine sees such windows, which no advert shows),
   * otherwise lognormal with sigma `jitter`. Only what is measured changes (the looks'
   * samples, idle hubs' probes and the pace a re-weave policy sees), not the work done.
   * Absent: exact.
   */
  windowNoise?: WindowNoise;
  /** Every measurement as it is shared (for measurement logs). */
  onMeasurement?: (m: Measurement) => void;
  /** Sample decision latency every N decisions (µs). @default 97 */
  latencyEvery?: number;
  /** Every completed placement, as a decision log record. */
  onOutcome?: (rec: DecisionRecord) => void;
  /** Every move, with what the re-weave policy decided. */
  onMove?: (job: number, from: string, to: string, d: ReweaveDecision) => void;
  /**
   * Judges each stay-or-move decision against the truth: for the candidates the policy
   * gave a probability, whether moving there would really have finished the job sooner
   * than staying (both exact, replaying the target's queue; later arrivals and moves
   * unforeseen). For calibration reports; costs a replay per candidate.
   */
  judge?: (j: { p: number; better: boolean; stayMs: number; moveMs: number; moved: boolean }) => void;
  /**
   * How the oracle weighs the delay its choice imposes on later jobs (futures.ts,
   * oraclePlace): runs of the job charged where it would queue; 0 is plain earliest
   * completion; 'load' grows with the cluster's true load, as the learned weaver's charge
   * does with the load it sees; 'load-queue' with the queue's depth too, as the learned
   * weaver's does. Only read when the oracle places. @default 0
   */
  oracleExternality?: OracleExternality;
  /**
   * The oracle moves a job only when that saves at least this share of the time it has
   * left: each move takes a free slot later arrivals would have had, and moving whenever
   * it helps the mover made every family slower. @default 0.5
   */
  oracleMoveGain?: number;
}

export interface SimResult {
  policy: string;
  jobs: number;
  /** Placements plus stay-or-move decisions. */
  decisions: number;
  placements: number;
  moves: number;
  meanJobMs: number;
  /** Mean over jobs that arrived after the first `warmupJobs` (set by the caller). */
  meanJobMsAfter(warmupJobs: number): number;
  /** A proven lower bound on meanJobMsAfter(warmupJobs) under any policy (bound.ts). */
  lowerBoundMsAfter(warmupJobs: number): number;
  /** Job completion times in order of completion, the decision count when each ended, its program. */
  completions: Array<{ job: number; ms: number; decision: number; program: string }>;
  /** Placement latency samples, µs; and stay-or-move latency samples. */
  decisionUs: number[];
  reweaveUs: number[];
  restarts: number;
  wallMs: number;
}

/** The calibration kernel idle hubs time (SimOptions.probeMs): scalar code, no host calls, little memory. */
export const PROBE: FragmentTemplate = { template: 'calibration', estimate: 1, memoryBytes: 0, simd: false, gpu: false, data: false, dataBytes: 0, requires: [] };
export const PROBE_PART: PartView = { template: 'calibration', estimate: 1, calls: { simd: false, gpu: false } };

/** The oracle: knows every true duration and decides by them (futures.ts, oraclePlace). */
export const ORACLE = 'oracle';

/** A move, as the simulator charges it (hidden from policies, which learn it). */
export const MOVE_COST = {
  /** Pausing at the next yield point and capturing. */
  pauseMs: 2,
  /** Restoring: a fixed part and 1 GB/s of state. */
  restoreMs: 3, restoreBytesPerMs: 1e6,
  /** Cold caches, and code the new instance compiles: work lost after the restore. */
  coldMs: 30,
};

export interface Job {
  id: number; program: Program; size: number; dataset?: string; arrival: number;
  /** The fragment running or next to run. */
  next: number;
  /** True units left of fragments[next]. */
  left: number;
  /** fragments[next] has not started (its data read is still ahead). */
  fresh: boolean;
  /** Where its state is. */
  at?: HubState;
  /** Restore and cold caches still to pay before it runs again, ms. */
  pending: number;
  moves: number[];
  sinceMove: number;
  /** Invalidates a landing after the job was lost. */
  landing: number;
  /** The fragment it last moved during (the engine does not measure a run split between hubs). */
  movedDuring: number;
}
export interface Task {
  job: Job; hub: HubState; seq: number; epoch: number;
  view: FragmentView; hubView: HubView; decision?: Decision; candidates: number; placedAt: number;
  rate: number;
  /** From when `job.left` is counted down (the end of the data read, restore and transfer). */
  computeFrom: number;
  fragComputeStart: number;
  endsAt: number;
  /** Job end if it stays (routed) or fragment end (stepwise), for the oracle; NaN: not computed. */
  freesAt: number;
  lastLook: number;
  /** The hub's own prediction: ms left as of `predAt` (running), or its whole run (queued). */
  predMs: number;
  predAt: number;
}
export interface HubState { h: SimHub; up: boolean; running: Set<Task>; queue: Task[]; cpu: number; epoch: number }

export type Event =
  | { t: number; kind: 'arrive'; job: Job }
  | { t: number; kind: 'finish' | 'look'; task: Task; seq: number }
  | { t: number; kind: 'fail' | 'recover'; hub: HubState }
  | { t: number; kind: 'share' }
  | { t: number; kind: 'retry'; job: Job }
  | { t: number; kind: 'land'; job: Job; hub: HubState; seq: number; from: string; d: ReweaveDecision; movedAt: number };

/** Hubs advertise (their load; idle ones probe) every this many ms. */
export const ADVERT_MS = 2000;

/** When measurements are shared, up to `end`: every SimOptions.shareMs; each ADVERT_MS an advert too. */
export function shareTimes(opts: Pick<SimOptions, 'shareMs'>, end: number): number[] {
  const every = opts.shareMs ?? ADVERT_MS;
  if (!(every > 0 && ADVERT_MS % every === 0)) throw new Error(`shareMs ${every} must divide ${ADVERT_MS}`);
  const out: number[] = [];
  for (let at = every; at < end; at += every) out.push(at);
  return out;
}
