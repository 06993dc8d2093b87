/**
 * A table keyed by job that a flood cannot push a live entry out of: unlike an LRU, an
 * entry is forgotten only `retainMs` after its last use, and when the table is full new
 * keys are refused (undefined) instead. Replay marks and fences both rest on remembering
 * a key while a peer could still use it against the job, so both keep theirs here.
 *   const t = new RetainedTable<number>({ retainMs: 3_600_000, maxKeys: 100_000 });
 *   const e = t.take('j', () => 0);   // undefined: full; refuse
 */

export interface RetainedTableOptions {
  /** Forget a key this long after its last use. @default 1 h */
  retainMs?: number;
  /** Keys held at most (besides expiring ones); beyond, new keys are refused. @default 100000 */
  maxKeys?: number;
  /** Keys given a time to go (`expire`) held at most, apart from maxKeys; beyond, new keys are refused. @default 10 x maxKeys */
  maxExpiring?: number;
}

export const DEFAULT_RETAIN_MS = 3_600_000;
export const DEFAULT_MAX_RETAINED_KEYS = 100_000;

export class RetainedTable<V> {
  /** `until`: forget at that time instead of `retainMs` after the last use (`expire`). */
  private readonly entries = new Map<string, { value: V; at: number; until?: number }>();
  private readonly retainMs: number;
  private readonly maxKeys: number;
  private readonly maxExpiring: number;
  /** Entries with an `until`: they count against maxExpiring, not maxKeys. */
  private expiring = 0;
  private nextPrune = 0;

  constructor(opts: RetainedTableOptions = {}) {
    this.retainMs = opts.retainMs ?? DEFAULT_RETAIN_MS;
    this.maxKeys = opts.maxKeys ?? DEFAULT_MAX_RETAINED_KEYS;
    this.maxExpiring = opts.maxExpiring ?? 10 * this.maxKeys;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value of `key`, without making or touching it. */
  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** The value of `key`, made by `make` when new (touched either way); undefined when the table is full. */
  take(key: string, make: () => V, now = Date.now()): V | undefined {
    let e = this.entries.get(key);
    if (!e) {
      this.prune(now);
      if (this.entries.size - this.expiring >= this.maxKeys || this.expiring >= this.maxExpiring) return undefined;
      e = { value: make(), at: now };
      this.entries.set(key, e);
    }
    e.at = now;
    return e.value;
  }

  /** Set `key` to `value` (touched); false when it is new and the table is full. */
  set(key: string, value: V, now = Date.now()): boolean {
    const e = this.entries.get(key);
    if (e) {
      e.value = value;
      e.at = now;
      return true;
    }
    return this.take(key, () => value, now) !== undefined;
  }

  /**
   * Forget `key` at `at` (epoch ms) however it is used until then, or at its usual time if
   * that is sooner: for a key nothing can be done with after a known time. Until then it
   * counts against maxExpiring, not maxKeys: keys that go soon and hold little must not
   * crowd out live ones.
   */
  expire(key: string, at: number): void {
    const e = this.entries.get(key);
    if (!e) return;
    if (e.until === undefined) this.expiring++;
    e.until = at;
  }

  /** Forget keys unused for `retainMs`, or past their `until`: at most once a second; Map order is insertion, not use, so all are looked at. */
  private prune(now: number): void {
    if (now < this.nextPrune) return;
    this.nextPrune = now + 1000;
    for (const [k, e] of this.entries) {
      if (now - e.at <= this.retainMs && (e.until === undefined || now <= e.until)) continue;
      this.entries.delete(k);
      if (e.until !== undefined) this.expiring--;
    }
  }
}
