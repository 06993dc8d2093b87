/**
 * The simulator's event queue: a binary min-heap by time, ties in insertion order, so a
 * run is the same every time.
 *   const q = new Events<{ t: number; kind: 'tick' }>();
 *   q.push({ t: 5, kind: 'tick' });  q.pop();
 */
import { Heap } from './heap.js';

interface Entry<E> { e: E; seq: number }

export class Events<E extends { t: number }> {
  private readonly heap = new Heap<Entry<E>>((a, b) => a.e.t - b.e.t || a.seq - b.seq);
  private seq = 0;
  get size(): number { return this.heap.size; }
  push(e: E): void {
    this.heap.push({ e, seq: this.seq++ });
  }
  /** The earliest event; the queue must not be empty. */
  pop(): E {
    return this.heap.pop().e;
  }
}
