/**
 * What a hub answers: `ran` (the outcome of an exec), `error` (a typed refusal or
 * failure, docs/protocol.md "Errors"), `ok` (an acknowledgement: a hand-over restored,
 * a move asked, a job dropped), `pong`, and on the embedded mesh `need-bundle`.
 *   const reply = parseReply(decodeMessage(bytes));
 *   if (reply.kind === 'error') throw HubError.fromWire(reply, hub);
 */
import * as v from 'valibot';
import { message, bool, bytes, int, num, opt, str, strings, token, uint } from './schema.js';

const dataStats = v.object({ localBytes: uint, remoteBytes: uint, remoteReads: uint, names: strings });

export const RAN = message('ran', {
  outcome: [v.picklist(['next', 'done', 'paused']), "'next', 'done' or 'paused'"],
  /** Fragment to continue with (next or paused-in); -1 when done. */
  fragment: [int, 'an integer'],
  /** The state at the end: a diff against what the hub was sent, unless `full`; absent when done. */
  checkpoint: [opt(bytes), 'bytes'],
  /** Fragments completed in this run. */
  fragments: [opt(uint), 'a non-negative integer'],
  /** Hand-overs before this run (routed), so the engine knows how many progress events to expect. */
  handovers: [opt(uint), 'a non-negative integer'],
  /** Bytes of base checkpoints the hub (slot) holds after this run. */
  held: [opt(uint), 'a non-negative integer'],
  /** Result bytes (little-endian, or the object a string or array result points to) when done. */
  result: [opt(bytes), 'bytes'],
  /** The job's output (io.output-write) when done and not empty. */
  output: [opt(bytes), 'bytes'],
  /** Dataset bytes this run read from the hub's own files and from other hubs, and the names read. */
  data: [opt(dataStats), 'a map of localBytes, remoteBytes, remoteReads and names'],
  execMs: [num, 'a number'],
  yields: [uint, 'a non-negative integer'],
  /** The longest stretch between two yield points in this run, ms (older hubs omit it). */
  maxYieldGapMs: [opt(num), 'a number'],
  /** Wall-clock times (epoch ms) of the restore on this hub and of the pause, if any. */
  resumedAt: [opt(num), 'a number'],
  pausedAt: [opt(num), 'a number'],
  /** With a job record: the result is committed there (false: the hub could not reach it). */
  committed: [opt(bool), 'a boolean'],
  /**
   * The hub that ran it, and its Ed25519 signature of the result (resultStatement), or for
   * a job without a record its MAC for the client alone (runtime/net/result-mac.ts).
   */
  hub: [opt(token), 'a hub id'],
  sig: [opt(bytes), 'bytes'],
  mac: [opt(bytes), 'bytes'],
  /** `checkpoint` is sealed from `hub` to the engine. */
  sealed: [opt(bool), 'a boolean'],
});

export const ERROR = message('error', {
  code: [str, 'a string'],
  message: [str, 'a string'],
  fragment: [opt(int), 'an integer'],
  entry: [opt(str), 'a string'],
});

export const OK = message('ok', {
  /** A hand-over: when the state was restored (epoch ms). */
  resumedAt: [opt(num), 'a number'],
  /** A drop-job: the base checkpoint bytes the hub still holds. */
  held: [opt(uint), 'a non-negative integer'],
});

export const PONG = message('pong', { hub: [str, 'a string'] });

/** Embedded mesh: the hub lacks the bundle; the checkpoint it was sent comes back with the question. */
export const NEED_BUNDLE = message('need-bundle', {
  bundle: [str, 'a string'],
  checkpoint: [opt(bytes), 'bytes'],
});

export type RanReply = v.InferOutput<typeof RAN.schema>;
export type ErrorReply = v.InferOutput<typeof ERROR.schema>;
export type OkReply = v.InferOutput<typeof OK.schema>;
export type PongReply = v.InferOutput<typeof PONG.schema>;
export type NeedBundleReply = v.InferOutput<typeof NEED_BUNDLE.schema>;
export type DataStats = v.InferOutput<typeof dataStats>;
/** Anything a hub answers an exec, move, drop-job or ping with. */
export type HubReply = RanReply | ErrorReply | OkReply | PongReply | NeedBundleReply;
