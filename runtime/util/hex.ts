/**
 * A byte view's hex, of exactly its bytes (not its whole buffer): the key form of the
 * maps that cache per-peer work (derived keys, bound clients, replay marks).
 *   hex(key.subarray(0, 4)) === 'a1b2c3d4';
 */
export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
