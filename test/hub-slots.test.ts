/**
 * A hub's slots (runtime/hub/slots.ts) on real worker threads: the first starts with the
 * pool, the others at their first request, and every one answers.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROTOCOL_VERSION } from '../runtime/protocol/index.js';
import { SlotPool } from '../runtime/hub/internal.js';

const test = suite('hub slots');

test('slot 0 starts with the pool, the others at their first request; each answers', async () => {
  const pool = new SlotPool('s', 3, { headroom: 0, datasets: {}, gpu: false, throttle: 1, sandbox: {}, onMainCall: async () => ({ status: -1 }) });
  try {
    assert.is(pool.started, 1);
    const pong = await pool.request(2, { kind: 'ping', v: PROTOCOL_VERSION });
    assert.is(pong.kind, 'pong');
    assert.is(pool.started, 2, 'slot 2 started for its request, slot 1 not');
    assert.is((await pool.request(0, { kind: 'ping', v: PROTOCOL_VERSION })).kind, 'pong');
    assert.is(pool.load().running, 0);
  } finally {
    await pool.close();
  }
});

test('a pool closed before its lazy slots ever ran closes cleanly, and refuses requests after', async () => {
  const pool = new SlotPool('t', 2, { headroom: 0, datasets: {}, gpu: false, throttle: 1, sandbox: {}, onMainCall: async () => ({ status: -1 }) });
  await pool.close();
  await pool.request(1, { kind: 'ping', v: PROTOCOL_VERSION }).then(() => assert.unreachable('a closed slot answered'), (e: Error) => assert.match(e.message, /closed/));
  assert.is(pool.started, 1);
});

test.run();
