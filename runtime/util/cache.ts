/**
 * Bounded maps: every cache the runtime keeps (bundles, bases, derived keys, slots of
 * jobs) has a bound, so a peer sending many ids cannot grow one without end. The least
 * recently used entry goes first.
 *   const bundles = boundedMap<string, Uint8Array>(64);
 *   bundles.set(hash, bytes); bundles.get(hash);
 *
 * Our own, on a Map (which keeps insertion order: a use moves an entry to the end), not
 * `lru-cache`: that one clears by filling its `max`-long key and value arrays whenever its
 * last entry goes, and a hub's table of job slots (4,096) empties after every job that
 * runs alone: 15.5 µs per set and delete of the only entry there, 0.25 µs here (a loop
 * of 200,000 of each, on this project's 2-core machine).
 */

/** An LRU map of at most `max` entries. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly max: number) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`a bounded map holds at least 1 entry, not ${max}`);
  }

  get size(): number {
    return this.map.size;
  }

  /** The value, made the most recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Whether `key` is held; its recency is left as it is. */
  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Set (as the most recently used); the least recently used goes when full. */
  set(key: K, value: V): this {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Remove the least recently used entry; its value. */
  pop(): V | undefined {
    const first = this.map.entries().next();
    if (first.done) return undefined;
    this.map.delete(first.value[0]);
    return first.value[1];
  }

  /** Values, least recently used first. */
  values(): IterableIterator<V> {
    return this.map.values();
  }
}

/** An LRU map of at most `max` entries (`max` >= 1). */
export function boundedMap<K, V>(max: number): BoundedMap<K, V> {
  return new BoundedMap<K, V>(max);
}
