/**
 * The simulator's event queue: a binary min-heap by time, ties in insertion order, so a
 * run is the same every time.
 *   const q = new Events<{ t: number; kind: 'tick' }>();
 *   q.push({ t: 5, kind: 'tick' });  q.pop();
 */
export class Events<E extends { t: number }> {
  private heap: Array<{ e: E; seq: number }> = [];
  private seq = 0;
  get size(): number { return this.heap.length; }
  push(e: E): void {
    const h = this.heap;
    h.push({ e, seq: this.seq++ });
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (this.less(h[i], h[p])) { [h[i], h[p]] = [h[p], h[i]]; i = p; } else break;
    }
  }
  /** The earliest event; the queue must not be empty. */
  pop(): E {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top.e;
  }
  private less(a: { e: E; seq: number }, b: { e: E; seq: number }): boolean {
    return a.e.t < b.e.t || (a.e.t === b.e.t && a.seq < b.seq);
  }
}
