/**
 * The job event schema (version 1): what an engine saw while running one job, one event
 * per fragment run, checkpoint, migration, retry and recovery, never one per yield point.
 * `weave run --trace FILE` writes them as ndjson, `--jsonl` prints them; docs/trace.md.
 *   const r = await runJob(mesh, bundle, { args: [10], onEvent: (e) => lines.push(formatEvent(e)) });
 *   // {"v":1,"t":1717000000123.456,"job":"9f…","kind":"fragment-start","hub":"embedded-0",…}
 */
import { formatResult, type ResultValue } from '../exec/index.js';

/** Bumped when a field changes meaning or goes away; new kinds and fields do not bump it. */
export const TRACE_VERSION = 1;

/** Why the state moved to another hub. */
export type MigrationReason =
  /** Paused after every N yield points (`--migrate-every`) and resumed elsewhere. */
  | 'migrate-every'
  /** Stepwise engine: the next fragment was placed on another hub than the last one. */
  | 'placement'
  /** The engine asked the holder to move it to a clearly faster hub. */
  | 'reweave'
  /** Routed: a hub handed it on for another reason (it was draining), or a hand-over
   *  failed and the state came back to the engine, which sent it on. */
  | 'handover'
  /** A new attempt after the hub holding the job was lost or failed it. */
  | 'recovery'
  /** Stepwise: a placement failed and the engine placed the state elsewhere. */
  | 'retry';

/**
 * Fields every event has. `t`: when it happened, epoch ms (fractional): by the engine's
 * clock, or, for what a hub reports (a pause, a resume), by that hub's. So lines are
 * written as the engine learns of them, not always in `t` order.
 */
export interface EventBase { v: number; t: number; job: string }

export interface JobStartEvent extends EventBase {
  kind: 'job-start';
  entry: string;
  /** Fragments of the entry. */
  fragments: number;
  /** `embedded`: the engine steps the job, every state passes through it; `nats`: hubs hand it on. */
  mesh: 'embedded' | 'nats';
  /** The hubs live when the job started. */
  hubs: string[];
  migrateEvery: number;
  /** The arguments, as decimal strings (i64 would not survive JSON as numbers). */
  args: string[];
}

/** The engine sent a fragment to a hub, or (routed) learned that a hub resumed it. */
export interface FragmentStartEvent extends EventBase {
  kind: 'fragment-start';
  hub: string;
  fragment: number;
  /** Routed: the job attempt (one more after every recovery). Stepwise: failed tries of
   *  this placement before this one. */
  attempt: number;
  /** Checkpoint bytes it got (0: it starts from the arguments). */
  bytes: number;
  /** It resumes a fragment paused mid-way, not one from its start. */
  resumed: boolean;
}

/** A run on one hub is over: at a fragment's end, a pause, or the job's end. */
export interface FragmentEndEvent extends EventBase {
  kind: 'fragment-end';
  hub: string;
  /** The fragment the run started in, and the one it continues in (-1: done). */
  fragment: number;
  next: number;
  outcome: 'next' | 'paused' | 'done';
  /** The run's length: `t - ms` is its start. Stepwise: send to reply, as the engine
   *  timed it; routed: the hub's execution time. */
  ms: number;
  /** Execution time the hub reported. */
  execMs: number;
  /** Stepwise: of `ms`, the time before the run began on the hub (the bundle sent and
   *  compiled, the instance made, the state restored); absent when the hub did not say. */
  startupMs?: number;
  /** The job's yield points passed so far (not this run's). */
  yields: number;
  /** Fragments completed in the run. */
  fragments: number;
}

export interface CheckpointEvent extends EventBase {
  kind: 'checkpoint';
  hub: string;
  bytes: number;
  /** True: a periodic checkpoint is safe in the store. False: it is in flight (back to
   *  the engine, or to the next hub). */
  stored: boolean;
  yields: number;
}

export interface MigrationEvent extends EventBase {
  kind: 'migration';
  from: string;
  to: string;
  /** State bytes sent to `to` (0: a recovery that restarts from the arguments). */
  bytes: number;
  /** From the pause on `from` to the resume on `to`, when the hubs reported both. */
  pauseToResumeMs?: number;
  reason: MigrationReason;
}

/** A placement failed and will be tried again. */
export interface RetryEvent extends EventBase {
  kind: 'retry';
  hub: string;
  fragment: number;
  /** The error's code (`hub-lost`, `draining`, …) and message. */
  code: string;
  message: string;
  delayMs: number;
}

/** The routed engine restarts the job after losing (or being failed by) its hub. */
export interface RecoveryEvent extends EventBase {
  kind: 'recovery';
  /** The hub lost, and the attempt that replaces its own. */
  hub: string;
  attempt: number;
  /** Yield count of the state it restarts from (0: the start), and whether that came
   *  from the checkpoint store. */
  fromYields: number;
  fromStore: boolean;
  lastStoredYields: number;
}

/**
 * The job cannot start its next attempt now and waits for a hub: none is live
 * (`no-hubs`), or none of the live ones can take it (`no-capable-hub`: none has what it
 * requires, or every one that has failed it lately and rests). Emitted when the reason
 * changes; the next `fragment-start` ends the wait.
 */
export interface WaitingEvent extends EventBase {
  kind: 'waiting';
  code: 'no-hubs' | 'no-capable-hub';
  message: string;
  /** Hubs resting after failing the job. */
  resting: string[];
}

/** The job was cancelled (`weave jobs cancel`, Ctrl-C twice): its run stopped, its stored checkpoints are deleted. */
export interface CancelledEvent extends EventBase {
  kind: 'cancelled';
  /** Who cancelled: this client, or the job record said so. */
  by: 'client' | 'record';
}

/** The result: the fields `weave run --json` prints. */
export interface ResultEvent extends EventBase, ResultSummary { kind: 'result' }

/** The job failed; nothing follows. */
export interface FailedEvent extends EventBase {
  kind: 'failed';
  /** The error's class and code (`FragmentTrap`, `HubError`/`draining`, …). */
  error: string;
  code?: string;
  message: string;
}

export type JobEvent =
  | JobStartEvent | FragmentStartEvent | FragmentEndEvent | CheckpointEvent | MigrationEvent
  | RetryEvent | RecoveryEvent | WaitingEvent | CancelledEvent | ResultEvent | FailedEvent;

export type JobEventKind = JobEvent['kind'];

export const EVENT_KINDS: readonly JobEventKind[] = ['job-start', 'fragment-start', 'fragment-end', 'checkpoint', 'migration', 'retry', 'recovery', 'waiting', 'cancelled', 'result', 'failed'];

/** An event as an engine writes it: the common fields are filled in by the emitter. */
export type EventBody = JobEvent extends infer E ? E extends JobEvent ? Omit<E, 'v' | 't' | 'job'> : never : never;

/** Emits one event of the job; `t` defaults to now. A no-op when nobody listens. */
export type Emit = (body: EventBody, t?: number) => void;

/** Epoch ms with the monotonic clock's fraction: short runs need better than 1 ms. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The emitter an engine calls. It stamps `v`, `t` and `job` (from `job()`, read at each
 * event, as an engine learns the id late). `onEvent` must not throw: runJob hands engines
 * a listener that drops the caller's once it throws, so observing a job never fails it.
 */
export function eventEmitter(onEvent: ((e: JobEvent) => void) | undefined, job: () => string): Emit {
  if (!onEvent) return () => {};
  return (body, t = epochMs()) => onEvent({ v: TRACE_VERSION, t: round3(t), job: job(), ...body } as JobEvent);
}

/** Dataset bytes a job read from its hubs' own files and fetched from other hubs, and the names read. */
export interface DataTotals { localBytes: number; remoteBytes: number; names: string[] }

/** One restart after a lost hub. Times are epoch ms. */
export interface Recovery {
  /** The hub that was lost, and the attempt that replaced its. */
  hub: string;
  attempt: number;
  detectedAt: number;
  /** When the new attempt was sent. */
  resumedAt: number;
  /** Yield count of the state it restarted from (0: the start). */
  fromYields: number;
  /** Yield count of the newest checkpoint the engine had been told was stored. */
  lastStoredYields: number;
  /** Yield count of the newest state any hub reported (stored, or handed over) before the failure. */
  lastKnownYields?: number;
  /** Why the attempt was given up: the failure's code and message (a lost hub, a refusal, …). */
  code?: string;
  why?: string;
}

/** The result as `weave run --json` prints it, and as the `result` event carries it. */
export interface ResultSummary {
  result: string; type: string; entry: string; job: string; fragments: number; checkpoints: number; migrations: number;
  bytesMoved: number; retries: number; wallMs: number; execMs: number; yields: number; maxYieldGapMs: number; outputBytes: number;
  data: DataTotals; restoredFromStore: number; reweaves: number; recoveries: Recovery[];
  attached: boolean; placements: Array<{ fragment: number; hub: string; ms: number; bytesIn: number }>;
}

/** What resultSummary reads of a job's result (the engine's JobResult has all of it). */
export interface SummarizedResult {
  type: string; value: ResultValue; entry: string; job: string; fragments: number; checkpoints: number; migrations: number;
  bytesMoved: number; retries: number; wallMs: number; execMs: number; yields: number; maxYieldGapMs: number; output: Uint8Array;
  data: DataTotals; restoredFromStore: number; reweaves?: number; recoveries?: Recovery[]; attached?: boolean;
  placements: Array<{ fragment: number; hub: string; ms: number; bytesIn: number }>;
}

export function resultSummary(r: SummarizedResult): ResultSummary {
  return {
    result: formatResult(r), type: r.type, entry: r.entry, job: r.job, fragments: r.fragments, checkpoints: r.checkpoints, migrations: r.migrations,
    bytesMoved: r.bytesMoved, retries: r.retries, wallMs: round3(r.wallMs), execMs: round3(r.execMs), yields: r.yields, maxYieldGapMs: round3(r.maxYieldGapMs),
    outputBytes: r.output.byteLength, data: r.data, restoredFromStore: r.restoredFromStore, reweaves: r.reweaves ?? 0,
    recoveries: r.recoveries ?? [], attached: r.attached ?? false,
    // bytesIn: the checkpoint bytes the hub was sent for it (0: started from the arguments).
    placements: r.placements.map((p) => ({ fragment: p.fragment, hub: p.hub, ms: round3(p.ms), bytesIn: p.bytesIn })),
  };
}

/** One ndjson line. */
export function formatEvent(e: JobEvent): string {
  return JSON.stringify(e) + '\n';
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000;
