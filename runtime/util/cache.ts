/**
 * Bounded maps: every cache the runtime keeps (bundles, bases, derived keys, fences) is an
 * `lru-cache` with a bound, so a peer sending many ids cannot grow one without end. The
 * least recently used entry goes first.
 *   const bundles = boundedMap<string, Uint8Array>(64);
 *   bundles.set(hash, bytes); bundles.get(hash);
 */
import { LRUCache } from 'lru-cache';

/** An LRU map of at most `max` entries (`max` >= 1). */
export function boundedMap<K extends {}, V extends {}>(max: number): LRUCache<K, V> {
  return new LRUCache<K, V>({ max });
}
