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
  createIdentity, openAnon, openFrom, sealAnon, sealTo, sign, resultStatement, storedContext, bundleContext, SealError,
  type Identity, type PublicIdentity, type SealContext,
} from '../net/index.js';
import type { ExecRequest, RanReply, WireError } from '../protocol/index.js';
import { boundedMap } from '../util/index.js';
import type { Logger } from './log.js';

/** Job keys whose last taken sequence is remembered; the oldest are forgotten. */
const MAX_SEQS = 4096;

/** What a sealed checkpoint is bound to: this job key and attempt, place, sequence and ends. */
export function sealContext(req: Pick<ExecRequest, 'job' | 'attempt' | 'bundle'>, fragment: number, seq: number, from: string, to: string): SealContext {
  return { job: req.job, attempt: req.attempt ?? 0, fragment, seq, bundle: req.bundle, from, to };
}

export class SealGate {
  /** Per job key: the highest sequence of a sealed checkpoint taken, and its client's key. */
  private readonly seqs = boundedMap<string, { seq: number; client: string }>(MAX_SEQS);
  /** This hub's keys; undefined when --insecure. */
  readonly identity: Identity | undefined;
  /** What signs this hub's results: its identity, or on an --insecure hub one made for that alone. */
  readonly signer: Identity;

  constructor(readonly hub: string, secure: boolean | Identity, private readonly log: Logger) {
    this.identity = secure === true ? createIdentity() : secure === false ? undefined : secure;
    this.signer = this.identity ?? createIdentity();
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
   * Open a sealed checkpoint in place (req.checkpoint becomes the plain bytes). On a
   * secure hub a checkpoint that passes was authenticated (the slot need not check its
   * CRC again): `opened(req)`. Returns the refusal when it must not be used: plain when this hub takes only
   * sealed ones, sealed for another job, attempt, place or peer, altered, a sequence
   * already taken (a replay), or a job key another client's. The first sealed exec of a
   * job key pins its client's key.
   */
  open(req: ExecRequest): WireError | undefined {
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
    const seen = this.seqs.get(req.job);
    if (seen && seen.client !== client) return refuse('no-key', `job ${req.job} belongs to another client`);
    if (seen && seq <= seen.seq) return refuse('replayed', `job ${req.job}: checkpoint sequence ${seq} was already taken (last ${seen.seq})`);
    try {
      req.checkpoint = openFrom(this.identity, sender, sealContext(req, req.fragment, seq, from, this.hub), req.checkpoint);
    } catch (e) {
      if (e instanceof SealError) return refuse(e.code, e.message);
      throw e;
    }
    req.sealed = false;
    this.seqs.set(req.job, { seq, client });
    return undefined;
  }

  /** True when `req`'s checkpoint passed `open` authenticated (a secure hub takes no other). */
  opened(req: ExecRequest): boolean {
    return !!this.identity && !!req.checkpoint;
  }

  /** The checkpoint sealed to hub `to` (key `peer`), with `headroom` free bytes before it for framing. */
  sealForHub(req: ExecRequest, checkpoint: Uint8Array, fragment: number, seq: number, to: string, peer: Uint8Array, headroom: number): Uint8Array {
    if (!this.identity) return checkpoint;
    return sealTo(this.identity, peer, sealContext(req, fragment, seq, this.hub, to), checkpoint, headroom);
  }

  /**
   * An outcome for the engine, from this hub: a result signed (the engine takes it only
   * with a valid signature of a hub it assigned), a checkpoint sealed to the engine.
   */
  forEngine(req: ExecRequest, r: RanReply, extra: Partial<RanReply> = {}): RanReply {
    const out: RanReply = { ...r, ...extra, hub: this.hub };
    if (out.outcome === 'done') {
      const seq = out.handovers ?? req.handovers ?? 0;
      out.sig = sign(this.signer, resultStatement({ job: req.job, attempt: req.attempt ?? 0, seq, hub: this.hub, result: out.result ?? new Uint8Array(0), output: out.output, yields: out.yields }));
    } else if (this.identity && out.checkpoint && req.client) {
      out.checkpoint = sealTo(this.identity, req.client.seal, sealContext(req, out.fragment, out.handovers ?? 0, this.hub, 'engine'), out.checkpoint);
      out.sealed = true;
    }
    return out;
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
