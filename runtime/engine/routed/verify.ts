/**
 * What the engine accepts from the hub that ends an attempt: a result signed by a hub the
 * attempt was given to (with that hub's advertised key), a state sealed by one; anything
 * else is discarded as `bad-signature` and the step re-run elsewhere. The one place the
 * engine's trust in hubs' outcomes is decided.
 *   const ran = acceptOutcome(reply, { key, attempt, me, hubKeys, holder, bundle, entry, fragment });
 */
import { FragmentTrap } from '../../exec/index.js';
import { HubError, type HubReply, type RanReply } from '../../protocol/index.js';
import { openFrom, resultStatement, verify, type Identity, type PublicIdentity, type SealContext } from '../../net/index.js';

export interface AttemptKeys {
  /** The exec job key and attempt. */
  key: string;
  attempt: number;
  /** This engine's identity (states come back sealed to it). */
  me: Identity;
  /** The keys of the hubs this attempt was given to, as they advertised them. */
  hubKeys: ReadonlyMap<string, PublicIdentity>;
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
    if (reply.code === 'trap') throw FragmentTrap.fromWire({ message: reply.message, fragment: reply.fragment ?? k.fragment, entry: reply.entry ?? k.entry });
    throw HubError.fromWire(reply, k.holder);
  }
  if (reply.kind !== 'ran') throw new HubError('bad-reply', `hub ${k.holder} sent '${reply.kind}' to an exec request`, k.holder);
  const from = reply.hub ?? k.holder;
  const keysOf = k.hubKeys.get(from);
  if (keysOf && reply.outcome === 'done') {
    const statement = resultStatement({ job: k.key, attempt: k.attempt, hub: from, result: reply.result ?? new Uint8Array(0), output: reply.output, yields: reply.yields });
    if (!reply.sig || !verify(keysOf.sign, statement, reply.sig)) throw new HubError('bad-signature', `a result for ${k.key} from ${from} is not signed by that hub; discarded`, from);
  } else if (keysOf && reply.checkpoint) {
    if (!reply.sealed) throw new HubError('bad-signature', `hub ${from} sent ${k.key}'s state unsealed; discarded`, from);
    try {
      reply.checkpoint = openFrom(k.me, keysOf.seal, attemptContext(k, reply.fragment, reply.handovers ?? 0, from, 'engine'), reply.checkpoint);
    } catch (e) {
      throw new HubError('bad-signature', `hub ${from} sent a sealed state that does not open: ${(e as Error).message}`, from);
    }
  } else if (!keysOf && (reply.sig || reply.sealed)) {
    throw new HubError('bad-signature', `an outcome for ${k.key} from ${from}, a hub this attempt was not given to; discarded`, from);
  }
  return reply;
}
