/**
 * How many replicas weave's buckets get (runtime/net/kv.ts, withReplicas), without a
 * server: a cluster still finding its peers is given time before a count is given up,
 * since a bucket keeps the count it was made with.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NatsConnection } from 'nats';
import { withReplicas } from '../runtime/net/kv.js';

const test = suite('bucket replicas');
const onCluster = { info: { cluster: 'c' } } as unknown as NatsConnection;
const single = { info: {} } as unknown as NatsConnection;
const noPeers = () => Promise.reject(new Error('insufficient resources: no suitable peers for placement'));

test('a cluster that finds its peers within the forming time gets 3 replicas', async () => {
  const asked: number[] = [];
  let calls = 0;
  const r = await withReplicas(onCluster, (n) => { asked.push(n); return ++calls < 3 ? noPeers() : Promise.resolve(n); }, 2_000);
  assert.is(r, 3);
  assert.equal(asked, [3, 3, 3]);
});

test('a cluster of two: 3 is given up after the forming time, then 2', async () => {
  const asked: number[] = [];
  const t0 = Date.now();
  const r = await withReplicas(onCluster, (n) => { asked.push(n); return n > 2 ? noPeers() : Promise.resolve(n); }, 300);
  assert.is(r, 2);
  assert.ok(Date.now() - t0 >= 300, `gave 3 up after ${Date.now() - t0} ms`);
  assert.equal(asked.at(-1), 2);
});

test('one server: 1 replica at once; other errors are not retried', async () => {
  assert.is(await withReplicas(single, (n) => Promise.resolve(n), 5_000), 1);
  let calls = 0;
  await withReplicas(onCluster, () => { calls++; return Promise.reject(new Error('permissions violation')); }, 5_000).then(
    () => assert.unreachable('should throw'), (e: Error) => assert.match(e.message, /permissions violation/));
  assert.is(calls, 1);
});

test.run();
