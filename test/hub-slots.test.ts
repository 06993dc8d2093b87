/**
 * A hub's slots (runtime/hub/slots.ts) on real worker threads: the first starts with the
 * pool, the others at their first request, and every one answers; a request waiting
 * behind a running one can be withdrawn (a move of a job that never started here).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROTOCOL_VERSION } from '../runtime/protocol/index.js';
import { SlotPool, type SlotRequest } from '../runtime/hub/internal.js';
import { woven } from './helpers/programs.js';

const test = suite('hub slots');

/** Execs of test/programs/trap.ts's `checked` (its argument sets the work), tagged. */
async function trapExec(): Promise<(job: string, n: number, tag: number) => SlotRequest> {
  const b = await woven('test/programs/trap.ts', { yieldInterval: 1000 });
  return (job, n, tag) => ({
    kind: 'exec', v: PROTOCOL_VERSION, job, bundle: b.hash, bundleBytes: b.bytes, entry: 'checked', fragment: b.manifest.entries[0].fragments[0], migrateEvery: 0, stay: true, args: [n], tag,
  });
}

/** A pool of one slot. */
const onePool = (name: string) => new SlotPool(name, 1, { headroom: 0, datasets: {}, gpu: false, throttle: 1, sandbox: {}, onMainCall: async () => ({ status: -1 }) });

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

test('an idle calibration is not work: the slot counts nothing in flight, a job still comes to it, and its adverts show it idle', async () => {
  const pool = new SlotPool('c', 2, { headroom: 0, datasets: {}, gpu: false, throttle: 1, sandbox: {}, onMainCall: async () => ({ status: -1 }) });
  try {
    const probing = pool.request(0, { kind: 'calibrate', v: PROTOCOL_VERSION, ms: 50 });
    assert.is(pool.inFlight(0), 0, 'a probe is not in flight as work');
    assert.equal(pool.load(), { slots: 2, running: 0, queued: 0 });
    const pong = pool.request(0, { kind: 'ping', v: PROTOCOL_VERSION });
    assert.is(pool.inFlight(0), 1, 'a request behind it is');
    const c = await probing;
    assert.ok(c.kind === 'ok' && 'calibrated' in c && c.calibrated.ms >= 50, JSON.stringify(c));
    assert.is((await pong).kind, 'pong');
    assert.is(pool.inFlight(0), 0);
    assert.is(pool.started, 1, 'slot 1 never started');
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

test('an exec waiting behind a running one is withdrawn at once; a running one is not', async () => {
  const exec = await trapExec();
  const pool = onePool('w');
  try {
    const long = pool.request(0, exec('long.0', 400_000_000, 1));
    const waiting = pool.request(0, exec('queued.0', 10, 2));
    assert.is(pool.inFlight(0), 2);
    const back = { kind: 'error', v: PROTOCOL_VERSION, code: 'not-started', message: 'moved' } as const;
    assert.ok(pool.withdraw(0, 2, back), 'the waiting exec was withdrawn');
    assert.equal(await waiting, back);
    assert.is(pool.inFlight(0), 1, 'the long run goes on');
    assert.not.ok(pool.withdraw(0, 1, back), 'a running exec cannot be withdrawn');
    pool.preemptRun(0, 1);
    const r = await long;
    assert.equal(r.kind === 'ran' && r.outcome, 'paused', JSON.stringify(r).slice(0, 200));
    // The slot serves on: the next request runs.
    const next = await pool.request(0, exec('after.0', 10, 3));
    assert.equal(next.kind === 'ran' && next.outcome, 'done');
  } finally {
    await pool.close();
  }
});

test('a pause asked of a waiting exec does not undo the one asked of the running exec; each pauses', async () => {
  const exec = await trapExec();
  const pool = onePool('p');
  try {
    const long = pool.request(0, exec('long.0', 400_000_000, 1));
    const queued = pool.request(0, exec('queued.0', 400_000_000, 2));
    await new Promise((r) => setTimeout(r, 50));
    pool.preemptRun(0, 1); // a fence of the running job
    pool.preemptRun(0, 2); // then a move of the waiting one
    const outcome = (r: Awaited<typeof long>) => (r.kind === 'ran' ? r.outcome : r.kind);
    const first = await Promise.race([long, new Promise<never>((_, no) => setTimeout(() => no(new Error('the running exec was not paused within 10 s')), 10_000))]);
    assert.is(outcome(first), 'paused');
    assert.is(outcome(await queued), 'paused', 'the waiting one pauses as it starts');
  } finally {
    await pool.close();
  }
});

test.run();
