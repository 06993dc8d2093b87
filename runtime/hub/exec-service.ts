/**
 * What a hub does with the requests on its exec subject: check each against its schema,
 * then run an exec on the job's slot (refusing it while draining, when fenced, or when
 * its checkpoint does not open), and finish the run: drop it if fenced meanwhile, commit
 * a result, hand a paused fragment to the next hub, or reply. Also `move` (re-weaving),
 * `drop-job`, `ping`, and fences. Every outcome is counted and logged with its job and
 * fragment; nothing a peer sends throws out of here.
 *   const execs = new ExecService({ hub: 'a', slots, runs, gate, records, handover, keeper, bundles, metrics, log, state });
 *   wire.serve(execSubject('a'), (bytes, ctx) => execs.onRequest(bytes, ctx.reply, ctx.owned));
 */
import {
  HUB_REQUEST_KINDS, PROTOCOL_VERSION, ProtocolError, TransportError, decodeMessage, encodeMessage, isProgramTrap, parseMessage,
  type ErrorReply, type ExecRequest, type FenceMessage, type HubReply, type HubRequest, type HubState, type MoveRequest,
} from '../protocol/index.js';
import { fenceStatement, verify } from '../net/index.js';
import type { BundleCache } from './bundle-cache.js';
import type { CheckpointKeeper } from './checkpoint-keeper.js';
import { nextHop, sealsDiffInPlace, type Handover, type Hop } from './handover.js';
import type { Logger } from './log.js';
import type { HubMetrics } from './metrics.js';
import { fencedJob, type Records } from './records.js';
import type { Run, RunsTable } from './runs.js';
import type { SealGate } from './seal-gate.js';
import type { SlotHooks, Slots } from './slots.js';
import { SLOT_EXEC_FIELDS, type SlotExec, type SlotRan, type SlotReply } from './slot/index.js';
import type { HeldBase } from '../snapshot/index.js';

export interface ExecServiceDeps {
  hub: string;
  slots: Slots;
  runs: RunsTable;
  gate: SealGate;
  records: Records;
  handover: Handover;
  keeper: CheckpointKeeper;
  bundles: BundleCache;
  metrics: HubMetrics;
  log: Logger;
  /** The hub's lifecycle state now (a draining hub refuses new work). */
  state: () => HubState;
  /** Send an outcome to where an engine waits (a hand-over's `replyTo`). */
  send: (subject: string, bytes: Uint8Array) => void;
  /** A run's slot answered (stay-or-move measures the run's last stretch: weaving.ts). */
  ran?: (run: Run, r: SlotReply) => void;
}

export class ExecService {
  /** Requests being served, hand-overs included until their outcome is sent: a drain waits for 0. */
  active = 0;

  constructor(private readonly d: ExecServiceDeps) {}

  /**
   * One request from the exec subject. `owned`: the bytes' buffer is this hub's alone (see
   * Wire), so a checkpoint in it may go to a slot as is. Resolves with the encoded reply,
   * or undefined when another hub will answer.
   */
  async onRequest(bytes: Uint8Array, reply: string | undefined, owned: boolean): Promise<Uint8Array | undefined> {
    let out: HubReply | undefined;
    this.active++;
    try {
      out = await this.dispatch(parseMessage(decodeMessage(bytes), HUB_REQUEST_KINDS, 'a hub'), reply, owned);
    } catch (e) {
      out = this.rejected(e);
    } finally {
      this.active--;
    }
    return out && encodeMessage(out);
  }

  /**
   * A fence from an engine: newer attempt `m.attempt` of job `m.job`; older ones of the
   * signing client's job here pause and are dropped. An unsigned or altered fence is noise.
   */
  fence(m: FenceMessage): void {
    if (!verify(m.client, fenceStatement(m.job, m.attempt), m.sig)) {
      this.d.log.debug('a fence with a bad signature; ignored', { job: m.job, attempt: m.attempt });
      return;
    }
    if (!this.d.records.fence(m.job, m.attempt, m.client)) return;
    for (const run of this.d.runs.olderThan(m.job, m.attempt, Buffer.from(m.client).toString('hex'))) {
      this.d.log.info('fenced', { job: run.job, fragment: run.fragment, attempt: run.attempt, newer: m.attempt });
      this.d.slots.preemptRun(run.slot, run.tag);
    }
  }

  /** Forget `job`'s base checkpoint on its slot. */
  async dropJob(job: string): Promise<void> {
    const slot = this.d.runs.forgetSlot(job);
    if (slot !== undefined) await this.d.slots.request(slot, { kind: 'drop-job', v: PROTOCOL_VERSION, job });
  }

  /** An error reply for a failure; `req`: the exec it was serving, when the failure came after it was read. */
  rejected(e: unknown, req?: ExecRequest): ErrorReply {
    const code = e instanceof ProtocolError ? 'bad-message' : e instanceof TransportError ? `transport-${e.code}` : 'internal';
    this.d.log.warn('rejected a request', { code, error: (e as Error).message, ...(req ? { job: req.job, fragment: req.fragment } : {}) });
    return { kind: 'error', v: PROTOCOL_VERSION, code, message: (e as Error).message };
  }

  private async dispatch(msg: HubRequest, reply: string | undefined, owned: boolean): Promise<HubReply | undefined> {
    switch (msg.kind) {
      case 'ping': return { kind: 'pong', v: PROTOCOL_VERSION, hub: this.d.hub };
      case 'drop-job': await this.dropJob(msg.job); return { kind: 'ok', v: PROTOCOL_VERSION };
      case 'move': return this.move(msg);
      case 'exec': return this.exec(msg, reply, owned);
    }
  }

  /**
   * Re-weaving: pause a run here at its next yield point and hand it to `to`, only under a
   * newer ticket from the job's client naming `to` (sealed to the key that ticket gives).
   */
  private move(m: MoveRequest): HubReply {
    const allowed = m.to === this.d.hub ? undefined : this.d.gate.admitMove(m);
    if (allowed && 'code' in allowed && allowed.code !== 'not-here') return { kind: 'error', v: PROTOCOL_VERSION, ...allowed };
    const run = allowed && !('code' in allowed) ? this.d.runs.askMove(m.job, m.to, allowed.key) : undefined;
    if (run && allowed && !('code' in allowed)) this.d.gate.moved(m.job, allowed);
    if (!run) {
      this.d.log.warn('error reply', { job: m.job, code: 'not-here', to: m.to });
      return { kind: 'error', v: PROTOCOL_VERSION, code: 'not-here', message: `job ${m.job} is not running on hub ${this.d.hub}` };
    }
    // An engine's exec still waiting for its slot (a run ahead of it) goes back to the
    // engine now, which holds its state and places it on `to`: it would otherwise move
    // only once it started, after the run ahead of it. Only for an engine that says it
    // takes `not-started` (older ones would fail the job on it). A hand-over waiting here
    // was acknowledged (its sender let the state go), so it pauses once it starts, as before.
    const notStarted = { kind: 'error', v: PROTOCOL_VERSION, code: 'not-started', message: `hub ${this.d.hub} had not started job ${m.job} (it waited for a busy slot); place it on ${m.to}` } as const;
    if (m.unstarted && run.fromEngine && this.d.slots.withdraw(run.slot, run.tag, notStarted)) {
      this.d.metrics.placed('reweave');
      this.d.log.info('moving before it started', { job: m.job, fragment: run.fragment, to: m.to });
      return { kind: 'ok', v: PROTOCOL_VERSION };
    }
    this.d.slots.preemptRun(run.slot, run.tag);
    this.d.metrics.placed('reweave');
    this.d.log.info('moving', { job: m.job, fragment: run.fragment, to: m.to });
    return { kind: 'ok', v: PROTOCOL_VERSION };
  }

  /**
   * Re-weaving decided here (weaving.ts): pause `run` at its next yield point and hand it
   * to `to`, a hub on the route its engine signed, under the ticket it runs under.
   */
  moveHere(run: Run, to: string): void {
    if (this.d.runs.get(run.job) !== run || run.move) return;
    this.d.runs.askMove(run.job, to, undefined, true);
    this.d.slots.preemptRun(run.slot, run.tag);
    this.d.metrics.placed('reweave');
  }

  /**
   * Run an exec. Returns the reply to send, or undefined when another hub will answer.
   * A hand-over from another hub (it carries `replyTo`) is acknowledged as soon as the
   * state is restored; its outcome goes to `replyTo` (or on to the next hub) later.
   */
  private async exec(req: ExecRequest, reply: string | undefined, owned: boolean): Promise<HubReply | undefined> {
    const { gate, metrics, records, runs, slots } = this.d;
    if (req.checkpoint) metrics.checkpoint('received', req.checkpoint.byteLength);
    const state = this.d.state();
    if (state === 'draining' || state === 'stopped') {
      return this.settled(req, { kind: 'error', v: PROTOCOL_VERSION, code: 'draining', message: `hub ${this.d.hub} is draining; place the fragment elsewhere` }, false);
    }
    if (records.isFenced(req)) return this.settled(req, { kind: 'error', v: PROTOCOL_VERSION, code: 'fenced', message: `job ${req.job}: a newer attempt has started` }, false);
    // Byte fields other than the checkpoint may be views of the message's buffer, which goes
    // to a slot when `owned` (detached here): they get buffers of their own first.
    if (owned && req.input) req.input = new Uint8Array(req.input);
    // Opened over its own bytes when they are ours alone: no buffer of its size made.
    const refused = gate.admit(req, reply) ?? gate.open(req, owned);
    // A replayed engine exec gets no answer: its reply subject is the real engine's, which
    // still waits for the real outcome and must not get this refusal in its place.
    if (refused?.code === 'ticket-replayed') return undefined;
    if (refused) return this.settled(req, { kind: 'error', v: PROTOCOL_VERSION, ...refused }, false);
    if (req.from === undefined) {
      // Only an engine's exec is a placement; hand-overs follow the route it chose.
      metrics.placed(req.policy ?? 'unspecified');
      if (req.recovery) metrics.recovered(req.recovery.reason, req.recovery.from);
    }
    const opened = gate.opened(req);
    // An opened checkpoint lies in the message's buffer (when owned) or in one of its own.
    if (opened) owned ||= ownsAll(req.checkpoint!);
    const next = req.route ? nextHop(req.route, req.hop ?? 0, this.d.hub) : undefined;
    // The state leaves as a diff only for a next hub said to hold a base of the job (the one
    // that handed it here, or any earlier on the route). With nowhere to move (a route of
    // one hub), pausing for a migration is pointless: run on; a drain still pauses.
    const diffTo = next && req.bases?.find((b) => b.hub === next.id);
    const full = req.route ? !diffTo : req.full ?? false;
    const run = runs.start(req.job, {
      fragment: req.fragment, record: fencedJob(req), attempt: req.attempt, fromEngine: req.replyTo === undefined, bundle: req.bundle, stateBytes: req.checkpoint?.byteLength ?? 0,
      ...(req.client ? { client: Buffer.from(req.client.sign).toString('hex') } : {}),
    });
    const slotReq: SlotExec = {
      ...slotFields(req), full, migrateEvery: req.route && !next ? 0 : req.migrateEvery, tag: run.tag, ...(opened ? { opened } : {}),
      ...(diffTo ? { diffTo: { id: diffTo.id, step: diffTo.step } } : {}),
      ...(diffTo && sealsDiffInPlace(req, gate) ? { sealsDiff: true } : {}),
      ...(run.client ? { owner: run.client } : {}),
    };
    const replyTo = req.replyTo ?? reply;
    const untrack = () => {
      runs.end(run);
      slots.clearRun(run.slot, run.tag);
    };
    const finish = (r: SlotReply) => this.finish(req, r, run, next, replyTo, full);
    if (req.replyTo === undefined) {
      let out: HubReply | undefined;
      try {
        out = await finish(await this.runOnSlot(req, slotReq, run, owned));
      } catch (e) {
        out = this.rejected(e, req);
      } finally {
        untrack();
      }
      return this.settled(req, out, true);
    }
    this.active++;
    return new Promise<HubReply | undefined>((ack) => {
      let acked = false;
      // A hand-over is acknowledged once restored, so the sender learns the pause-to-resume
      // time; but into a slot that is busy with another run, at once: the sender must not
      // wait (and time out) for a run it cannot shorten. The state is as safe queued here as
      // restored: if this hub dies, the engine restarts the job either way.
      if (slots.inFlight(run.slot) > 0) { acked = true; ack({ kind: 'ok', v: PROTOCOL_VERSION, resumedAt: performance.timeOrigin + performance.now() }); }
      this.runOnSlot(req, slotReq, run, owned, (resumedAt) => { if (!acked) { acked = true; ack({ kind: 'ok', v: PROTOCOL_VERSION, resumedAt }); } })
        .then((r) => (acked ? finish(r) : r))
        .catch((e) => this.rejected(e, req))
        .then((out) => {
          this.settled(req, out, true);
          // Never restored: the sender learns why in its ack, and keeps the state.
          if (!acked) ack(out);
          else if (out && replyTo) this.d.send(replyTo, encodeMessage(out));
        })
        .catch((e) => this.d.log.error('cannot send an outcome', { job: req.job, fragment: req.fragment, error: (e as Error).message }))
        .finally(() => { untrack(); this.active--; });
    });
  }

  /**
   * Run on the job's slot, fetching the bundle once if the slot lacks it. The checkpoint
   * is transferred to the slot, not cloned (structured clone costs about 1 ms per MiB
   * here): as it is when `owned` says its buffer is ours alone, else as a copy in a buffer
   * of its own, since a view of a socket chunk must not be pulled from under the NATS
   * parser. Either way `req.checkpoint` is not to be read again.
   */
  private async runOnSlot(req: ExecRequest, slotReq: SlotExec, run: Run, owned: boolean, onRestored?: (at: number) => void): Promise<SlotReply> {
    const { slots, keeper, bundles, runs } = this.d;
    const checkpoint = slotReq.checkpoint && (owned ? slotReq.checkpoint : new Uint8Array(slotReq.checkpoint));
    const transfer = (c?: Uint8Array) => (c ? [c.buffer as ArrayBuffer] : []);
    const hooks: SlotHooks = { onRestored };
    if (req.storeEvery || req.storeEveryMs) hooks.onStored = (cp, yields) => keeper.keep(req, cp, yields);
    // Bundle bytes go to a slot only when it asks (once per slot): it caches the compiled
    // module, and cloning a bundle into every request would cost more than the run.
    let reply = await slots.request(run.slot, { ...slotReq, checkpoint }, { ...hooks, transfer: transfer(checkpoint) });
    if (reply.kind === 'need-bundle') {
      const bytes = await bundles.get(req);
      // The slot sent the checkpoint back with its question.
      const back = reply.checkpoint;
      reply = await slots.request(run.slot, { ...slotReq, checkpoint: back, bundleBytes: bytes }, { ...hooks, transfer: transfer(back) });
    }
    if (reply.kind === 'error' && reply.code === 'no-base') runs.forgetSlot(req.job);
    return reply;
  }

  /**
   * After a run: drop it if fenced, end a trapped job's record, commit a result, hand a
   * paused fragment on (handover.ts), or reply. `full`: the run's checkpoint is whole, not
   * a diff against the hub that handed it over.
   */
  private async finish(req: ExecRequest, r: SlotReply, run: Run, next: Hop | undefined, replyTo: string | undefined, full: boolean): Promise<HubReply | undefined> {
    const { records, gate } = this.d;
    this.d.ran?.(run, r);
    if (records.isFenced(req)) {
      await this.dropJob(req.job);
      return { kind: 'error', v: PROTOCOL_VERSION, code: 'fenced', message: `job ${req.job}: a newer attempt has started; this one's outcome is dropped` };
    }
    if (r.kind === 'error' && isProgramTrap(r.code) && req.record !== undefined) await records.trapped(req, r.message);
    if (r.kind !== 'ran') return r;
    // The base the slot now keeps is this hub's business and the route's, not the engine's.
    const { kept, unchecked, ...ran } = r as SlotRan;
    // Done: the slot dropped the job's state itself (core.ts), so the slot it ran on is
    // forgotten here too, and the engine's drop-job, if any comes, costs the slot nothing.
    if (ran.outcome === 'done') {
      this.d.runs.forgetSlot(req.job);
      gate.finished(req);
    }
    const handovers = req.handovers ?? 0;
    if (ran.outcome === 'done' && req.record !== undefined) {
      // Signed first: the record keeps the signature, so an attach can check who committed.
      const signed = gate.forEngine(req, ran, { handovers });
      const outcome = await records.commit(req, signed);
      if (outcome === 'fenced') return { kind: 'error', v: PROTOCOL_VERSION, code: 'fenced', message: `job ${req.job}: a newer attempt has started; its result is dropped` };
      return { ...signed, committed: outcome === 'committed' || outcome === 'already' };
    }
    return this.d.handover.pass(req, ran, { next, replyTo, full, move: run.move, bases: this.basesAfter(req, kept), unchecked });
  }

  /** The route's bases once this hub keeps `kept` (or none): this hub's entry replaced, hubs off the route dropped. */
  private basesAfter(req: ExecRequest, kept: HeldBase | undefined): ExecRequest['bases'] {
    if (!req.route) return undefined;
    const others = (req.bases ?? []).filter((b) => b.hub !== this.d.hub && req.route!.includes(b.hub));
    return kept ? [...others, { hub: this.d.hub, id: kept.id, step: kept.step }] : others;
  }

  /**
   * An exec's outcome as it leaves this hub: counted, and logged with its job and fragment.
   * `ran`: a slot ran it (else it was refused first). A hand-over (no reply here) is
   * counted where it is acknowledged (handover.ts).
   */
  private settled(req: ExecRequest, out: HubReply | undefined, ran: boolean): HubReply | undefined {
    if (!out) return out;
    const { metrics, log } = this.d;
    const about = { job: req.job, fragment: req.fragment };
    if (out.kind === 'error') {
      metrics.failed(out.code);
      if (ran) metrics.ran(isProgramTrap(out.code) ? 'trapped' : out.code === 'fenced' ? 'fenced' : 'failed', 0);
      if (isProgramTrap(out.code)) log.info('trapped', { ...about, fragment: out.fragment ?? req.fragment, error: out.message });
      else log.warn('error reply', { ...about, code: out.code, error: out.message });
    } else if (out.kind === 'ran') {
      metrics.ran(out.outcome, out.fragments ?? 0);
      if (out.checkpoint) metrics.checkpoint('sent', out.checkpoint.byteLength);
      log.debug('ran', { ...about, outcome: out.outcome, next: out.fragment, fragments: out.fragments, yields: out.yields, execMs: Math.round(out.execMs) });
    }
    return out;
  }
}

/** True when `b` is the whole of its buffer, so it can be transferred to a slot as is. */
function ownsAll(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength;
}

/** What of `req` a slot reads (SLOT_EXEC_FIELDS), the fields it has. */
function slotFields(req: ExecRequest): Pick<ExecRequest, typeof SLOT_EXEC_FIELDS[number]> {
  const out: Record<string, unknown> = {};
  for (const k of SLOT_EXEC_FIELDS) if (req[k] !== undefined) out[k] = req[k];
  return out as Pick<ExecRequest, typeof SLOT_EXEC_FIELDS[number]>;
}
