/**
 * A binary min-heap by a comparator (negative: `a` first). The simulator's event queue
 * and the exact oracle's open list.
 *   const h = new Heap<number>((a, b) => a - b);  h.push(3);  h.pop();
 */
export class Heap<T> {
  private xs: T[] = [];
  constructor(private readonly before: (a: T, b: T) => number) {}
  get size(): number { return this.xs.length; }
  peek(): T { return this.xs[0]; }
  clear(): void { this.xs = []; }
  push(x: T): void {
    const h = this.xs;
    h.push(x);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (this.before(h[i], h[p]) < 0) { [h[i], h[p]] = [h[p], h[i]]; i = p; } else break;
    }
  }
  pop(): T {
    const h = this.xs;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m]) < 0) m = l;
        if (r < h.length && this.before(h[r], h[m]) < 0) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
