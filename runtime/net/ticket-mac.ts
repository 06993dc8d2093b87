/**
 * Tickets by MAC. An engine's ticket (identity.ts ticketStatement) tells each hub of the
 * job's route what it may act on; signed with Ed25519, it cost the engine about 60 µs to
 * sign and each hub about 150 µs to check, on the critical path of every job: a sixth to
 * a quarter of a tiny job's fixed cost (bench/dispatch.ts medians, with both and without
 * either, three runs alternated: 1911/1583, 2126/1632, 1618/1370 µs a job). Where every
 * hub of the route has a sealing key, the engine sends
 * instead one HMAC-SHA256 of the same statement per hub, keyed by what only that hub and
 * the client derive from their X25519 sealing keys (seal.ts ticketMacKey, cached per
 * pair): no other peer can make one, the route's other hubs included.
 *
 * A MAC proves the client's *sealing* key; what a hub pins a job to is the client's
 * *signing* key. So the exec also carries the client's binding, its Ed25519 signature
 * over its sealing key, checked once per client and remembered: without it, a peer could
 * name another client's signing key beside its own sealing key and MAC a ticket in that
 * client's name. A hub without a sealing key (--insecure) checks only signatures.
 *   const macs = ticketMacs(engine, ticket);                 // undefined: a hub has no key, sign
 *   const bind = clientBinding(engine);
 *   checkClientBinding(client, bind) && checkTicketMac(hub, client.seal, ticketStatement(ticket), macs.a);
 */
import { boundedMap, hex } from '../util/index.js';
import { hmac, macMatches } from './hmac.js';
import { sign, ticketStatement, verify, type ExecTicket, type Identity, type PublicIdentity } from './identity.js';
import { ticketMacKey } from './seal.js';

/**
 * The longest route whose tickets are MACed: the engine makes one MAC per hub of the route
 * (5-9 µs each here, against 50-75 µs for a signature) and a route lists every hub that
 * fits the job; a longer one is signed, which costs the same for any length.
 */
export const MAX_MAC_ROUTE = 16;

/**
 * The engine's MAC of ticket `t` for each hub of its route, under the sealing keys the
 * ticket names (`t.keys`); undefined when a hub of the route has none (an --insecure hub)
 * or the route is longer than MAX_MAC_ROUTE: such a ticket is signed. Throws
 * TransportError on a bad key.
 */
export function ticketMacs(client: Identity, t: ExecTicket): Record<string, Uint8Array> | undefined {
  if (!t.route.length || t.route.length > MAX_MAC_ROUTE || t.route.some((hub) => !t.keys[hub])) return undefined;
  const statement = ticketStatement(t);
  const out: Record<string, Uint8Array> = {};
  for (const hub of t.route) out[hub] = hmac(ticketMacKey(client, t.keys[hub], client.public.seal, t.keys[hub]), statement);
  return out;
}

/** True when `m` is the MAC of the ticket whose statement is `statement`, from the client with sealing key `clientSeal`, for `hub`; false for anything else. */
export function checkTicketMac(hub: Identity, clientSeal: Uint8Array, statement: Uint8Array, m: Uint8Array | undefined): boolean {
  return macMatches(m, () => hmac(ticketMacKey(hub, clientSeal, clientSeal, hub.public.seal), statement));
}

/** What a client signs to say its sealing key is its own. */
function bindingStatement(seal: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from('weave-client-seal-v1\0'), seal]);
}

const bindings = new WeakMap<Identity, Uint8Array>();

/** The client's signature over its own sealing key (made once per identity). */
export function clientBinding(client: Identity): Uint8Array {
  let b = bindings.get(client);
  if (!b) {
    b = sign(client, bindingStatement(client.public.seal));
    bindings.set(client, b);
  }
  return b;
}

/**
 * Clients whose binding checked, by signing and sealing key: a mesh has few clients, and
 * the bound keeps a flood of made-up pairs from growing it (an evicted one is checked again).
 */
const bound = boundedMap<string, true>(1024);

/** True when `bind` is `client.sign`'s signature over `client.seal`. */
export function checkClientBinding(client: PublicIdentity, bind: Uint8Array | undefined): boolean {
  const id = hex(client.sign) + hex(client.seal);
  if (bound.get(id)) return true;
  if (!bind || !verify(client.sign, bindingStatement(client.seal), bind)) return false;
  bound.set(id, true);
  return true;
}
