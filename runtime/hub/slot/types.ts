/**
 * What a hub's main thread asks a slot (a HubCore on a worker thread), and what the slot
 * answers: the protocol's exec, drop-job and ping, plus what only a hub's own threads say
 * to each other: which run a request belongs to (`tag`), whether its checkpoint was
 * already authenticated (`opened`), `export` (the whole state of a job, for a move) and
 * `calibrate` (the hub timing itself while idle).
 *   const reply = await thread.request({ ...exec, tag: 7, opened: true });
 */
import type { DropJobRequest, ExecRequest, HubReply, PingRequest, PROTOCOL_VERSION, RanReply } from '../../protocol/index.js';
import type { HeldBase } from '../../snapshot/index.js';
import type { TimedCalibration } from '../capabilities.js';

/**
 * The fields of an exec a slot reads. The rest (keys, tickets and their MACs, inboxes,
 * where replies and progress go) stay on the main thread: cloned into every request they
 * tripled its cost (structuredClone of a tiny job's request: 10-14 µs with its exec's 21
 * fields, 3-4 µs with the 11 of these it has, and the hub's tag and owner).
 */
export const SLOT_EXEC_FIELDS = [
  'kind', 'v', 'job', 'bundle', 'bundleBytes', 'entry', 'args', 'input', 'fragment', 'checkpoint', 'seed', 'stay', 'handovers', 'full',
  'migrateEvery', 'storeEvery', 'storeEveryMs', 'route',
] as const satisfies ReadonlyArray<keyof ExecRequest>;

/** An exec as a slot takes it (SLOT_EXEC_FIELDS), with a hub's own notes. */
export interface SlotExec extends Pick<ExecRequest, typeof SLOT_EXEC_FIELDS[number]> {
  /** Which run a slot may be asked to pause (a move, a fence). */
  tag?: number;
  /** The checkpoint was unsealed (AEAD-authenticated): its CRC need not be checked again. */
  opened?: boolean;
  /**
   * Where the state goes next holds this base of the job (ExecRequest.bases): reply with
   * the pages changed since it. Without it, and not `full`: a diff against `checkpoint`.
   */
  diffTo?: HeldBase;
  /**
   * The hub seals a diff this run replies with where it lies (handover.ts, `consume`) and
   * nothing reads its plaintext after: leave it without a CRC (a pass over every byte;
   * the next hub opens it authenticated), and say so (SlotRan.unchecked).
   */
  sealsDiff?: boolean;
  /**
   * The job's client (its signing key, hex), when it came under a ticket: a job starts in
   * the instance the same client's last job finished in, renewed (HubCore), never in
   * another client's. Jobs without a ticket (none steers anything) renew only each other's.
   */
  owner?: string;
}

/**
 * A slot's `ran` reply: with the base it now keeps of the job (its id and step), when it
 * keeps one; `unchecked` when its checkpoint has no CRC yet (SlotExec.sealsDiff).
 */
export type SlotRan = RanReply & { kept?: HeldBase; unchecked?: boolean };

/** The full state a slot holds for `job`, encoded (a move to a hub other than the base's needs it whole). */
export interface ExportRequest { kind: 'export'; v: typeof PROTOCOL_VERSION; job: string }

/**
 * Time the calibration kernel for about `ms` on this slot, as its fragments run now (the
 * slot's throttle counted): what an idle hub measures of itself (idle-probe.ts).
 */
export interface CalibrateRequest { kind: 'calibrate'; v: typeof PROTOCOL_VERSION; ms: number }

export type SlotRequest = SlotExec | ExportRequest | CalibrateRequest | DropJobRequest | PingRequest;

/** An export's answer. */
export interface ExportReply { kind: 'ok'; v: typeof PROTOCOL_VERSION; checkpoint: Uint8Array }

/** A calibration's answer (an `ok`, as an export's). */
export interface CalibratedReply { kind: 'ok'; v: typeof PROTOCOL_VERSION; calibrated: TimedCalibration }

export type SlotReply = HubReply | SlotRan | ExportReply | CalibratedReply;
