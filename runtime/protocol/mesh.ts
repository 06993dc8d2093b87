/**
 * Messages that keep the mesh together: adverts (what a hub is and carries, every few
 * seconds), discovery, pings, hand-over progress, re-weaving moves, attempt fences and
 * dropping a job's base checkpoint.
 *   const a = parseWith(ADVERT, decoded);   // a.load.busy, a.keys?.seal, …
 */
import * as v from 'valibot';
import { message, bool, jobKey, key32, num, opt, publicKeys, sig64, str, strings, token, uint } from './schema.js';

/** A hub's lifecycle, as adverts and logs name it. */
export const HUB_STATES = [
  /** Connected, subscribing; takes no work yet. */
  'starting',
  /** Serving. */
  'ready',
  /** Lost its NATS server; reconnecting, runs go on. */
  'reconnecting',
  /** Stopping: refuses new work, pauses what runs and hands it back. */
  'draining',
  /** Gone (its last advert says so). */
  'stopped',
] as const;
export type HubState = (typeof HUB_STATES)[number];

const caps = v.object({
  cores: uint, avx2: bool, gpu: bool, memoryMiB: uint, node: str, arch: str,
  /** From a calibration run: 1 = the reference machine (divided by an emulated throttle). */
  speed: opt(num),
});

/**
 * `heldMiB`: base checkpoints kept for diffs (one per job); `rssMiB`: the process's resident
 * memory; `dataRemoteBytes`: dataset bytes fetched from other hubs; `gpuCalls`: GPU calls served.
 */
const load = v.object({
  slots: uint, busy: uint, queue: uint, cpu: num, jobs: uint, rssMiB: uint, heldMiB: uint,
  dataRemoteBytes: opt(uint), gpuCalls: opt(uint),
});

export const ADVERT = message('advert', {
  id: [token, 'a hub id'],
  state: [v.picklist(HUB_STATES), `one of ${HUB_STATES.join(', ')}`],
  caps: [caps, 'a map of cores, avx2, gpu, memoryMiB, node, arch and speed'],
  load: [load, 'a map of slots, busy, queue, cpu, jobs, rssMiB and heldMiB'],
  datasets: [strings, 'a list of dataset names'],
  labels: [v.record(v.string(), v.string()), 'a map of strings'],
  /** Job attempts (exec job keys) running or queued here: an attached client watches these. */
  running: [opt(v.pipe(v.array(str), v.maxLength(1024))), 'a list of job keys'],
  /** The hub's public identity (raw Ed25519 and X25519 keys); absent on an --insecure hub. */
  keys: [opt(publicKeys), 'a map of 32-byte sign and seal keys'],
  /**
   * The hub's Ed25519 result-signing key. Every hub has one, --insecure hubs too (made at
   * start): an engine takes no unsigned result. Equal to `keys.sign` when both are there.
   */
  signer: [opt(key32), 'a 32-byte signing key'],
  /** Advert interval, so receivers know when a hub is overdue. */
  everyMs: [v.pipe(num, v.minValue(1)), 'a positive number'],
  startedAt: [num, 'a number'],
  /**
   * The process's boot id, as in its heartbeats: an engine holding beats of another boot
   * under this id has the beats of a process that is gone.
   */
  boot: [token, 'a boot id'],
  /**
   * The hub decides stay or move itself for the jobs it runs (`hub start --reweave`):
   * engines then leave re-weaving those jobs to it. Absent: engines decide.
   */
  reweave: [opt(v.picklist(['fixed', 'learned'])), "'fixed' or 'learned'"],
});

export const DISCOVER = message('discover', {});
export const PING = message('ping', {});
/**
 * Ask a hub to drain and stop, as SIGTERM does (`weave hubs drain NAME`). On its own
 * subject, which a client's permissions leave out (docs/security.md): an operator's
 * credentials send it. Answered `ok` before the drain begins.
 */
export const DRAIN = message('drain', {});

/**
 * On an exec's `progress` subject: a hand-over done (by the hub that handed the state on),
 * or (`stored: true`, `to` = the same hub) a periodic checkpoint stored, which also tells
 * the engine the fragment is making progress.
 */
export const PROGRESS = message('progress', {
  job: [jobKey, 'a string of 1-128 characters'],
  /** The hub that ran and paused, and the one that took over. */
  hub: [token, 'a hub id'],
  to: [token, 'a hub id'],
  fragment: [uint, 'a non-negative integer'],
  fragments: [uint, 'a non-negative integer'],
  bytes: [uint, 'a non-negative integer'],
  execMs: [num, 'a number'],
  yields: [uint, 'a non-negative integer'],
  maxYieldGapMs: [opt(num), 'a number'],
  pausedAt: [num, 'a number'],
  resumedAt: [num, 'a number'],
  stored: [opt(bool), 'a boolean'],
  /** The hand-over was a re-weaving move its hub decided (runtime/hub/weaving.ts). */
  reweave: [opt(bool), 'a boolean'],
});

/**
 * Re-weaving: pause the run of exec job key `job` at its next yield point and hand it to
 * hub `to` (sealed to `key`, `to`'s advertised key). `route`, `keys`, `issued` and
 * `ticket`: the job's new ticket (the route with `to` in it), signed by the client that
 * owns the job; a hub moves nothing without one. Answered `ok`, or `not-here`.
 */
export const MOVE = message('move', {
  job: [jobKey, 'a string of 1-128 characters'],
  to: [token, 'a hub id'],
  key: [opt(key32), 'a 32-byte sealing key'],
  route: [opt(v.pipe(v.array(token), v.maxLength(1024))), 'a list of hub ids'],
  keys: [opt(v.pipe(v.record(token, key32), v.check((k) => Object.keys(k).length <= 1024))), 'a map of hub ids to 32-byte keys'],
  issued: [opt(num), 'a number'],
  ticket: [opt(sig64), 'a 64-byte signature'],
  /**
   * The engine takes the job back unstarted (`not-started`) when it still waits for a slot.
   * Engines before this field do not know that reply: for them a waiting job moves once it starts.
   */
  unstarted: [opt(bool), 'a boolean'],
});

/** Broadcast when attempt `attempt` of job record `job` starts: hubs drop every older attempt. */
export const FENCE = message('fence', {
  job: [token, 'a job id'],
  attempt: [uint, 'a non-negative integer'],
  /** The job's client's signing key, and its signature over net's fenceStatement(job, attempt). */
  client: [key32, 'a 32-byte signing key'],
  sig: [sig64, 'a 64-byte signature'],
});

/**
 * A hub is alive: published every `everyMs` by a thread of its own that does nothing
 * else, so neither a long fragment nor a busy event loop delays it. `boot` is new in every
 * process (a hub restarted under the same name is another one); `yields[i]` counts the
 * yield points slot i passed (modulo 2^31): a run going on, not only a process.
 */
export const HEARTBEAT = message('heartbeat', {
  hub: [token, 'a hub id'],
  boot: [token, 'a boot id'],
  seq: [uint, 'a non-negative integer'],
  everyMs: [uint, 'a non-negative integer'],
  yields: [v.array(uint), 'a list of non-negative integers'],
  /** The hub's signature (its advertised signing key) over net's heartbeatStatement. */
  sig: [sig64, 'a 64-byte signature'],
});

/** Forget the base checkpoint kept for exec job key `job`. */
export const DROP_JOB = message('drop-job', { job: [jobKey, 'a string of 1-128 characters'] });

export type HubAdvert = v.InferOutput<typeof ADVERT.schema>;
export type ProgressEvent = v.InferOutput<typeof PROGRESS.schema>;
export type MoveRequest = v.InferOutput<typeof MOVE.schema>;
export type FenceMessage = v.InferOutput<typeof FENCE.schema>;
export type HeartbeatMessage = v.InferOutput<typeof HEARTBEAT.schema>;
export type DropJobRequest = v.InferOutput<typeof DROP_JOB.schema>;
export type PingRequest = v.InferOutput<typeof PING.schema>;
export type DiscoverRequest = v.InferOutput<typeof DISCOVER.schema>;
