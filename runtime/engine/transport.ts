/**
 * The seam between the weaving engine and hubs. Two kinds, told apart by `kind`:
 *
 * - `stepwise` (the embedded mesh, hubs as worker threads): the engine sends each step to
 *   a hub and gets the state back; every checkpoint passes through the engine.
 * - `routed` (the NATS mesh): the engine submits a job with a route, hubs hand the state
 *   to each other and report progress, the last one answers; job records, stored
 *   checkpoints, fences, moves and liveness come with it.
 *
 *   const t: Transport = await startEmbeddedMesh({ hubs: 4 });   // or: await connectMesh({ nats })
 *   const result = t.kind === 'routed' ? await runRouted(t, …) : await runStepwise(t, …);
 */
import type { ExecRequest, HubReply, HubRequest, ProgressEvent } from '../protocol/index.js';
import type { Identity, JobStore } from '../net/index.js';

/** A hub as placement sees it: its id, and what it has (runtime/policy ranks on these). */
export interface HubInfo {
  id: string;
  caps?: { avx2?: boolean; gpu?: boolean; speed?: number };
  datasets?: readonly string[];
  /** From its advert, where there is one. */
  load?: { slots: number; busy: number; queue: number; cpu: number };
  rttMs?: number;
  /** Its public identity, where it has one (checkpoints are sealed to it, results signed by it). */
  keys?: { sign: Uint8Array; seal: Uint8Array };
  /** Its result-signing key (every hub has one; `keys.sign` when it has keys). */
  signer?: Uint8Array;
  /** It decides stay or move itself for the jobs it runs (`hub start --reweave`): engines leave those to it. */
  reweave?: 'fixed' | 'learned';
}

/** A move's new ticket (runtime/net ExecTicket, signed by the engine). */
export interface MoveTicket {
  route: string[];
  keys: Record<string, Uint8Array>;
  issued: number;
  ticket: Uint8Array;
}

interface TransportBase {
  /** Live hubs that take work, in a stable order. */
  hubs(): HubInfo[];
  /** Send a request to one hub and wait for its reply. Rejects with TransportError. */
  request(hub: string, req: HubRequest): Promise<HubReply>;
  close(): Promise<void>;
}

/** The engine moves every checkpoint itself: hub, engine, hub. */
export interface StepwiseTransport extends TransportBase {
  readonly kind: 'stepwise';
  /**
   * The yield count of the job running on `hub` now, sampled by the hub as it runs
   * (every 256 yield points); 0 when idle or unknown. Only a progress line reads it: a
   * step may run for many seconds before its reply says anything.
   */
  yieldsNow?(hub: string): number;
  /**
   * Pause the run going on on `hub` at its next yield point (it replies `paused`), until
   * `resume(hub)`: a step that runs a job across its fragments in one instance stops so
   * for a timeout or a cancel. Without it such a step runs to its end.
   */
  preempt?(hub: string): void;
  resume?(hub: string): void;
}

/** Hubs hand a paused fragment straight to the next hub of its route. */
export interface RoutedTransport extends TransportBase {
  readonly kind: 'routed';
  /**
   * Send `req` (with a `route`) to `hub`; each hand-over is reported to `onProgress`, and
   * the hub that finishes answers. Rejects with TransportError (`hub-lost` when the hub
   * holding the job stops advertising; `aborted` when `signal` aborts: the engine stops
   * waiting, the hubs are told apart, by a fence).
   */
  submit(hub: string, req: ExecRequest, onProgress: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<HubReply>;
  /**
   * The newest periodic checkpoints hubs stored for `job` (an attempt key): per hub, its
   * full one and the diff against it it stored since; none when none (or no JetStream).
   * `hubs`: look only at these hubs' (the engine knows which held the attempt); without,
   * at every hub's the bucket lists (an attach, which knows none). `patienceMs`: how long
   * to keep asking a store that does not answer (a cluster electing a leader) before
   * answering none.
   */
  stored(job: string, hubs?: readonly string[], patienceMs?: number): Promise<StoredByHub[]>;
  /** Delete what hubs stored for `job` (the job is over). */
  forgetStored(job: string): Promise<void>;
  /** Job records, opened once; undefined without JetStream. */
  jobs(): Promise<JobStore | undefined>;
  /**
   * Tell every hub that attempt `attempt` of job `job` supersedes the older ones, signed by
   * `by`, the job's client (hubs take a fence only for that client's jobs).
   */
  fence(job: string, attempt: number, by: Identity): void;
  /**
   * Ask `hub` to move the run of job key `key` to hub `to` at its next yield point, under
   * `ticket` (the job's new route naming `to`, signed); false when it did not take the ask.
   */
  move(hub: string, key: string, to: string, ticket?: MoveTicket): Promise<boolean>;
  /** Subject prefixes replies and progress come back on (signed into each exec's ticket). */
  inboxes?(): string[];
  /**
   * The engine placed a job on `hub`: until the hub's next advert, `hubs()` counts it in
   * that hub's load. Call the function returned when the job leaves the hub.
   */
  placed(hub: string): () => void;
  /** True when some live hub advertises that it runs job key `key`. */
  running(key: string): boolean;
}

export type Transport = StepwiseTransport | RoutedTransport;

/** What one hub stored for a job attempt: its newest full checkpoint, and a diff against it (as stored: sealed or not). */
export interface StoredByHub { hub: string; full: Uint8Array; diff?: Uint8Array }
