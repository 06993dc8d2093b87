/**
 * Results for the job's client alone. A job with a record gets its result signed
 * (Ed25519), since others check it later (an attach, `weave jobs`); a job without one is
 * checked by its engine only, and there a MAC does the signature's work for far less: an
 * HMAC-SHA256 over the same statement (resultStatement: job key, attempt, hand-over
 * sequence, hub, digests of result and output, yields), keyed by what only that hub and
 * that client can derive from their X25519 sealing keys (seal.ts derives it, as it does
 * the sealing keys, and caches it per pair). Nobody else on the bus can make
 * one, another hub of the route included (its key differs), and the client cannot be
 * fooled by a result moved to another job, attempt, place or hub. On this machine a
 * signature and its check take about 62 and 160 µs of each tiny fragment's critical
 * path; making or checking the MAC 10-17 µs (the statement's digests included), once the
 * pair's key is derived (once per client and hub).
 *   const mac = resultMac(hub, client.public.seal, fields);          // on the hub
 *   checkResultMac(client, hub.public.seal, fields, mac) === true;   // in the engine
 */
import { hmac, macMatches } from './hmac.js';
import { resultStatement, type Identity, type ResultFields } from './identity.js';
import { resultMacKey } from './seal.js';

/** The hub's MAC of result `r` for the client whose sealing key is `clientSeal`. Throws TransportError on a bad key. */
export function resultMac(hub: Identity, clientSeal: Uint8Array, r: ResultFields): Uint8Array {
  return hmac(resultMacKey(hub, clientSeal, hub.public.seal, clientSeal), resultStatement(r));
}

/** True when `m` is the MAC of `r` by the hub whose sealing key is `hubSeal`, for `client`; false for anything else. */
export function checkResultMac(client: Identity, hubSeal: Uint8Array, r: ResultFields, m: Uint8Array | undefined): boolean {
  return macMatches(m, () => hmac(resultMacKey(client, hubSeal, hubSeal, client.public.seal), resultStatement(r)));
}
