/**
 * Messages between the weaving engine and a hub, the same over every Transport.
 *
 * An `exec` asks a hub to run one fragment of a job from a checkpoint (or from the start
 * with arguments) and to come back at the fragment's end or at a pause. Checkpoints travel
 * encoded (versioned, checksummed), as diffs against the last one the receiver holds.
 *   const reply = await transport.request(hubId, { kind: 'exec', ... });
 *   if (reply.kind === 'error') throw HubError.fromWire(reply);
 */

import type { ArgValue } from '../exec/index.js';

export const PROTOCOL_VERSION = 1;

export interface ExecRequest {
  kind: 'exec';
  v: number;
  job: string;
  bundle: string;
  /** The bundle bytes, only when the hub said it lacks them (embedded mesh). */
  bundleBytes?: Uint8Array;
  /** Subject a hub that lacks the bundle fetches it from, once (NATS mesh). */
  origin?: string;
  entry: string;
  fragment: number;
  /** Arguments when the job starts here; absent when resuming from `checkpoint`. */
  args?: ArgValue[];
  /** The job's input bytes (io.input-*), with every exec of the job. */
  input?: Uint8Array;
  /** Encoded checkpoint (full, or a diff against the hub's base for this job). */
  checkpoint?: Uint8Array;
  /** Pause when the job's yield count reaches a multiple of this (0: never). */
  migrateEvery: number;
  seed?: number;
  /** Run on across fragment boundaries in one instance; reply only at a pause or the end. */
  stay?: boolean;
  /** Reply with a full checkpoint, not a diff against `checkpoint`. */
  full?: boolean;
  /**
   * Hub-to-hub hand-over (NATS mesh). At a pause the hub sends the state straight to the
   * next hub of `route` (cycling from position `hop`) instead of replying; the hub that
   * finishes replies to `replyTo`, and every hand-over is reported on `progress`.
   */
  route?: string[];
  hop?: number;
  replyTo?: string;
  progress?: string;
  /** The hub that handed this state over (it holds the base the reply may diff against). */
  from?: string;
  /** Hand-overs so far in this attempt. */
  handovers?: number;
  /** Store a full checkpoint every N yield points where a surviving hub can reach it (0: never). */
  storeEvery?: number;
  /** Also, or instead, store one when this many ms have passed since the last (0: never). */
  storeEveryMs?: number;
  /**
   * The job has a record in JetStream (runtime/net/jobs.ts) under this id, and this exec
   * belongs to its attempt `attempt`: the hub that finishes commits the result there, and
   * only if the attempt is still current (fencing). Hubs also fetch the bundle from the
   * job store when its client is gone.
   */
  record?: string;
  attempt?: number;
  /** Internal to a hub: which run a slot may be asked to pause (move, fence). */
  tag?: number;
  /** Internal to a hub: the checkpoint was unsealed (AEAD-authenticated): no CRC needed. */
  opened?: boolean;
  /**
   * Sealing (runtime/net/seal.ts): `checkpoint` is sealed from `from` (a hub, whose
   * sealing key is in `keys`) or from the engine (`client`) to this hub, with sequence
   * `handovers`. `client`: the engine's public identity (replies and stored checkpoints
   * are sealed to it); `keys`: the sealing keys of the route's hubs.
   */
  sealed?: boolean;
  client?: { sign: Uint8Array; seal: Uint8Array };
  keys?: Record<string, Uint8Array>;
  /**
   * What placed the job on this route's first hub: a placement policy's name, or `fit`
   * (the default ranking). For hubs' metrics only; older engines omit it.
   */
  policy?: string;
  /**
   * Set when this attempt begins because the job's hub was lost or failed (`retry`), or
   * because a client attaching to a job nobody ran took it over (`takeover`), with the
   * state it starts from: a checkpoint hubs stored, the engine's own copy, or the start.
   * For hubs' metrics only; older engines omit it.
   */
  recovery?: { reason: 'retry' | 'takeover'; from: 'stored' | 'engine' | 'start' };
}

export type ExecReply =
  | {
    kind: 'ran';
    v: number;
    outcome: 'next' | 'done' | 'paused';
    /** Fragment to continue with (next or paused-in); -1 when done. */
    fragment: number;
    /** Encoded checkpoint of the state at the end, a diff against what the hub was sent; absent when done. */
    checkpoint?: Uint8Array;
    /** Fragments completed in this run. */
    fragments?: number;
    /** Hand-overs before this run (routed mode), so the engine knows how many to expect. */
    handovers?: number;
    /** Bytes of base checkpoints the hub (slot) holds after this run. */
    held?: number;
    /** Result bytes (little-endian) when done. */
    result?: Uint8Array;
    /** The job's output (io.output-write) when done and not empty. */
    output?: Uint8Array;
    /** Dataset bytes this run read from the hub's own files and from other hubs, and the names read. */
    data?: DataStats;
    execMs: number;
    yields: number;
    /** The longest stretch between two yield points in this run, in ms (older hubs omit it). */
    maxYieldGapMs?: number;
    /** Wall-clock times (epoch ms) of the restore on this hub and of the pause, if any. */
    resumedAt?: number;
    pausedAt?: number;
    /** For a job with a record: the result is committed there (false: the hub could not). */
    committed?: boolean;
    /** The hub that ran it; `sig`: its Ed25519 signature of the result (resultDigest). */
    hub?: string;
    sig?: Uint8Array;
    /** `checkpoint` is sealed from `hub` to the engine. */
    sealed?: boolean;
  }
  | { kind: 'need-bundle'; v: number; bundle: string; checkpoint?: Uint8Array }
  | { kind: 'error'; v: number; code: string; message: string; fragment?: number; entry?: string };

/**
 * Re-weaving: pause the job's running fragment at its next yield point and hand it to
 * hub `to`. Answered `ok` once asked (the move itself is reported as progress), or an
 * error `not-here` when the hub no longer runs that job.
 */
export interface MoveRequest { kind: 'move'; v: number; job: string; to: string; key?: Uint8Array }
/** Broadcast when an attempt starts: hubs stop and drop every older attempt of `job`. */
export interface FenceMessage { kind: 'fence'; v: number; job: string; attempt: number }
/** Slot-internal: the full state a slot holds for `job`, encoded (a move needs it whole). */
export interface ExportRequest { kind: 'export'; v: number; job: string }

export type HubRequest = ExecRequest | MoveRequest | ExportRequest | { kind: 'drop-job'; v: number; job: string } | { kind: 'ping'; v: number };
export type HubReply = ExecReply | { kind: 'pong'; v: number; hub: string } | { kind: 'ok'; v: number; resumedAt?: number; held?: number; checkpoint?: Uint8Array };

export interface DataStats { localBytes: number; remoteBytes: number; remoteReads: number; names: string[] }

/** Asks the hubs serving a dataset for its length or a range of it (NATS: `weave.data.<name>`). */
export interface DataRequest { kind: 'data-read'; v: number; name: string; offset: number; length: number }
/** `total`: the dataset's size; `bytes`: the range asked for (shorter at the end). */
export type DataReply = { kind: 'data-bytes'; v: number; total: number; bytes: Uint8Array } | { kind: 'error'; v: number; code: string; message: string };

/**
 * Reported on an exec's `progress` subject: a hand-over done (by the hub that handed the
 * state over), or (`stored: true`, `to` = the same hub) a periodic checkpoint stored, which
 * also tells the engine the fragment is making progress.
 */
export interface ProgressEvent {
  kind: 'progress';
  stored?: boolean;
  v: number;
  job: string;
  /** The hub that ran and paused, and the one that took over. */
  hub: string;
  to: string;
  fragment: number;
  fragments: number;
  bytes: number;
  execMs: number;
  yields: number;
  maxYieldGapMs?: number;
  pausedAt: number;
  resumedAt: number;
}

/** A hub's lifecycle, as adverts and logs name it. */
export type HubState = 'starting' | 'ready' | 'reconnecting' | 'draining' | 'stopped';

/** What a hub tells the mesh about itself, every few seconds and on `discover`. */
export interface HubAdvert {
  kind: 'advert';
  v: number;
  id: string;
  state: HubState;
  caps: { cores: number; avx2: boolean; gpu: boolean; memoryMiB: number; node: string; arch: string; speed?: number };
  /**
   * `heldMiB`: base checkpoints kept for diffs (one per job); `rssMiB`: the process's
   * resident memory. `queuedWork` and `runningWork`: the estimated work (ms on a speed-1
   * hub) of the runs waiting here and still left in those running, from what runs of the
   * same job template measured here before; absent while
   * some run here has no estimate.
   */
  load: {
    slots: number; busy: number; queue: number; cpu: number; jobs: number; rssMiB: number; heldMiB: number; dataRemoteBytes?: number; gpuCalls?: number;
    queuedWork?: number; runningWork?: number;
  };
  datasets: string[];
  labels: Record<string, string>;
  /** Job attempts (exec job keys) running or queued here: an attached client watches these. */
  running?: string[];
  /** The hub's public identity (raw Ed25519 and X25519 keys); absent on an --insecure hub. */
  keys?: { sign: Uint8Array; seal: Uint8Array };
  /** Advert interval, so receivers know when a hub is overdue. */
  everyMs: number;
  startedAt: number;
}

/** Asks a client for the bytes of a bundle it submitted. */
/** `hub`: who asks; the client seals the bytes to that hub's advertised key. */
export interface BundleRequest { kind: 'bundle'; v: number; hash: string; hub?: string }
export type BundleReply = { kind: 'bundle-bytes'; v: number; hash: string; bytes: Uint8Array; sealed?: boolean } | { kind: 'error'; v: number; code: string; message: string };
