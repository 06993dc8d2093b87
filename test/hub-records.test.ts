/**
 * Records and fencing alone (in-memory records): fences only move forward, a fenced
 * attempt is told apart, a result commits once and only for the current attempt, and a
 * commit rides out a restarting server before it gives up.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROTOCOL_VERSION, type ExecRequest, type RanReply } from '../runtime/protocol/index.js';
import { Records } from '../runtime/hub/internal.js';
import { createIdentity } from '../runtime/net/index.js';
import { capturingLogger, MemoryRecords } from './helpers/stand-ins.js';

const test = suite('hub records');
const ran: RanReply = { kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, result: new Uint8Array([7]), execMs: 3, yields: 10, fragments: 2 };
/** The job's client, whose fences count for its jobs; and another peer. */
const client = createIdentity();
const other = createIdentity();
const exec = (record: string, attempt: number, by = client): ExecRequest => ({ kind: 'exec', v: PROTOCOL_VERSION, job: `${record}.${attempt}`, bundle: 'ab'.repeat(32), entry: 'main', fragment: 0, migrateEvery: 0, args: [], record, attempt, client: by.public });
const noWait = () => 0;

test('a fence only moves forward, and fences out the attempts below it', () => {
  const records = new Records(async () => new MemoryRecords(), 'a', capturingLogger());
  assert.ok(records.fence('j', 2, client.public.sign));
  assert.not.ok(records.fence('j', 1, client.public.sign), 'an older fence is no news');
  assert.not.ok(records.fence('j', 2, client.public.sign));
  assert.ok(records.isFenced(exec('j', 1)));
  assert.not.ok(records.isFenced(exec('j', 2)));
  // A job without a record (no JetStream) is fenced by the job id of its key, <job>.<attempt>.
  assert.ok(records.isFenced({ ...exec('j', 1), record: undefined }), 'a job without a record is fenced by its key');
  assert.not.ok(records.isFenced({ ...exec('j', 2), record: undefined }));
  assert.not.ok(records.isFenced({ ...exec('j', 1), job: 'j-1', record: undefined }), 'a key of another form goes unfenced');
});

test("a fence counts only for the jobs of the client that signed it: another peer's fence of the same job id stops nothing", () => {
  const records = new Records(async () => new MemoryRecords(), 'a', capturingLogger());
  assert.ok(records.fence('j', 99, other.public.sign));
  assert.not.ok(records.isFenced(exec('j', 1)), "the job's own attempt runs on");
  assert.ok(records.isFenced(exec('j', 1, other)), "only the fencing peer's own execs under that id are fenced");
  assert.not.ok(records.isFenced({ ...exec('j', 1), client: undefined }), 'an exec with no client is never fenced');
});

test('a flood of junk fences does not push out a live job\'s fence (issue 20: fences were an LRU of 4,096)', () => {
  const records = new Records(async () => new MemoryRecords(), 'a', capturingLogger());
  assert.ok(records.fence('live', 3, client.public.sign));
  for (let i = 0; i < 5000; i++) records.fence(`junk-${i}`, 1, client.public.sign);
  assert.ok(records.isFenced(exec('live', 2)), 'the older attempt of the live job is still fenced out');
});

test('when the fence table is full, a new job\'s fence still drops the runs here, is not kept, and is logged; kept ones stay', () => {
  const log = capturingLogger();
  const records = new Records(async () => new MemoryRecords(), 'a', log, { fences: { maxKeys: 2 } });
  assert.ok(records.fence('x', 1, client.public.sign));
  assert.ok(records.fence('y', 1, client.public.sign));
  assert.ok(records.fence('z', 1, client.public.sign), 'news: older runs of z here are dropped');
  assert.not.ok(records.isFenced(exec('z', 0)), 'but not kept');
  assert.ok(log.lines.some((l) => l.msg === 'fence table full; fence not kept' && l.job === 'z'));
  assert.ok(records.fence('x', 2, client.public.sign), 'a kept job\'s fence still moves forward');
  assert.ok(records.isFenced(exec('x', 1)));
});

test('the current attempt commits once; a fenced one is refused by the record', async () => {
  const store = new MemoryRecords();
  store.jobs.set('j', { attempt: 1, state: 'running' });
  const log = capturingLogger();
  const records = new Records(async () => store, 'a', log, { commitBackoff: noWait });
  assert.is(await records.commit(exec('j', 0), ran), 'fenced');
  assert.is(await records.commit(exec('j', 1), ran), 'committed');
  assert.is(await records.commit(exec('j', 1), ran), 'already');
  assert.equal(store.jobs.get('j')!.committed, { attempt: 1, hub: 'a' });
  const committed = log.lines.filter((l) => l.msg === 'result committed');
  assert.equal(committed.map((l) => [l.job, l.attempt, l.fragment]), [['j', 1, 0]]);
});

test('a commit retries through a restarting server, and gives up after its tries', async () => {
  const store = new MemoryRecords();
  store.jobs.set('j', { attempt: 0, state: 'running' });
  store.failNext = 2;
  const waits: number[] = [];
  const records = new Records(async () => store, 'a', capturingLogger(), { commitBackoff: (i) => { waits.push(i); return 0; } });
  assert.is(await records.commit(exec('j', 0), ran), 'committed');
  assert.equal(waits, [0, 1]);
  store.jobs.set('k', { attempt: 0, state: 'running' });
  store.failNext = 10;
  const patient = new Records(async () => store, 'a', capturingLogger(), { commitTries: 3, commitBackoff: noWait });
  assert.is(await patient.commit(exec('k', 0), ran), 'failed');
  assert.is(store.jobs.get('k')!.state, 'running', 'left for the engine to commit');
});

test('without job records (no JetStream) a commit fails and says why once per try to open', async () => {
  const log = capturingLogger();
  const records = new Records(async () => { throw new Error('no JetStream'); }, 'a', log, { commitTries: 2, commitBackoff: noWait });
  assert.is(await records.commit(exec('j', 0), ran), 'failed');
  assert.is(log.lines.filter((l) => l.msg === 'cannot open the job records').length, 2, 'tried again: the server may have been starting');
  assert.is(await records.bundle('ab'.repeat(32)), undefined);
});

test('a trap ends the current attempt\'s record as failed', async () => {
  const store = new MemoryRecords();
  store.jobs.set('j', { attempt: 0, state: 'running' });
  await new Records(async () => store, 'a', capturingLogger()).trapped(exec('j', 0), 'unreachable at main.ts:3');
  assert.is(store.jobs.get('j')!.state, 'failed');
});

test.run();
