/**
 * The seal gate: everything a hub decides about who may hand it state and who gets what
 * it sends. A checkpoint coming in is opened here (sealed to this hub, by the engine or by
 * the hub that handed it over, for this job, attempt, place and sequence) or refused;
 * replays are refused by a per-job-key sequence window; what goes to another hub is sealed
 * to that hub, what goes to the engine is sealed (a state) or signed (a result) for it,
 * and what is stored is sealed to the job's client alone. An `--insecure` hub has no
 * sealing identity (checkpoints pass plain) but still signs its results with a key made at
 * start: an engine takes no unsigned result in any mode.
 *   const gate = new SealGate('a', createIdentity(), log);
 *   const refused = gate.open(req);             // undefined: req.checkpoint is now plain
 *   const out = gate.forEngine(req, ran);       // signed or sealed for the engine
 */
import {
  createIdentity, openAnon, openFrom, sealAnon, sealTo, sealToLater, sign, resultMac, resultStatement, storedContext, bundleContext, SealError, type SealOptions,
  type DeferredSeal, type Identity, type PublicIdentity, type ResultFields, type SealContext,
} from '../net/index.js';
import type { ExecRequest, MoveRequest, RanReply, WireError } from '../protocol/index.js';
import { JobMarks, type JobMarksOptions } from './job-marks.js';
import type { Logger } from './log.js';
import { checkTicket, checkMoveTicket, TICKET_SKEW_MS, type MovedTicket } from './tickets.js';

/** What a sealed checkpoint is bound to: this job key and attempt, place, sequence and ends. */
export function sealContext(req: Pick<ExecRequest, 'job' | 'attempt' | 'bundle'>, fragment: number, seq: number, from: string, to: string): SealContext {
  return { job: req.job, attempt: req.attempt ?? 0, fragment, seq, bundle: req.bundle, from, to };
}

export type { MovedTicket };

export class SealGate {
  /** Per job key, for the job's lifetime: its client, the sequences and engine exec taken, its ticket. */
  readonly marks: JobMarks;
  /** This hub's keys; undefined when --insecure. */
  readonly identity: Identity | undefined;
  /** What signs this hub's results: its identity, or on an --insecure hub one made for that alone. */
  readonly signer: Identity;

  constructor(readonly hub: string, secure: boolean | Identity, private readonly log: Logger, marks: JobMarksOptions = {}) {
    this.identity = secure === true ? createIdentity() : secure === false ? undefined : secure;
    this.signer = this.identity ?? createIdentity();
    this.marks = new JobMarks(marks);
  }

  /**
   * Whether this hub may act on what steers `req` (route, replyTo, progress, from, record):
   * only under a ticket its client signed, naming this hub, with replies going to the
   * engine's own inboxes; an engine exec only once per job key, and only fresh. `reply`:
   * the request's own reply subject. Returns the refusal (`ticket-*`, `busy`), or undefined.
   */
  admit(req: ExecRequest, reply: string | undefined): WireError | undefined {
    const refused = checkTicket(this.hub, this.identity, this.marks, req, reply);
    if (refused) this.log.warn('refused an exec', { job: req.job, fragment: req.fragment, code: refused.code, error: refused.message });
    return refused;
  }

  /**
   * A move asked of job key `m.job`: allowed only with a new ticket signed by the job's
   * client that names `m.to` in its route. Returns the ticket the hand-over goes under, or
   * the refusal.
   */
  admitMove(m: MoveRequest): MovedTicket | WireError {
    const r = checkMoveTicket(this.hub, this.marks, m);
    if ('code' in r) this.log.warn('refused a move', { job: m.job, to: m.to, code: r.code, error: r.message });
    return r;
  }

  /** A move was taken: `job`'s hand-over goes under its new ticket. */
  moved(job: string, m: MovedTicket): void {
    const mark = this.marks.get(job);
    if (mark) { mark.ticket = m.ticket; mark.sig = m.sig; }
  }

  /**
   * The newest ticket `job` runs under here, and its signature (none when it came MACed:
   * a move's always is signed); undefined when it came without a ticket.
   */
  ticketOf(job: string): { ticket: MovedTicket['ticket']; sig?: Uint8Array } | undefined {
    const mark = this.marks.get(job);
    return mark?.ticket ? { ticket: mark.ticket, ...(mark.sig ? { sig: mark.sig } : {}) } : undefined;
  }

  /**
   * An engine's own exec of `req.job` ended here, done. Its marks are kept an hour after
   * their last use so that nothing the job sent can be replayed into it; but a job that
   * ran here start to finish, taking no sealed state, left one thing a peer could replay,
   * its engine exec, and a hub refuses that as stale once TICKET_SKEW_MS have passed since
   * it was issued. Its marks go then (a minute later, for the prune), and meanwhile keep
   * only what refuses a replay, counted apart from the live jobs' (JobMarks.expire): a hub
   * running tiny jobs held one per job for an hour, and at its 100,000 keys refused every
   * new job ('busy') after a few minutes of them.
   */
  finished(req: ExecRequest): void {
    const m = this.marks.get(req.job);
    if (!m?.engineExec || m.seq !== -1 || req.from !== undefined || req.replyTo !== undefined || req.issued === undefined) return;
    this.marks.expire(req.job, req.issued + TICKET_SKEW_MS + 60_000);
  }

  /** The result-signing key adverts carry (every hub has one). */
  get signKey(): Uint8Array {
    return this.signer.public.sign;
  }

  /** The keys adverts carry; undefined on an insecure hub. */
  get publicKeys(): PublicIdentity | undefined {
    return this.identity?.public;
  }

  /**
   * Open a sealed checkpoint (req.checkpoint becomes the plain bytes: written over the
   * sealed ones when `consume`, as they are this hub's alone; else a new buffer). On a
   * secure hub a checkpoint that passes was authenticated (the slot need not check its
   * CRC again): `opened(req)`. Returns the refusal when it must not be used: plain when this hub takes only
   * sealed ones, sealed for another job, attempt, place or peer, altered, a sequence
   * already taken (a replay), or a job key another client's. The first sealed exec of a
   * job key pins its client's key.
   */
  open(req: ExecRequest, consume = false): WireError | undefined {
    if (!this.identity || !req.checkpoint) return undefined;
    const refuse = (code: string, message: string): WireError => {
      this.log.warn('refused a checkpoint', { job: req.job, fragment: req.fragment, code, error: message });
      return { code: `seal-${code}`, message };
    };
    if (!req.sealed) return refuse('unsealed', `hub ${this.hub} takes only sealed checkpoints (an --insecure hub takes plain ones)`);
    const from = req.from ?? 'engine';
    const sender = req.from ? req.keys?.[req.from] : req.client?.seal;
    if (!sender || !req.client) return refuse('no-key', `job ${req.job}: the request names no key for ${from}`);
    const seq = req.handovers ?? 0;
    const client = Buffer.from(req.client.seal).toString('hex');
    const seen = this.marks.get(req.job);
    if (seen?.clientSeal && seen.clientSeal !== client) return refuse('no-key', `job ${req.job} belongs to another client`);
    if (seen && seq <= seen.seq) return refuse('replayed', `job ${req.job}: checkpoint sequence ${seq} was already taken (last ${seen.seq})`);
    try {
      req.checkpoint = openFrom(this.identity, sender, sealContext(req, req.fragment, seq, from, this.hub), req.checkpoint, consume);
    } catch (e) {
      if (e instanceof SealError) return refuse(e.code, e.message);
      throw e;
    }
    const mark = this.marks.take(req.job);
    if (!mark) return { code: 'busy', message: `hub ${this.hub} holds the replay marks of too many jobs; try another hub` };
    req.sealed = false;
    mark.seq = seq;
    mark.clientSeal = client;
    return undefined;
  }

  /** True when `req`'s checkpoint passed `open` authenticated (a secure hub takes no other). */
  opened(req: ExecRequest): boolean {
    return !!this.identity && !!req.checkpoint;
  }

  /**
   * The checkpoint sealed to hub `to` (key `peer`), with `opts.headroom` free bytes before
   * it for framing; `opts.consume`: sealed over the checkpoint's own bytes (SealOptions).
   * Enciphered as it is written (DeferredSeal: send-in-place.ts runs `upTo` piece by
   * piece); nothing may read the frame before `upTo(frame.byteLength)`. This hub must
   * have a sealing identity.
   */
  sealForHub(req: ExecRequest, checkpoint: Uint8Array, fragment: number, seq: number, to: string, peer: Uint8Array, opts: SealOptions): DeferredSeal {
    if (!this.identity) throw new SealError('no-key', `hub ${this.hub} is --insecure: it seals nothing`);
    return sealToLater(this.identity, peer, sealContext(req, fragment, seq, this.hub, to), checkpoint, opts);
  }

  /**
   * An outcome for the engine, from this hub: a result signed (the engine takes it only
   * with a valid signature of a hub it assigned), a checkpoint sealed to the engine.
   */
  forEngine(req: ExecRequest, r: RanReply, extra: Partial<RanReply> = {}): RanReply {
    const out: RanReply = { ...r, ...extra, hub: this.hub };
    if (out.outcome === 'done') {
      const seq = out.handovers ?? req.handovers ?? 0;
      const fields = { job: req.job, attempt: req.attempt ?? 0, seq, hub: this.hub, result: out.result ?? new Uint8Array(0), output: out.output, yields: out.yields };
      // Only the client checks a result that no record keeps: a MAC for it alone does.
      const mac = this.identity && req.client && req.record === undefined ? this.macFor(req.client.seal, fields) : undefined;
      if (mac) out.mac = mac;
      else out.sig = sign(this.signer, resultStatement(fields));
    } else if (this.identity && out.checkpoint && req.client) {
      out.checkpoint = sealTo(this.identity, req.client.seal, sealContext(req, out.fragment, out.handovers ?? 0, this.hub, 'engine'), out.checkpoint);
      out.sealed = true;
    }
    return out;
  }

  /** The result's MAC for the client with sealing key `clientSeal`; undefined (sign instead) when that is no usable key. */
  private macFor(clientSeal: Uint8Array, fields: ResultFields): Uint8Array | undefined {
    try {
      return resultMac(this.identity!, clientSeal, fields);
    } catch {
      return undefined;
    }
  }

  /** A checkpoint to store, sealed to the job's client alone: whichever hub stored it, the client opens it. */
  sealStored(req: ExecRequest, bytes: Uint8Array): Uint8Array {
    return this.identity && req.client ? sealAnon(req.client.seal, storedContext(req.job, req.attempt ?? 0, req.bundle), bytes) : bytes;
  }

  /** A bundle a client sent, opened when it was sealed to this hub. Throws SealError. */
  openBundle(hash: string, bytes: Uint8Array, sealed: boolean): Uint8Array {
    return sealed && this.identity ? openAnon(this.identity, bundleContext(hash, this.hub), bytes) : bytes;
  }
}
