/**
 * What the engine accepts from the hub that ends an attempt: a result signed by a hub the
 * attempt was given to (with that hub's advertised key, pinned while it lives), or MAC'd
 * by it for this client (a job without a record: runtime/net/result-mac.ts), over the
 * job key, attempt, hand-over sequence, result and output; a state sealed by such a hub
 * (or plain from an --insecure one). Anything else, an unsigned result in any mode
 * included, is discarded as `bad-signature` and the step re-run elsewhere. The one place
 * the engine's trust in hubs' outcomes is decided.
 *   const ran = acceptOutcome(reply, { key, attempt, me, hubKeys, holder, bundle, entry, fragment });
 */
import { FragmentTrap } from '../../exec/index.js';
import { HubError, isProgramTrap, type HubReply, type RanReply } from '../../protocol/index.js';
import { checkResultMac, openFrom, verifyResult, type HubKeys, type Identity, type JobRecord, type SealContext } from '../../net/index.js';

export interface AttemptKeys {
  /** The exec job key and attempt. */
  key: string;
  attempt: number;
  /** This engine's identity (states come back sealed to it). */
  me: Identity;
  /** The keys of the hubs this attempt was given to, as they advertised them. */
  hubKeys: ReadonlyMap<string, HubKeys>;
  /** The hub believed to hold the attempt (a reply without `hub` is its). */
  holder: string;
  bundle: string;
  entry: string;
  /** The fragment the attempt started in (a trap without one is there). */
  fragment: number;
}

/** What a sealed checkpoint of this attempt is bound to. */
export function attemptContext(k: Pick<AttemptKeys, 'key' | 'attempt' | 'bundle'>, fragment: number, seq: number, from: string, to: string): SealContext {
  return { job: k.key, attempt: k.attempt, fragment, seq, bundle: k.bundle, from, to };
}

/**
 * The `ran` reply, verified, its checkpoint opened in place. Throws FragmentTrap for a
 * trap, HubError for any other error reply, a reply of another kind (`bad-reply`), or an
 * outcome not signed or sealed by a hub of the attempt (`bad-signature`).
 */
export function acceptOutcome(reply: HubReply, k: AttemptKeys): RanReply {
  if (reply.kind === 'error') {
    if (isProgramTrap(reply.code)) throw FragmentTrap.fromWire({ message: reply.message, fragment: reply.fragment ?? k.fragment, entry: reply.entry ?? k.entry });
    throw HubError.fromWire(reply, k.holder);
  }
  if (reply.kind !== 'ran') throw new HubError('bad-reply', `hub ${k.holder} sent '${reply.kind}' to an exec request`, k.holder);
  const from = reply.hub ?? k.holder;
  const keysOf = k.hubKeys.get(from);
  // Whoever answers first on the reply subject is not thereby a hub of the attempt.
  if (!keysOf) throw new HubError('bad-signature', `an outcome for ${k.key} from ${from}, a hub this attempt was not given to; discarded`, from);
  if (reply.outcome === 'done') {
    const fields = { job: k.key, attempt: k.attempt, seq: reply.handovers ?? 0, hub: from, result: reply.result ?? new Uint8Array(0), output: reply.output, yields: reply.yields };
    // A MAC only from a hub with a sealing key (what it is keyed by); else the signature.
    const signed = reply.mac !== undefined
      ? !!keysOf.seal && checkResultMac(k.me, keysOf.seal, fields, reply.mac)
      : verifyResult(keysOf.sign, fields, reply.sig);
    if (!signed) throw new HubError('bad-signature', `a result for ${k.key} from ${from} is not signed (or MAC'd) by that hub; discarded`, from);
  } else if (reply.checkpoint && (keysOf.seal || reply.sealed)) {
    if (!reply.sealed || !keysOf.seal) throw new HubError('bad-signature', `hub ${from} sent ${k.key}'s state ${reply.sealed ? 'sealed without a sealing key' : 'unsealed'}; discarded`, from);
    try {
      reply.checkpoint = openFrom(k.me, keysOf.seal, attemptContext(k, reply.fragment, reply.handovers ?? 0, from, 'engine'), reply.checkpoint);
    } catch (e) {
      throw new HubError('bad-signature', `hub ${from} sent a sealed state that does not open: ${(e as Error).message}`, from);
    }
  }
  return reply;
}

/**
 * A done job record's result, checked: it carries the signature of the hub that committed
 * it, over job key, attempt, hand-over sequence, result and `output` (the job's output,
 * inline or from the object store), with that hub's key: the key the hub advertises now
 * (`live`) when it does (a record naming another key is refused), else the key recorded
 * beside the signature. Throws HubError `bad-signature`.
 */
export function checkCommitted(rec: JobRecord, output: Uint8Array, live: (hub: string) => Uint8Array | undefined): void {
  const c = rec.committed;
  const refuse = (why: string) => new HubError('bad-signature', `job ${rec.job}: the result in its record ${why}; not delivered`, c?.hub);
  if (!c || !c.sig || !c.signer) throw refuse('is not signed by the hub that committed it');
  const now = live(c.hub);
  if (now && !Buffer.from(now).equals(Buffer.from(c.signer))) throw refuse(`names a key for hub ${c.hub} other than the one it advertises`);
  const fields = { job: `${rec.job}.${c.attempt}`, attempt: c.attempt, seq: c.seq ?? 0, hub: c.hub, result: rec.result ?? new Uint8Array(0), output: output.byteLength ? output : undefined, yields: c.yields };
  if (!verifyResult(c.signer, fields, c.sig)) throw refuse(`does not match its signature by hub ${c.hub}`);
}
