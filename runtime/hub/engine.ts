/**
 * The weaving engine: runs one job across the hubs of a Transport.
 *
 * Over a transport that hands state hub to hub (NATS: `submit`), see routed.ts. Otherwise
 * the engine steps the job itself: it places each fragment (round-robin over fragments),
 * ships the state as a diff against what the receiving hub already holds (and the bundle
 * once per hub), and with `migrateEvery` pauses the running fragment at yield points and
 * resumes it on another hub.
 *   const r = await runJob(transport, bundle, { entry: 'main', args: [10], migrateEvery: 1 });
 *   console.log(r.result, r.migrations);
 */
import { randomBytes } from 'node:crypto';
import {
  applyDiff, decodeCheckpoint, diffCheckpoint, encodeCheckpoint, type Checkpoint,
} from '../snapshot/index.js';
import { FragmentTrap, decodeResult, describeArgs, resultType, typeName, type ArgValue, type LoadedBundle, type ResultValue } from '../exec/index.js';
import type { EntryInfo } from '../../fragments/abi.js';
import { PROTOCOL_VERSION, type ExecReply, type ExecRequest } from './protocol.js';
import type { Transport } from './transport.js';
import { HubError, JobError, TransportError } from './errors.js';
import { describeMisfit, jobNeeds, rankHubs, roundRobin, type DecisionRecord, type PlacementPolicy } from '../policy/index.js';
import { livePlacement } from './placement.js';
import { attachRouted, runRouted } from './routed.js';
import type { ReweaveOptions } from './reweave.js';
import type { Identity } from '../net/identity.js';
import { epochMs, eventEmitter, resultSummary, round3, type JobEvent } from '../trace/index.js';

export interface JobOptions {
  /** Entry to call. @default the bundle's only entry */
  entry?: string;
  /** The entry's arguments: numbers, or bytes of strings and arrays (runtime/exec/boundary.ts). */
  args: ArgValue[];
  /** Pause and move the running fragment every N yield points (0: only at fragment ends). */
  migrateEvery?: number;
  seed?: number;
  /** Observe each placement as it completes. */
  onPlacement?: (p: Placement) => void;
  /** Datasets the job reads: placement prefers hubs that hold them. */
  datasets?: string[];
  /** The job's input bytes (io.input-*). */
  input?: Uint8Array;
  /** Places fragments (stepwise) or picks the hub a routed job starts on. @default round-robin */
  policy?: PlacementPolicy;
  /** Every placement once its cost is known (a decision log). */
  onDecision?: (rec: DecisionRecord) => void;
  /** Hubs store a full checkpoint every N yield points (NATS with JetStream), and a job
   *  whose hub is lost restarts from the newest one instead of from the last copy the
   *  engine holds. 0: off. */
  storeEvery?: number;
  /** Hubs also store one when this many ms have passed since the last. 0: off. */
  storeEveryMs?: number;
  /** Observe a failed placement that is being retried elsewhere. */
  onRetry?: (r: { hub: string; fragment: number; error: Error }) => void;
  /**
   * Keep a job record in JetStream (NATS): the job gets an id other clients can attach to,
   * attempts are fenced, and its result is committed exactly once. Needs a server with
   * JetStream.
   */
  durable?: boolean;
  /** The job id, once the job is submitted (and its record made). */
  onStart?: (job: string) => void;
  /** Where the job stands, on every change (a progress line). */
  onStatus?: (s: JobStatus) => void;
  /** Move running fragments to clearly faster hubs (NATS). @default true */
  reweave?: boolean;
  reweaveOptions?: ReweaveOptions;
  /** Who submits (NATS): checkpoints are sealed to it and from it. @default one made per process */
  identity?: Identity;
  /**
   * Every event of the job as the engine sees it (runtime/trace): the start, each fragment
   * run, checkpoint, migration, retry and recovery, then the result or the failure. Called
   * per run and per migration, never per yield point. A listener that throws is dropped;
   * the job goes on.
   */
  onEvent?: (e: JobEvent) => void;
}

export interface JobStatus {
  job: string;
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
  data: { localBytes: number; remoteBytes: number; names: string[] };
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

/**
 * Run a job to completion. Throws FragmentTrap when the program traps (the hubs stay up),
 * HubError when a hub rejects a request, TransportError when a hub cannot be reached.
 */
export async function runJob(transport: Transport, bundle: LoadedBundle, opts: JobOptions): Promise<JobResult> {
  const entry = pickEntry(bundle, opts.entry);
  if (!transport.hubs().length) throw new JobError('no hubs are available to run the job');
  const migrateEvery = opts.migrateEvery ?? 0;
  if (!Number.isInteger(migrateEvery) || migrateEvery < 0) throw new JobError(`--migrate-every must be a non-negative integer, got ${migrateEvery}`);
  return observed(opts, (o) => (transport.submit ? runRouted(transport, bundle, entry, o) : runStepwise(transport, bundle, entry, o)));
}

/**
 * Attach to a job submitted with `durable` (by this client or another, running or over)
 * and get its result. Throws JobError when the transport keeps no job records.
 */
export async function attachJob(transport: Transport, job: string, opts: Omit<JobOptions, 'args'> = {}): Promise<JobResult> {
  if (!transport.jobs || !transport.submit) throw new JobError('attaching to a job needs a NATS mesh with JetStream (--nats URL)');
  return observed(opts, (o) => attachRouted(transport, job, o));
}

/**
 * Ends every job's events the same way, whichever engine ran it: the `result` event (what
 * `--json` prints) or, once the job has started, `failed`. The engines get a listener that
 * notes the job id and stops calling the caller's once it throws.
 */
async function observed<O extends { onEvent?: (e: JobEvent) => void }>(opts: O, go: (opts: O) => Promise<JobResult>): Promise<JobResult> {
  const listener = opts.onEvent;
  if (!listener) return go(opts);
  let job: string | undefined;
  let listening = true;
  const onEvent = (e: JobEvent) => {
    job = e.job;
    if (listening) {
      try { listener(e); } catch { listening = false; }
    }
  };
  const emit = eventEmitter(onEvent, () => job ?? '');
  try {
    const r = await go({ ...opts, onEvent });
    job = r.job;
    emit({ kind: 'result', ...resultSummary(r) });
    return r;
  } catch (err) {
    const e = err as Error & { code?: unknown };
    if (job !== undefined) emit({ kind: 'failed', error: e.name ?? 'Error', code: typeof e.code === 'string' ? e.code : undefined, message: e.message ?? String(err) });
    throw err;
  }
}

/** The engine moves every checkpoint itself: hub, engine, hub. Used by the embedded mesh. */
async function runStepwise(transport: Transport, bundle: LoadedBundle, entry: string, opts: JobOptions): Promise<JobResult> {
  const t0 = performance.now();
  const info = bundle.manifest.entries.find((e) => e.name === entry)!;
  const job = randomBytes(8).toString('hex');
  const migrateEvery = opts.migrateEvery ?? 0;

  const hasBundle = new Set<string>();
  const heldBy = new Map<string, Checkpoint>();
  const placements: Placement[] = [];
  let current: Checkpoint | undefined;
  let fragment = info.fragments[0];
  let paused = false;
  let lastHub: string | undefined;
  const place = roundRobin();
  const needs = jobNeeds(bundle.manifest, opts.datasets);
  const data = newDataTotals();
  const chooser = opts.policy && livePlacement(opts.policy, bundle, needs, opts.onDecision);
  const stats = { fragments: 0, checkpoints: 0, migrations: 0, bytesMoved: 0, execMs: 0, yields: 0, retries: 0, maxYieldGapMs: 0 };
  /** Hubs that failed this job: not used again by it. */
  const avoid = new Set<string>();
  const pauseToResumeMs: number[] = [];
  let pausedAt: number | undefined;
  const forget = (hub: string) => { avoid.add(hub); heldBy.delete(hub); hasBundle.delete(hub); };
  const emit = eventEmitter(opts.onEvent, () => job);
  emit({
    kind: 'job-start', entry, fragments: info.fragments.length, mesh: 'embedded', hubs: transport.hubs().map((h) => h.id), migrateEvery,
    args: describeArgs(info, opts.args),
  });

  try {
    for (let attempt = 0; ; ) {
      // Round-robin: each new fragment run, and each resume after a pause, goes to the next hub.
      const up = transport.hubs().filter((h) => !avoid.has(h.id));
      if (!up.length) {
        throw new JobError(`no hubs are available to run the job${avoid.size ? ` (failed: ${[...avoid].join(', ')})` : ''}`);
      }
      const capable = rankHubs(up, { ...needs, prefers: [], datasets: [] });
      if (!capable.length) throw new JobError(describeMisfit(up, needs), { code: 'no-capable-hub' });
      const hub = chooser
        ? chooser.choose(fragment, lastHub, current?.memory.byteLength ?? 0, capable)
        : place(capable.map((h) => h.id));
      const req: ExecRequest = { kind: 'exec', v: PROTOCOL_VERSION, job, bundle: bundle.hash, entry, fragment, migrateEvery, seed: opts.seed, input: opts.input };
      if (current) {
        const base = heldBy.get(hub);
        req.checkpoint = encodeCheckpoint(base ? diffCheckpoint(base, current) : current);
        stats.bytesMoved += req.checkpoint.byteLength;
      } else {
        req.args = opts.args;
      }
      if (!hasBundle.has(hub)) {
        req.bundleBytes = bundle.bytes;
        stats.bytesMoved += bundle.bytes.byteLength;
      }
      const started = performance.now();
      const sentAt = epochMs();
      const bytesIn = req.checkpoint?.byteLength ?? 0;
      emit({ kind: 'fragment-start', hub, fragment, attempt, bytes: bytesIn, resumed: paused }, sentAt);
      let reply: RanReply;
      try {
        reply = await send(transport, hub, req);
      } catch (err) {
        // The engine still holds the state it sent, so the fragment restarts from it
        // elsewhere: at once when nobody listens, after a backoff when the hub went quiet.
        const retry = retryDelay(err, attempt);
        if (retry === undefined) throw err;
        forget(hub);
        stats.retries++;
        opts.onRetry?.({ hub, fragment, error: err as Error });
        emit({ kind: 'retry', hub, fragment, code: errorCode(err), message: (err as Error).message, delayMs: retry });
        if (retry > 0) await sleep(retry);
        attempt++;
        continue;
      }
      const retried = attempt > 0;
      attempt = 0;
      const resumeMs = paused && pausedAt !== undefined && reply.resumedAt !== undefined ? reply.resumedAt - pausedAt : undefined;
      if (lastHub !== undefined && hub !== lastHub) {
        stats.migrations++;
        // Only now is the move sure and its pause-to-resume known. It happened at the pause
        // (the hubs' clocks are this process's), or when the state was sent.
        emit({
          kind: 'migration', from: lastHub, to: hub, bytes: bytesIn, pauseToResumeMs: resumeMs === undefined ? undefined : round3(resumeMs),
          reason: retried ? 'retry' : paused ? 'migrate-every' : 'placement',
        }, resumeMs === undefined ? sentAt : pausedAt);
      }
      hasBundle.add(hub);
      if (reply.checkpoint) {
        const after = decodeCheckpoint(reply.checkpoint);
        stats.bytesMoved += reply.checkpoint.byteLength;
        const sent = current;
        current = after.kind === 'diff' ? applyDiff(sent!, after) : after;
        heldBy.set(hub, current);
        stats.checkpoints++;
        emit({ kind: 'checkpoint', hub, bytes: reply.checkpoint.byteLength, stored: false, yields: reply.yields });
      }
      stats.execMs += reply.execMs;
      stats.maxYieldGapMs = Math.max(stats.maxYieldGapMs, reply.maxYieldGapMs ?? 0);
      stats.yields = reply.yields;
      addData(data, reply.data);
      if (resumeMs !== undefined) pauseToResumeMs.push(resumeMs);
      pausedAt = reply.pausedAt;
      if (!paused) stats.fragments++;
      const placement = { fragment, hub, ms: performance.now() - started, bytesIn, bytesOut: reply.checkpoint?.byteLength ?? 0 };
      chooser?.done(placement.ms);
      placements.push(placement);
      opts.onPlacement?.(placement);
      emit({
        kind: 'fragment-end', hub, fragment, next: reply.fragment, outcome: reply.outcome, ms: round3(placement.ms), execMs: round3(reply.execMs),
        yields: reply.yields, fragments: reply.fragments ?? 0,
      });
      lastHub = hub;
      if (reply.outcome === 'done') {
        const bytes = reply.result ?? new Uint8Array(0);
        return {
          job, entry, ...resultOf(info, bytes),
          ...stats, wallMs: performance.now() - t0, placements, pauseToResumeMs, restoredFromStore: 0, output: reply.output ?? new Uint8Array(0), data,
        };
      }
      paused = reply.outcome === 'paused';
      fragment = reply.fragment;
    }
  } finally {
    // Not awaited: the result is final, and hubs also evict old jobs on their own.
    void Promise.allSettled([...hasBundle].map((h) => transport.request(h, { kind: 'drop-job', v: PROTOCOL_VERSION, job })));
  }
}

type RanReply = Extract<ExecReply, { kind: 'ran' }>;

export function newDataTotals(): JobResult['data'] {
  return { localBytes: 0, remoteBytes: 0, names: [] };
}

/** Add one reply's dataset figures to a job's. */
export function addData(into: JobResult['data'], d: RanReply['data']): void {
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

/** Most consecutive failed placements of one step before the job fails. */
export const MAX_PLACEMENT_ATTEMPTS = 6;

/** Backoff before re-placing after `err` (0: at once), or undefined when it is not retryable. */
export function retryDelay(err: unknown, attempt: number): number | undefined {
  if (attempt + 1 >= MAX_PLACEMENT_ATTEMPTS) return undefined;
  // A result without a valid signature of a hub the engine assigned is discarded and the
  // fragment re-run; so is a checkpoint a hub would not open (it may be retried elsewhere).
  if (err instanceof HubError && (err.code === 'draining' || err.code === 'no-base' || err.code === 'handoff-failed' || err.code === 'bad-signature' || err.code.startsWith('seal-'))) return 0;
  if (!(err instanceof TransportError)) return undefined;
  if (err.code === 'no-responders') return 0;
  if (err.code === 'timeout' || err.code === 'hub-lost' || err.code === 'transport') return Math.min(2000, 100 * 2 ** attempt);
  return undefined;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(transport: Transport, hub: string, req: ExecRequest): Promise<RanReply> {
  const reply = await transport.request(hub, req);
  if (reply.kind === 'need-bundle') throw new HubError('need-bundle', `hub ${hub} asked for the bundle twice`, hub);
  if (reply.kind === 'error') {
    if (reply.code === 'trap') throw FragmentTrap.fromWire({ message: reply.message, fragment: reply.fragment ?? req.fragment, entry: reply.entry ?? req.entry });
    throw HubError.fromWire(reply, hub);
  }
  if (reply.kind !== 'ran') throw new HubError('bad-reply', `hub ${hub} sent '${reply.kind}' to an exec request`, hub);
  return reply;
}

/** The result's type name and value, from its exact bytes. */
export function resultOf(info: EntryInfo, bytes: Uint8Array): { type: string; value: ResultValue; resultBytes: Uint8Array } {
  const t = resultType(info);
  return { type: typeName(t), value: decodeResult(t, bytes), resultBytes: bytes };
}
