/**
 * Hand-over (routed mode): a fragment paused here goes straight to the next hub of its
 * route, or to the hub a re-weaving move named, sealed to that hub. The receiver
 * acknowledges once it has restored it (or queued it); then this hub reports the move on
 * the engine's progress subject and is done with the job. If the receiver refuses or
 * does not answer, the state goes back to the engine instead: whole (it carries on from
 * it), or, when this hub had only a diff, as `handoff-failed`.
 *   const next = nextHop(req.route, req.hop ?? 0, 'a');
 *   const back = await handover.pass(req, ran, { next, replyTo, full, move });   // undefined: handed over
 */
import { execSubject, sendInPlace, type DeferredSeal } from '../net/index.js';
import {
  PROTOCOL_VERSION, decodeMessage, encodeMessage, parseMessage, type ErrorReply, type ExecRequest, type ProgressEvent, type RanReply,
} from '../protocol/index.js';
import type { Logger } from './log.js';
import { storesCheckpoints } from './checkpoint-keeper.js';
import { checksumCheckpoint } from '../snapshot/index.js';
import type { HubMetrics } from './metrics.js';
import type { Run } from './runs.js';
import type { SealGate } from './seal-gate.js';

/** A hub that does not acknowledge a hand-over in this time is passed over. */
export const HANDOVER_TIMEOUT_MS = 10_000;

export interface Hop { id: string; hop: number }

/** The next hub of `route` after position `hop` that is not `self`; undefined when there is none. */
export function nextHop(route: readonly string[], hop: number, self: string): Hop | undefined {
  for (let k = 1; k <= route.length; k++) {
    const at = (hop + k) % route.length;
    if (route[at] !== self) return { id: route[at], hop: at };
  }
  return undefined;
}

export interface HandoverDeps {
  hub: string;
  gate: SealGate;
  /** A request/reply to a subject (Wire.request). */
  ask: (subject: string, bytes: Uint8Array, timeoutMs: number) => Promise<Uint8Array>;
  /** Publish a progress event to an engine's progress subject. */
  report: (subject: string, event: ProgressEvent) => void;
  /** The whole state the slot holds for a job, encoded (a move to a hub that lacks the base). */
  exportWhole: (job: string) => Promise<Uint8Array | undefined>;
  metrics: Pick<HubMetrics, 'checkpoint' | 'ran' | 'migrated'>;
  log: Logger;
  /** Free bytes slots leave before each checkpoint, so the message is framed around it in place. */
  headroom: number;
  /**
   * A hand-over was acknowledged at `yields`: the state that left is worth keeping
   * (recovery starts from it). `whole`: that state, when what was sent was whole (a diff
   * was sent to the hub holding its base: then the slot's own copy is what there is).
   */
  handedOver?: (req: ExecRequest, yields: number, whole?: Uint8Array) => void;
  /**
   * The buffer an acknowledged hand-over left in, which nothing reads any more (the
   * state went as a diff from the slot's buffer, not kept): for the next large payload to
   * arrive in (presize.ts recycleReceiveBuffer).
   */
  recycle?: (buffer: ArrayBuffer) => void;
}

export interface PassContext {
  /** The next hub of the route (undefined: nowhere to go). */
  next: Hop | undefined;
  /** Where the engine waits for the outcome. */
  replyTo: string | undefined;
  /** The run's checkpoint is whole, not a diff for `next` (against the base it holds). */
  full: boolean;
  /** The route's bases after this run (ExecRequest.bases), for the next hub to diff against. */
  bases?: ExecRequest['bases'];
  /** A re-weaving move asked of this run. */
  move: Run['move'];
  /** The run's checkpoint has no CRC yet (SlotRan.unchecked): fine sealed in place, checksummed before anything else reads it. */
  unchecked?: boolean;
}

/**
 * Whether a diff `req`'s run hands on is sealed over its own bytes (SealOptions.consume):
 * on a secure hub, unless the keeper stores the job's states (it keeps what left). The
 * exec service asks it before the run (a slot then leaves such a diff without a CRC).
 */
export function sealsDiffInPlace(req: ExecRequest, gate: Pick<SealGate, 'identity'>): boolean {
  return gate.identity !== undefined && !storesCheckpoints(req);
}

export class Handover {
  constructor(private readonly deps: HandoverDeps) {}

  /**
   * After a run paused here: hand its state on. Returns undefined once another hub has it,
   * else the reply for the engine (the state, or `handoff-failed`).
   */
  async pass(req: ExecRequest, r: RanReply, ctx: PassContext): Promise<RanReply | ErrorReply | undefined> {
    const { gate, log } = this.deps;
    const handovers = req.handovers ?? 0;
    // The slot skipped the CRC of a diff it expected sealed in place (the next hub opens it
    // authenticated); every other way out gives these bytes a CRC first.
    let unchecked = ctx.unchecked === true && r.checkpoint !== undefined;
    const checksummed = () => {
      if (unchecked) checksumCheckpoint(r.checkpoint!);
      unchecked = false;
    };
    const toEngine = (extra: Partial<RanReply> = {}) => {
      checksummed();
      return gate.forEngine(req, r, { handovers, ...extra });
    };
    let { next } = ctx;
    let route = req.route;
    let checkpoint = r.checkpoint;
    const movedTo = ctx.move?.to;
    // The newest ticket the job runs under here: a move replaced it with one naming its target.
    const current = gate.ticketOf(req.job);
    const moved = movedTo && current?.sig && current.ticket.issued !== req.issued ? { ticket: current.ticket, sig: current.sig } : undefined;
    if (r.outcome === 'paused' && movedTo && route) {
      if (moved) route = [...moved.ticket.route];
      if (!route.includes(movedTo)) {
        if (moved) return toEngine();
        route = [...route, movedTo];
      }
      next = { id: movedTo, hop: route.indexOf(movedTo) };
      // A diff is for the hub the route had next; anywhere else needs the state whole.
      if (!ctx.full && movedTo !== ctx.next?.id) {
        checkpoint = await this.deps.exportWhole(req.job);
        if (!checkpoint) return toEngine();
      }
    }
    if (r.outcome !== 'paused' || !next || !checkpoint) return toEngine();
    // Back to the engine when the next hub does not take it: the full state it can use (a
    // diff it cannot: the slot's whole copy instead; a base evicted there lands here).
    const diff = !ctx.full && checkpoint === r.checkpoint;
    const back = async () => {
      const whole = diff ? await this.deps.exportWhole(req.job) : checkpoint;
      return whole ? toEngine({ checkpoint: whole }) : this.failed(req, next!.id);
    };
    const moveKey = movedTo === next.id ? ctx.move?.key : undefined;
    const keys = moved ? { ...moved.ticket.keys } : moveKey ? { ...req.keys, [next.id]: moveKey } : req.keys;
    let payload = checkpoint;
    let seal: DeferredSeal | undefined;
    if (gate.identity) {
      // Sealed to the next hub alone; a hub without a key gets nothing (the engine does).
      const peer = keys?.[next.id];
      if (!peer) {
        log.warn('no sealing key for the next hub; the state goes back to the engine', { job: req.job, fragment: r.fragment, to: next.id });
        return back();
      }
      // A diff's bytes (the slot transferred them here) are sealed where they lie: nothing
      // reads them after (back() takes the slot's whole copy), unless the keeper stores the
      // job's states. A whole state is kept: it is the only copy that a drain or a failed
      // hand-over can count on (the slot may hold none).
      const consume = diff && sealsDiffInPlace(req, gate);
      // Sealed in place, its plaintext is gone: nothing is left to checksum.
      if (consume) unchecked = false;
      else checksummed();
      seal = gate.sealForHub(req, checkpoint, r.fragment, handovers + 1, next.id, peer, { headroom: this.deps.headroom, consume });
      payload = seal.frame;
    } else {
      checksummed();
    }
    const { args, bundleBytes, ...rest } = req;
    const msg: ExecRequest = {
      ...rest, route, keys, fragment: r.fragment, checkpoint: payload, sealed: gate.identity ? true : undefined, hop: next.hop, from: this.deps.hub, replyTo: ctx.replyTo,
      handovers: handovers + 1, full: undefined, bases: ctx.bases, ...(moved ? { ticket: moved.sig, ticketMacs: undefined, clientBind: undefined, issued: moved.ticket.issued } : {}),
    };
    const whole = ctx.full || checkpoint !== r.checkpoint ? checkpoint : undefined;
    if (await this.send(req, r, msg, next.id, checkpoint.byteLength, !!ctx.move?.here && movedTo === next.id, whole, seal)) return undefined;
    return back();
  }

  /**
   * Send the hand-over; true once the next hub acknowledged it. `seal`: the checkpoint's
   * seal, still to be enciphered (SealGate.sealForHub).
   */
  private async send(req: ExecRequest, r: RanReply, msg: ExecRequest, to: string, bytes: number, reweave: boolean, whole?: Uint8Array, seal?: DeferredSeal): Promise<boolean> {
    const { metrics, log } = this.deps;
    try {
      // The slot left room before the checkpoint: frame the message there, no copy.
      let framed = encodeMessage(msg, { inPlace: 'checkpoint' });
      let prepare: ((end: number) => void) | undefined;
      if (seal) {
        const lead = framed.byteLength - seal.frame.byteLength;
        if (framed.buffer === seal.frame.buffer && framed.byteOffset + lead === seal.frame.byteOffset) {
          // The seal ends the message where it lies: enciphered piece by piece as written.
          prepare = (end) => seal.upTo(end - lead);
        } else {
          // Framed into a copy (no room before it), which holds the plaintext: sealed
          // whole first and framed again; the copy is dropped unsent.
          seal.upTo(seal.frame.byteLength);
          framed = encodeMessage(msg);
        }
      }
      metrics.checkpoint('sent', msg.checkpoint!.byteLength);
      // Written to the socket from the slot's buffer, not copied first (send-in-place.ts): the
      // buffer is given back below only once the next hub has all of it.
      const answer = await this.deps.ask(execSubject(to), sendInPlace(framed, prepare), HANDOVER_TIMEOUT_MS).finally(() => {
        // Refused by the next hub as altered, since zeroed bytes do not open: say why here.
        if (seal?.failed) log.error('a hand-over could not be sealed; its bytes were zeroed', { job: req.job, fragment: r.fragment, to, error: seal.failed.message });
      });
      const ack = parseMessage(decodeMessage(answer), ['ok', 'error'], 'a hub handing over');
      if (ack.kind === 'ok' && ack.resumedAt !== undefined) {
        metrics.ran('handed-over', r.fragments ?? 0);
        // This hub's clock at both ends: the pause here, the ack of the restore there.
        if (r.pausedAt !== undefined) metrics.migrated((performance.timeOrigin + performance.now() - r.pausedAt) / 1000);
        log.debug('handed over', { job: req.job, fragment: r.fragment, to, bytes: msg.checkpoint!.byteLength });
        this.deps.handedOver?.(req, r.yields, whole);
        // The next hub has all of the message (so the socket has written it from the slot's
        // buffer): that buffer is free, unless the state is kept (whole) or the message was
        // framed into a copy.
        if (!whole && framed.buffer === r.checkpoint?.buffer) this.deps.recycle?.(framed.buffer as ArrayBuffer);
        if (req.progress) {
          this.deps.report(req.progress, {
            kind: 'progress', v: PROTOCOL_VERSION, job: req.job, hub: this.deps.hub, to, fragment: r.fragment,
            fragments: r.fragments ?? 0, bytes, execMs: r.execMs, yields: r.yields, maxYieldGapMs: r.maxYieldGapMs,
            pausedAt: r.pausedAt ?? 0, resumedAt: ack.resumedAt, ...(reweave ? { reweave } : {}),
          });
        }
        return true;
      }
      log.warn('hand-over refused', { job: req.job, fragment: r.fragment, to, code: ack.kind === 'error' ? ack.code : 'no-resume-time', error: ack.kind === 'error' ? ack.message : 'the ack carries no resume time' });
    } catch (e) {
      log.warn('hand-over failed', { job: req.job, fragment: r.fragment, to, error: (e as Error).message });
    }
    return false;
  }

  private failed(req: ExecRequest, to: string): ErrorReply {
    return { kind: 'error', v: PROTOCOL_VERSION, code: 'handoff-failed', message: `job ${req.job}: hand-over to ${to} failed` };
  }
}
