/**
 * A job as its submitter sees it: the options it runs with, the result it ends with, the
 * status and placements reported on the way, and the helpers both engines share to fill
 * them in.
 *   const r: JobResult = await runJob(mesh, bundle, { args: [10] } satisfies JobOptions);
 */
import { decodeResult, resultType, typeName, type ArgValue, type LoadedBundle, type ResultValue } from '../exec/index.js';
import type { EntryInfo } from '../../fragments/abi.js';
import type { DecisionRecord, PlacementPolicy } from '../policy/index.js';
import type { Identity } from '../net/index.js';
import type { DataStats } from '../protocol/index.js';
import type { DataTotals, JobEvent, Recovery } from '../trace/index.js';
import type { ReweaveOptions } from './reweave.js';
import { JobError } from './errors.js';

export type { Recovery };

export interface JobOptions {
  /** Entry to call. @default the bundle's only entry */
  entry?: string;
  /** The entry's arguments: numbers, or bytes of strings and arrays (runtime/exec/boundary.ts). */
  args: ArgValue[];
  /** Pause and move the running fragment every N yield points. @default 0 (only at fragment ends) */
  migrateEvery?: number;
  /** The seed of the program's Math.random. @default the executor's fixed seed */
  seed?: number;
  /** Observe each placement as it completes. @default none */
  onPlacement?: (p: Placement) => void;
  /** Datasets the job reads: placement prefers hubs that hold them. @default none */
  datasets?: string[];
  /** The job's input bytes (io.input-*). @default none */
  input?: Uint8Array;
  /** Places fragments (stepwise) or picks the hub a routed job starts on. @default round-robin (stepwise), the ranking (routed) */
  policy?: PlacementPolicy;
  /** Every placement once its cost is known (a decision log). @default none */
  onDecision?: (rec: DecisionRecord) => void;
  /** Hubs store a full checkpoint every N yield points (NATS with JetStream), and a job
   *  whose hub is lost restarts from the newest one instead of from the last copy the
   *  engine holds. @default 0 (off) */
  storeEvery?: number;
  /** Hubs also store one when this many ms have passed since the last. @default 0 (off) */
  storeEveryMs?: number;
  /** Observe a failed placement that is being retried elsewhere. @default none */
  onRetry?: (r: { hub: string; fragment: number; error: Error }) => void;
  /**
   * Keep a job record in JetStream (NATS): the job gets an id other clients can attach to,
   * attempts are fenced, and its result is committed exactly once. Needs a server with
   * JetStream. @default false
   */
  durable?: boolean;
  /** The job id, once the job is submitted (and its record made). @default none */
  onStart?: (job: string) => void;
  /** Where the job stands, on every change (a progress line). @default none */
  onStatus?: (s: JobStatus) => void;
  /** Move running fragments to clearly faster hubs (NATS). @default true */
  reweave?: boolean;
  /** @default reweaver's own defaults */
  reweaveOptions?: ReweaveOptions;
  /** Who submits (NATS): checkpoints are sealed to it and from it. @default one made per process */
  identity?: Identity;
  /**
   * The job's deadline, from submission (routed): while it waits for a capable hub or runs.
   * When it passes the job stops (its running fragment is fenced out) and ends with
   * JobError `no-hubs`/`no-capable-hub` (it was waiting) or `timeout` (it was running).
   * @default none: a job waits for hubs as long as it takes
   */
  timeoutMs?: number;
  /** Aborting it cancels the job (routed): the run stops, its record says cancelled. @default none */
  signal?: AbortSignal;
  /**
   * Every event of the job as the engine sees it (runtime/trace): the start, each fragment
   * run, checkpoint, migration, retry and recovery, then the result or the failure. Called
   * per run and per migration, never per yield point. A listener that throws is dropped;
   * the job goes on. @default none
   */
  onEvent?: (e: JobEvent) => void;
}

export interface JobStatus {
  job: string;
  /** Why the job waits for a hub (none live, none that can take it); absent while it runs. */
  waiting?: string;
  /** The hub running it now. */
  hub: string;
  /** The fragment it is in, and how many the entry has. */
  fragment: number;
  fragments: number;
  /** Fragment runs completed, as reported so far. */
  fragmentsRun: number;
  checkpoints: number;
  migrations: number;
  retries: number;
  yields: number;
}

export interface Placement {
  fragment: number;
  hub: string;
  ms: number;
  /** Checkpoint bytes sent to the hub for this placement (0 when it started from arguments). */
  bytesIn: number;
  /** Checkpoint bytes the hub sent back. */
  bytesOut: number;
}

export interface JobResult {
  job: string;
  entry: string;
  /** The entry's result type as AssemblyScript names it (`i32`, `string`, `Array<f64>`, `void`). */
  type: string;
  /** The value, read bit-exactly from the entry's result slot (strings and arrays from the object it points to). */
  value: ResultValue;
  /** The result's exact bytes (runtime/exec/boundary.ts liftResult). */
  resultBytes: Uint8Array;
  fragments: number;
  checkpoints: number;
  migrations: number;
  bytesMoved: number;
  wallMs: number;
  execMs: number;
  yields: number;
  /** The longest stretch between two yield points any hub reported, in ms: how long a
   *  pause, a drain or a move may have had to wait for this job. */
  maxYieldGapMs: number;
  /** Placements that failed (hub gone, draining) and were re-placed. */
  retries: number;
  placements: Placement[];
  /** Pause-to-resume times (ms) of migrations mid-fragment, when hubs report them. */
  pauseToResumeMs: number[];
  /** Restarts after a lost hub that began from a checkpoint hubs had stored (storeEvery). */
  restoredFromStore: number;
  /** Every restart after a lost hub (routed engine). */
  recoveries?: Recovery[];
  /** Moves the engine asked for because a clearly faster hub appeared (re-weaving). */
  reweaves?: number;
  /** The result came from the job record (an attach, or a lost attempt that committed). */
  attached?: boolean;
  /** The job's output (io.output-write); empty when it wrote none. */
  output: Uint8Array;
  /** Dataset bytes read from the running hub's own files and fetched from other hubs, as
   *  the hubs' replies reported them (over NATS, runs that ended in a hand-over report to
   *  the hub's metrics only). */
  data: DataTotals;
}

/** Pick the entry: the named one, or the only one. Throws JobError listing the exports. */
export function pickEntry(bundle: LoadedBundle, name?: string): string {
  const names = bundle.manifest.entries.map((e) => e.name);
  if (name !== undefined) {
    if (!names.includes(name)) throw new JobError(`no export '${name}'; exports are: ${names.join(', ')}`);
    return name;
  }
  if (names.length !== 1) throw new JobError(`the module exports ${names.length} functions; pick one with --entry (exports are: ${names.join(', ')})`);
  return names[0];
}

/** The result's type name and value, from its exact bytes. */
export function resultOf(info: EntryInfo, bytes: Uint8Array): { type: string; value: ResultValue; resultBytes: Uint8Array } {
  const t = resultType(info);
  return { type: typeName(t), value: decodeResult(t, bytes), resultBytes: bytes };
}

export function newDataTotals(): DataTotals {
  return { localBytes: 0, remoteBytes: 0, names: [] };
}

/** Add one reply's dataset figures to a job's. */
export function addData(into: DataTotals, d: DataStats | undefined): void {
  if (!d) return;
  into.localBytes += d.localBytes;
  into.remoteBytes += d.remoteBytes;
  for (const n of d.names) if (!into.names.includes(n)) into.names.push(n);
}

/** An error's code for an event: a hub's or transport's code, else its class. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : (err as Error)?.name ?? 'error';
}
