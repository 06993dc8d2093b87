/**
 * HMAC-SHA256 as weave's MACs use it, results (result-mac.ts) and tickets (ticket-mac.ts)
 * alike: making one, and checking one in constant time.
 *   const m = hmac(key, statement);
 *   macMatches(m, () => hmac(keyOfPeer(), statement)) === true;
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 32;

/** The HMAC-SHA256 of `statement` under `key`. */
export function hmac(key: Buffer, statement: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(statement).digest());
}

/**
 * True when `m` is the MAC `want` makes; false for one of another length, or when `want`
 * throws (a peer key that is no key: seal.ts derives it, and says so by throwing).
 */
export function macMatches(m: Uint8Array | undefined, want: () => Uint8Array): boolean {
  if (!m || m.byteLength !== MAC_BYTES) return false;
  let w: Uint8Array;
  try {
    w = want();
  } catch {
    return false;
  }
  return timingSafeEqual(w, m);
}
