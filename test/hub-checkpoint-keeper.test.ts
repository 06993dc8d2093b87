/**
 * The checkpoint keeper alone (a slow in-memory store): newest only while a put is in
 * flight, sealed before it is stored, each stored one reported to the engine.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROTOCOL_VERSION, type ExecRequest, type ProgressEvent } from '../runtime/protocol/index.js';
import { CheckpointKeeper, HubMetrics } from '../runtime/hub/internal.js';
import { FULL_EVERY } from '../runtime/hub/checkpoint-keeper.js';
import { storedDiffName, storedName } from '../runtime/net/index.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../runtime/snapshot/index.js';
import { capturingLogger, SlowCheckpointStore, until } from './helpers/stand-ins.js';

const test = suite('hub checkpoint keeper');
const req: ExecRequest = {
  kind: 'exec', v: PROTOCOL_VERSION, job: 'j.0', bundle: 'ab'.repeat(32), entry: 'main', fragment: 2, migrateEvery: 0, args: [], storeEvery: 10, progress: '_INBOX.e.1',
};
const cp = (n: number) => new Uint8Array(8).fill(n);

test('while a put is in flight a newer checkpoint replaces the waiting one; each stored one is reported', async () => {
  const store = new SlowCheckpointStore();
  const reports: Array<{ subject: string; e: ProgressEvent }> = [];
  const keeper = new CheckpointKeeper(async () => store, {
    hub: 'a', seal: (_, b) => new Uint8Array([0xee, ...b]), report: (subject, e) => reports.push({ subject, e }), metrics: new HubMetrics('a'), log: capturingLogger(),
  });
  keeper.keep(req, cp(1), 10);
  keeper.keep(req, cp(2), 20);
  keeper.keep(req, cp(3), 30);
  store.release();
  await until(() => keeper.busy === 0, 5000, 'the keeper finished');
  assert.equal(store.puts.map((p) => p.bytes[1]), [1, 3], 'the second never waited in memory past the third');
  assert.ok(store.puts.every((p) => p.bytes[0] === 0xee), 'stored sealed');
  assert.equal(reports.map((r) => [r.subject, r.e.stored, r.e.yields, r.e.hub, r.e.to]), [['_INBOX.e.1', true, 10, 'a', 'a'], ['_INBOX.e.1', true, 30, 'a', 'a']]);
});

test('a store that cannot be opened is tried again at the next checkpoint, and logged', async () => {
  let opens = 0;
  const log = capturingLogger();
  const store = new SlowCheckpointStore();
  store.release();
  const keeper = new CheckpointKeeper(async () => { if (opens++ === 0) throw new Error('no leader'); return store; }, {
    hub: 'a', seal: (_, b) => b, report: () => {}, metrics: new HubMetrics('a'), log,
  });
  keeper.keep(req, cp(1), 10);
  await until(() => keeper.busy === 0);
  keeper.keep(req, cp(2), 20);
  await until(() => keeper.busy === 0 && store.puts.length === 1);
  assert.is(opens, 2);
  assert.ok(log.lines.some((l) => l.msg.startsWith('cannot open the checkpoint store')));
});

test('periodic checkpoints are stored as diffs against the last full one, and every FULL_EVERY-th full', async () => {
  const store = new SlowCheckpointStore();
  store.release();
  const keeper = new CheckpointKeeper(async () => store, { hub: 'a', seal: (_, b) => b, report: () => {}, metrics: new HubMetrics('a'), log: capturingLogger() });
  const memory = new Uint8Array(64 * 1024).fill(0xaa); // no zero pages: a full checkpoint carries all 16
  const full = (n: number): Uint8Array => {
    memory[n * 4096] = n; // one page changes each time
    const cp: Checkpoint = { kind: 'full', id: `cp${n}`, bundle: 'ab'.repeat(32), entry: 'main', fragment: 2, paused: true, yields: n * 10, memory: memory.slice() };
    return encodeCheckpoint(cp);
  };
  for (let n = 1; n <= FULL_EVERY + 1; n++) {
    keeper.keep(req, full(n), n * 10);
    await until(() => keeper.busy === 0);
  }
  const kinds = store.puts.map((p) => [p.job === storedName(req.job, 'a') ? 'full' : p.job === storedDiffName(req.job, 'a') ? 'diff' : p.job, decodeCheckpoint(p.bytes).kind]);
  assert.equal(kinds.map((k) => k[0]), ['full', ...Array(FULL_EVERY - 1).fill('diff'), 'full']);
  assert.ok(kinds.every(([name, kind]) => name === kind), 'a diff under the hub\'s diff name, a full one under its full name');
  const lastDiff = decodeCheckpoint(store.puts[FULL_EVERY - 1].bytes);
  assert.is(lastDiff.kind === 'diff' && lastDiff.base, 'cp1', 'every diff is against the last full one');
  assert.ok(store.puts[1].bytes.byteLength < store.puts[0].bytes.byteLength, 'a diff is smaller than the full one');
});

test('a full checkpoint whose put failed is no base: the next one is stored full, so a recovery can use it', async () => {
  // The chaos run on a NATS cluster restarted a job from yield 0 twice, 16 s apart, though
  // the engine was told checkpoints up to yield 880,000 were stored: diffs against a full
  // one that never reached the store.
  const store = new SlowCheckpointStore();
  store.release();
  let fail = true;
  const put = store.put.bind(store);
  store.put = async (job, bytes) => { if (fail) { fail = false; throw new Error('no leader'); } return put(job, bytes); };
  const log = capturingLogger();
  const reports: ProgressEvent[] = [];
  const keeper = new CheckpointKeeper(async () => store, { hub: 'a', seal: (_, b) => b, report: (_, e) => reports.push(e), metrics: new HubMetrics('a'), log });
  const full = (n: number) => encodeCheckpoint({ kind: 'full', id: `cp${n}`, bundle: 'ab'.repeat(32), entry: 'main', fragment: 2, paused: true, yields: n * 10, memory: new Uint8Array(65536).fill(n) });
  keeper.keep(req, full(1), 10);
  await until(() => keeper.busy === 0);
  assert.is(store.puts.length, 0, 'the first put failed');
  assert.ok(log.lines.some((l) => l.msg === 'cannot store a checkpoint'));
  keeper.keep(req, full(2), 20);
  await until(() => keeper.busy === 0);
  keeper.keep(req, full(3), 30);
  await until(() => keeper.busy === 0);
  assert.equal(store.puts.map((p) => [p.job === storedName(req.job, 'a') ? 'full' : 'diff', decodeCheckpoint(p.bytes).kind]), [['full', 'full'], ['diff', 'diff']]);
  const diff = decodeCheckpoint(store.puts[1].bytes);
  assert.is(diff.kind === 'diff' && diff.base, 'cp2', 'the diff is against the full one that was stored');
  assert.equal(reports.map((e) => e.yields), [20, 30], 'only what was stored is reported');
});

test.run();
