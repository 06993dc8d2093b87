/**
 * `exec`: run one fragment of a job, from its arguments or a checkpoint, and come back at
 * the fragment's end or a pause (or, routed, hand the state to the next hub of `route`).
 * The fields come in groups: what to run, where the state is, routing (hub to hub),
 * durability (job records, stored checkpoints), sealing, and metrics-only notes.
 *   const req: ExecRequest = { kind: 'exec', v: PROTOCOL_VERSION, job, bundle, entry, fragment, migrateEvery: 0, args };
 *   const checked = parseWith(EXEC, decoded);   // throws ProtocolError naming the bad field
 */
import * as v from 'valibot';
import { MAX_ARGS, MAX_ARG_BYTES, argBytes, type ArgValue } from './args.js';
import {
  message, bool, bytes, hex64, int, jobKey, key32, mac32, num, opt, publicKeys, sig64, str, token, uint, type Field,
} from './schema.js';

// Any f64 is an argument, NaN and the infinities too: valibot's number() refuses NaN.
const anyNumber = v.custom<number>((x) => typeof x === 'number', 'a number');
const argValue = v.union([anyNumber, v.bigint(), v.null(), bytes]);
const inbox = v.pipe(v.string(), v.startsWith('_INBOX.'));

/** What to run, and from which state. */
const RUN = {
  job: [jobKey, 'a string of 1-128 characters'],
  bundle: [hex64, 'a sha-256 hex digest'],
  entry: [str, 'a string'],
  fragment: [uint, 'a non-negative integer'],
  /** Pause when the job's yield count reaches a multiple of this (0: never). */
  migrateEvery: [uint, 'a non-negative integer'],
  /** The encoded checkpoint (full, or a diff against the base the hub holds for `job`). */
  checkpoint: [opt(bytes), 'bytes'],
  /** The bundle itself: the embedded mesh sends it when a hub lacks it (a hub checks its hash). */
  bundleBytes: [opt(bytes), 'bytes'],
  /** The job's input bytes (io.input-*), with every exec of the job. */
  input: [opt(bytes), 'bytes'],
  /** Where a hub that lacks the bundle fetches it, once (NATS: the submitting client). */
  origin: [opt(v.pipe(v.string(), v.startsWith('weave.client.'))), "a 'weave.client.' subject"],
  /** Arguments when the job starts here; absent when resuming from `checkpoint`. */
  args: [opt(v.pipe(v.array(argValue), v.maxLength(MAX_ARGS))), `an array of at most ${MAX_ARGS} numbers, byte strings or nulls`],
  seed: [opt(int), 'an integer'],
} as const satisfies Record<string, Field>;

/**
 * Routed mode (NATS): run on across fragments in one instance (`stay`), and at a pause
 * hand the state to the next hub of `route` after position `hop`; the hub that finishes
 * replies to `replyTo`, and each hand-over is reported on `progress`. `from`: the hub that
 * handed this state over (it holds the base a diff may be against); `handovers`: hand-overs
 * so far in this attempt (the sealing sequence).
 */
const ROUTING = {
  route: [opt(v.pipe(v.array(token), v.maxLength(1024))), 'a list of hub ids'],
  hop: [opt(uint), 'a non-negative integer'],
  handovers: [opt(uint), 'a non-negative integer'],
  replyTo: [opt(inbox), "an '_INBOX.' subject"],
  progress: [opt(inbox), "an '_INBOX.' subject"],
  from: [opt(token), 'a hub id'],
  stay: [opt(bool), 'a boolean'],
  /** Reply with a full checkpoint, not a diff against `checkpoint`. */
  full: [opt(bool), 'a boolean'],
  /**
   * Hubs of the route that hold a base of this job's state: its checkpoint id and the
   * hand-over step it was taken at (runtime/snapshot/lineage.ts). The state goes to one of
   * them as a diff of the pages changed since; a hint only: the receiver checks the diff
   * against the base it holds, and refuses it (`no-base`) otherwise.
   */
  bases: [opt(v.pipe(v.array(v.object({ hub: token, id: token, step: uint })), v.maxLength(1024))), 'a list of at most 1024 maps of hub, id and step'],
} as const satisfies Record<string, Field>;

/**
 * Durability: store a full checkpoint every N yield points or ms (0: never), and, with a
 * job record (runtime/net/jobs.ts) under `record`, commit the result there as attempt
 * `attempt` only if it is still current (fencing).
 */
const DURABILITY = {
  storeEvery: [opt(uint), 'a non-negative integer'],
  storeEveryMs: [opt(uint), 'a non-negative integer'],
  record: [opt(token), 'a job id'],
  attempt: [opt(uint), 'a non-negative integer'],
} as const satisfies Record<string, Field>;

/**
 * Sealing (runtime/net/seal.ts): `checkpoint` is sealed from `from` (whose key is in
 * `keys`) or from the engine (`client`) to this hub, with sequence `handovers`. `client`:
 * the engine's public identity; `keys`: the sealing keys of the route's hubs.
 */
const SEALING = {
  sealed: [opt(bool), 'a boolean'],
  /**
   * The engine's ticket: `client.sign`'s Ed25519 signature over job key, attempt, record,
   * bundle, route, keys, `inboxes` and `issued` (runtime/net ticketStatement). A hub acts
   * on route, replyTo, progress, from and record only with a valid one.
   */
  ticket: [opt(sig64), 'a 64-byte signature'],
  /**
   * Or, where every hub of the route has a sealing key, the same statement's MAC for each
   * hub of the route, by hub id (runtime/net/ticket-mac.ts): each hub checks its own.
   */
  ticketMacs: [opt(v.pipe(v.record(token, mac32), v.check((m) => Object.keys(m).length <= 1024))), 'a map of hub ids to 32-byte MACs'],
  /** With `ticketMacs`: `client.sign`'s signature over `client.seal`, which the MACs prove. */
  clientBind: [opt(sig64), 'a 64-byte signature'],
  /** Subject prefixes the engine takes replies and progress on; replyTo and progress start with one. */
  inboxes: [opt(v.pipe(v.array(inbox), v.maxLength(4))), "a list of at most 4 '_INBOX.' prefixes"],
  /** When the engine signed the ticket (epoch ms). */
  issued: [opt(num), 'a number'],
  client: [opt(publicKeys), 'a map of 32-byte sign and seal keys'],
  keys: [opt(v.pipe(v.record(token, key32), v.check((k) => Object.keys(k).length <= 1024))), 'a map of hub ids to 32-byte keys'],
} as const satisfies Record<string, Field>;

/** For hubs' metrics only (older engines omit them): what placed the job, and why this attempt began. */
const NOTES = {
  policy: [opt(v.pipe(v.string(), v.minLength(1), v.maxLength(64))), 'a string of 1-64 characters'],
  recovery: [
    opt(v.object({ reason: v.picklist(['retry', 'takeover']), from: v.picklist(['stored', 'engine', 'start']) })),
    "a map of 'reason' (retry, takeover) and 'from' (stored, engine, start)",
  ],
} as const satisfies Record<string, Field>;

export const EXEC = message('exec', { ...RUN, ...ROUTING, ...DURABILITY, ...SEALING, ...NOTES }, [
  ['args', (m) => m.args !== undefined || m.checkpoint !== undefined, 'present when there is no checkpoint'],
  ['args', (m) => m.args === undefined || argBytes(m.args as ArgValue[]) <= MAX_ARG_BYTES, `at most ${MAX_ARG_BYTES} bytes in all`],
]);

export type ExecRequest = v.InferOutput<typeof EXEC.schema>;
/** Why an attempt began (ExecRequest.recovery). */
export type RecoveryNote = NonNullable<ExecRequest['recovery']>;
