/**
 * The generator's only source of choice: a seeded PRNG (mulberry32), so a seed names
 * one program on every machine and every run.
 *   const r = new Rng(42);
 *   r.int(1, 6); r.pick(['a', 'b']); r.chance(0.25); r.weighted({ for: 3, while: 1 });
 */
import { GenError } from './errors.js';

export class Rng {
  private state: number;

  constructor(seed: number) {
    // Seeds next to each other (1, 2, 3…) should not start correlated streams.
    this.state = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** 32 random bits as a signed integer. */
  bits32(): number {
    return (this.next() * 4294967296) | 0;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new GenError('Rng.pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** A key of `weights`, each chosen in proportion to its weight (zero: never). */
  weighted<K extends string>(weights: Partial<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((s, [, w]) => s + w, 0);
    if (!(total > 0)) throw new GenError(`Rng.weighted: no choice has a weight (${entries.map(([k]) => k).join(', ')})`);
    let x = this.next() * total;
    for (const [k, w] of entries) {
      if ((x -= w) < 0) return k;
    }
    // Rounding can leave x a hair above the last weight: take the last choice that has one.
    return entries.filter(([, w]) => w > 0).at(-1)![0];
  }
}
