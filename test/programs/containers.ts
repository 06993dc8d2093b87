// Generic containers as a small collections library would write them: an interface, an
// abstract generic base class with shared methods, a stack, a ring-buffer queue and a
// binary min-heap extending it, and an ordered map (sorted keys, binary search). They are
// instantiated at i32, i64, f64, string and a class with an overloaded `<`, and used
// through base-class references so calls dispatch virtually. A module-level registry of
// collections, filled by top-level code, is shared by the exports that read it.
// test/all-exports.test.ts runs every export (test/programs/exports.json).
//   npx weave build test/programs/containers.ts && npx weave run build/containers.wasm 300 3 --entry heapSort

interface Sized {
  size(): i32;
}

abstract class Collection<T> implements Sized {
  protected items: Array<T> = new Array<T>();

  abstract add(x: T): void;
  abstract take(): T;

  size(): i32 { return this.items.length; }
  isEmpty(): bool { return this.items.length == 0; }

  addAll(xs: Array<T>): this {
    for (let i = 0; i < xs.length; i++) this.add(xs[i]);
    return this;
  }

  /** Takes every element in the collection's own order. */
  drain(): Array<T> {
    const out = new Array<T>();
    while (!this.isEmpty()) out.push(this.take());
    return out;
  }
}

class Stack<T> extends Collection<T> {
  add(x: T): void { this.items.push(x); }
  take(): T {
    if (this.items.length == 0) throw new Error("take from an empty stack");
    return this.items.pop();
  }
  peek(): T { return this.items[this.items.length - 1]; }
}

/** A ring buffer that doubles when full; `items` holds the slots, `head` the oldest. */
class Queue<T> extends Collection<T> {
  private head: i32 = 0;
  private count: i32 = 0;

  constructor() {
    super();
    this.items = new Array<T>(4);
  }

  size(): i32 { return this.count; }
  isEmpty(): bool { return this.count == 0; }

  add(x: T): void {
    const cap = this.items.length;
    if (this.count == cap) {
      const bigger = new Array<T>(cap * 2);
      for (let i = 0; i < this.count; i++) bigger[i] = this.items[(this.head + i) % cap];
      this.items = bigger;
      this.head = 0;
    }
    this.items[(this.head + this.count) % this.items.length] = x;
    this.count++;
  }

  take(): T {
    if (this.count == 0) throw new Error("take from an empty queue");
    const x = this.items[this.head];
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return x;
  }
}

/** A binary min-heap ordered by T's `<` (numbers, strings, or a class overloading it). */
class MinHeap<T> extends Collection<T> {
  add(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!(a[i] < a[p])) break;
      const t = a[i]; a[i] = a[p]; a[p] = t;
      i = p;
    }
  }

  take(): T {
    const a = this.items;
    if (a.length == 0) throw new Error("take from an empty heap");
    const top = a[0];
    const last = a.pop();
    const n = a.length;
    if (n > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && a[l] < a[m]) m = l;
        if (r < n && a[r] < a[m]) m = r;
        if (m == i) break;
        const t = a[i]; a[i] = a[m]; a[m] = t;
        i = m;
      }
    }
    return top;
  }
}

/** Keys kept sorted; lookups by binary search. */
class OrderedMap<K, V> implements Sized {
  private keys: Array<K> = new Array<K>();
  private vals: Array<V> = new Array<V>();

  size(): i32 { return this.keys.length; }

  /** Index of `k`, or -(insertion point) - 1. */
  private find(k: K): i32 {
    let lo = 0, hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.keys[mid];
      if (m < k) lo = mid + 1;
      else if (k < m) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  set(k: K, v: V): void {
    const i = this.find(k);
    if (i >= 0) { this.vals[i] = v; return; }
    const at = -i - 1;
    this.keys.push(k);
    this.vals.push(v);
    // Shift the new entry down into place, as an insertion sort would.
    for (let j = this.keys.length - 1; j > at; j--) {
      this.keys[j] = this.keys[j - 1];
      this.vals[j] = this.vals[j - 1];
    }
    this.keys[at] = k;
    this.vals[at] = v;
  }

  get(k: K, otherwise: V): V {
    const i = this.find(k);
    return i >= 0 ? this.vals[i] : otherwise;
  }

  /** Calls `visit` on the values whose keys are in [lo, hi], in key order; returns how many. */
  forRange(lo: K, hi: K, visit: (v: V) => void): i32 {
    let i = this.find(lo);
    if (i < 0) i = -i - 1;
    let n = 0;
    for (; i < this.keys.length && !(hi < this.keys[i]); i++) { visit(this.vals[i]); n++; }
    return n;
  }
}

/** A job in a scheduler: earlier deadline first, then higher priority. */
class Job {
  constructor(public deadline: i32, public priority: i32, public id: i32) {}

  @operator("<")
  before(other: Job): bool {
    if (this.deadline != other.deadline) return this.deadline < other.deadline;
    return this.priority > other.priority;
  }
}

function lcg(s: u32): u32 { return s * 1103515245 + 12345; }

/** `n` pseudo-random i32 values below 1000 from `seed`. */
function randoms(n: i32, seed: i32): Array<i32> {
  const out = new Array<i32>();
  let s = <u32>seed;
  for (let i = 0; i < n; i++) { s = lcg(s); out.push(<i32>((s >>> 8) % 1000)); }
  return out;
}

/** Collections the top-level code registers, reached through their interface. */
const registry = new Array<Sized>();
const primed = new Stack<i32>();
primed.addAll(randoms(40, 99));
registry.push(primed);
const names = new OrderedMap<string, i32>();
const WORDS: string[] = ["pear", "fig", "apple", "kiwi", "date", "lime", "plum", "grape"];
for (let i = 0; i < WORDS.length; i++) names.set(WORDS[i], i * 10);
registry.push(names);
let accumulator: f64 = 0;
let sumVisit: i64 = 0;

/** Pushes 0..n-1 and pops them all: sum of pops weighted by order. */
export function stackSum(n: i32): i64 {
  const s = new Stack<i64>();
  for (let i = 0; i < n; i++) s.add(<i64>i * 3 - 7);
  let total: i64 = 0;
  let k: i64 = 1;
  while (!s.isEmpty()) { total += s.take() * k; k++; }
  return total;
}

/** Rotates a queue of n elements k times (take, add back); returns the head times the size. */
export function queueRotate(n: i32, k: i32): i32 {
  const q = new Queue<i32>();
  for (let i = 0; i < n; i++) q.add(i * i);
  for (let i = 0; i < k; i++) q.add(q.take());
  return q.take() * 1000 + q.size();
}

/** Heap-sorts n randoms; checksum of the sorted order (and 0 if it is not sorted). */
export function heapSort(n: i32, seed: i32): i32 {
  const h = new MinHeap<i32>();
  h.addAll(randoms(n, seed));
  const sorted = h.drain();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] < sorted[i - 1]) return 0;
    sum = sum * 31 + sorted[i];
  }
  return sum;
}

/** Heap of f64 values: the k smallest of n, summed with alternating signs. */
export function smallestF64(n: i32, k: i32, seed: i32): f64 {
  const h = new MinHeap<f64>();
  const r = randoms(n, seed);
  for (let i = 0; i < n; i++) h.add(Math.sin(<f64>r[i]) * 100.0);
  let sum: f64 = 0;
  for (let i = 0; i < k && !h.isEmpty(); i++) sum += (i & 1 ? -1.0 : 1.0) * h.take();
  return sum;
}

/** Heap of strings: the position-weighted sum of the lengths of the sorted words. */
export function sortWords(n: i32, seed: i32): i32 {
  const h = new MinHeap<string>();
  const r = randoms(n, seed);
  for (let i = 0; i < n; i++) h.add(WORDS[r[i] % WORDS.length] + (r[i] % 13).toString());
  let total = 0;
  let i = 1;
  while (!h.isEmpty()) total += h.take().length * i++ + (h.isEmpty() ? 0 : 1);
  return total;
}

/** Runs n jobs through a deadline scheduler; returns ids in completion order, hashed. */
export function schedule(n: i32, seed: i32): u32 {
  const h = new MinHeap<Job>();
  const r = randoms(2 * n, seed);
  for (let i = 0; i < n; i++) h.add(new Job(r[2 * i] % 50, r[2 * i + 1] % 5, i));
  let hash: u32 = 2166136261;
  while (!h.isEmpty()) hash = (hash ^ <u32>h.take().id) * 16777619;
  return hash;
}

/** The same values through a Stack, Queue or MinHeap (which = 0, 1, 2), drained via the base class. */
export function drainAs(which: i32, n: i32): i64 {
  let c: Collection<i32>;
  if (which == 0) c = new Stack<i32>();
  else if (which == 1) c = new Queue<i32>();
  else c = new MinHeap<i32>();
  c.addAll(randoms(n, 5));
  const out = c.drain();
  let h: i64 = 0;
  for (let i = 0; i < out.length; i++) h = h * 1000003 + <i64>out[i];
  return h;
}

/** An ordered map of i32 keys (i*7 mod m): sum of the values with keys in [lo, hi]. */
export function rangeSum(n: i32, lo: i32, hi: i32): i64 {
  const m = new OrderedMap<i32, i64>();
  for (let i = 0; i < n; i++) m.set((i * 7) % 1009, <i64>i);
  sumVisit = 0;
  const count = m.forRange(lo, hi, (v: i64): void => { sumVisit += v; });
  return sumVisit * 10000 + <i64>count;
}

/** Looks words up in the map the top-level code filled; sets one; sums what it finds. */
export function lookupNames(extra: i32): i32 {
  names.set("banana", extra);
  let sum = 0;
  for (let i = 0; i < WORDS.length; i++) sum += names.get(WORDS[i], -1);
  return sum + names.get("banana", -1) + names.get("cherry", -1000) + names.size();
}

/** Sizes of everything registered at start, plus what popping `k` from the primed stack gives. */
export function registrySizes(k: i32): i32 {
  let sizes = 0;
  for (let i = 0; i < registry.length; i++) sizes = sizes * 100 + registry[i].size();
  let popped = 0;
  for (let i = 0; i < k; i++) popped += primed.take();
  return sizes + popped * 7;
}

/** Keeps a running mean in a module global across pushes into an f64 queue. */
export function runningMean(n: i32): f64 {
  const q = new Queue<f64>();
  accumulator = 0;
  for (let i = 0; i < n; i++) {
    q.add(<f64>i / 3.0);
    if (q.size() > 5) accumulator += q.take();
  }
  return accumulator / <f64>(n > 5 ? n - 5 : 1);
}
