/**
 * The shared helpers: the one backoff (jittered, bounded, growing) and bounded maps.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { backoff, boundedMap } from '../runtime/util/index.js';

const test = suite('util');

test('a backoff grows by its factor up to its bound, and its jitter takes off at most that share', () => {
  const none = backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
  assert.equal([0, 1, 2, 3, 4, 10].map(none), [100, 200, 400, 800, 1000, 1000]);
  const low = backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0.999 });
  assert.equal([0, 1, 4].map(low), [50, 100, 500]);
  const spread = new Set(Array.from({ length: 50 }, () => backoff({ initialMs: 1000 })(0)));
  assert.ok(spread.size > 10, 'retries of many peers spread out');
  for (const d of spread) assert.ok(d >= 500 && d <= 1000, `${d}`);
});

test('a backoff refuses settings that make no schedule', () => {
  assert.throws(() => backoff({ initialMs: -1 }), (e: Error) => e instanceof RangeError && /initialMs/.test(e.message));
  assert.throws(() => backoff({ jitter: 2 }), (e: Error) => e instanceof RangeError && /jitter/.test(e.message));
});

test('a bounded map forgets its least recently used entry first', () => {
  const m = boundedMap<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  m.get('a');
  m.set('c', 3);
  assert.equal([m.has('a'), m.has('b'), m.has('c'), m.size], [true, false, true, 2]);
});

test('a bounded map: has() leaves recency alone, set() refreshes it, pop() takes the oldest, and it empties and fills again', () => {
  const m = boundedMap<string, number>(3);
  m.set('a', 1).set('b', 2).set('c', 3);
  m.has('a');
  m.set('b', 20);
  assert.equal([...m.values()], [1, 3, 20]);
  assert.equal(m.pop(), 1);
  m.set('d', 4);
  m.set('e', 5);
  assert.equal([m.has('c'), [...m.values()]], [false, [20, 4, 5]]);
  for (const k of ['b', 'd', 'e']) assert.ok(m.delete(k));
  assert.equal([m.size, m.pop(), m.get('b')], [0, undefined, undefined]);
  m.set('f', 6);
  assert.equal([m.size, m.get('f')], [1, 6]);
  assert.throws(() => boundedMap(0), (e: Error) => e instanceof RangeError);
});

test.run();
