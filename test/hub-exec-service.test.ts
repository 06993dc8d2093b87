/**
 * A hub's exec service with real slots run in this process (HubCore, no threads, no
 * server): checked requests, a run fetched-bundle-first and signed, refusals (draining,
 * fenced, malformed, not-here), a fence that stops a running attempt, a committed result
 * and a trap that ends the job's record.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkResultMac, createIdentity, fenceStatement, resultStatement, sign, ticketStatement, verify } from '../runtime/net/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, parseMessage, type ExecRequest, type HubReply, type HubState } from '../runtime/protocol/index.js';
import {
  BundleCache, CheckpointKeeper, ExecService, Handover, HubCore, HubMetrics, Records, RunsTable, SealGate, type SlotHooks, type Slots, type SlotRequest,
} from '../runtime/hub/internal.js';
import { SLOT_EXEC_FIELDS } from '../runtime/hub/slot/index.js';
import type { LoadedBundle } from '../runtime/exec/index.js';
import { woven } from './helpers/programs.js';
import { capturingLogger, MemoryRecords, SlowCheckpointStore, until } from './helpers/stand-ins.js';

const test = suite('hub exec service');

/** Slots that are HubCores in this process: the real execution, no worker threads. */
class CoreSlots implements Slots {
  private readonly paused = new Set<number>();
  private readonly cores: HubCore[];
  private readonly busy: number[];
  /** Every request the slots were sent, as sent. */
  readonly sent: SlotRequest[] = [];
  constructor(size: number) {
    this.cores = Array.from({ length: size }, (_, i) => new HubCore(`core-${i}`, (tag) => this.paused.has(tag)));
    this.busy = new Array(size).fill(0);
  }
  get size() { return this.cores.length; }
  inFlight(slot: number) { return this.busy[slot]; }
  async request(slot: number, req: SlotRequest, hooks: SlotHooks = {}) {
    this.busy[slot]++;
    this.sent.push(req);
    // A turn of the event loop first, as a worker's message would take.
    await new Promise((r) => setImmediate(r));
    try { return await this.cores[slot].handle(req, hooks); } finally { this.busy[slot]--; }
  }
  preemptRun(_slot: number, tag: number) { this.paused.add(tag); }
  clearRun(_slot: number, tag: number) { this.paused.delete(tag); }
  // Every request runs at once here: none waits to be withdrawn.
  withdraw() { return false; }
}

let bundle: LoadedBundle;
const hubId = createIdentity();
const engine = createIdentity();

function service(opts: { state?: HubState; records?: MemoryRecords } = {}) {
  const log = capturingLogger();
  const slots = new CoreSlots(2);
  const runs = new RunsTable(slots);
  const gate = new SealGate('a', hubId, log);
  const store = opts.records ?? new MemoryRecords();
  const records = new Records(async () => store, 'a', log, { commitBackoff: () => 0 });
  const metrics = new HubMetrics('a');
  let fetches = 0;
  const execs = new ExecService({
    hub: 'a', slots, runs, gate, records, metrics, log, state: () => opts.state ?? 'ready', send: () => {},
    handover: new Handover({ hub: 'a', gate, ask: async () => { throw new Error('no other hubs here'); }, report: () => {}, exportWhole: async () => undefined, metrics, log, headroom: 0 }),
    keeper: new CheckpointKeeper(async () => new SlowCheckpointStore(), { hub: 'a', seal: (_, b) => b, report: () => {}, metrics, log }),
    bundles: new BundleCache('a', { ask: async () => { fetches++; return encodeMessage({ kind: 'bundle-bytes', v: PROTOCOL_VERSION, hash: bundle.hash, bytes: bundle.bytes }); }, fromRecords: async () => undefined, open: (_, b) => b }, log),
  });
  const ask = async (m: Record<string, unknown>) => parseMessage(decodeMessage((await execs.onRequest(encodeMessage(m as ExecRequest), undefined, false))!), ['ran', 'error', 'ok', 'pong']) as HubReply;
  return { execs, ask, log, metrics, runs, store, slots, fetches: () => fetches };
}

/** An engine's exec; with a job record, under the engine's signed ticket (issue 20: a hub commits only so). */
const exec = (job: string, args: number[], extra: Partial<ExecRequest> = {}): ExecRequest => {
  const req: ExecRequest = {
    kind: 'exec', v: PROTOCOL_VERSION, job, bundle: bundle.hash, entry: 'checked', fragment: bundle.manifest.entries[0].fragments[0], migrateEvery: 0, stay: true,
    args, origin: 'weave.client.c1.bundle', attempt: 0, client: engine.public, ...extra,
  };
  if (req.record === undefined) return req;
  const t = { job, attempt: req.attempt ?? 0, record: req.record, bundle: req.bundle, route: [], keys: {}, inboxes: [], issued: Date.now() };
  return { ...req, inboxes: [], issued: t.issued, ticket: sign(engine, ticketStatement(t)) };
};

test.before(async () => {
  bundle = await woven('test/programs/trap.ts', { yieldInterval: 1000 });
});

test('an exec fetches its bundle once, runs to the end on a slot, and comes back MAC\'d by the hub for its client (no record)', async () => {
  const s = service();
  const r = await s.ask(exec('j.0', [1000]));
  assert.is(r.kind, 'ran', JSON.stringify(r));
  if (r.kind !== 'ran') return;
  assert.equal([r.outcome, r.hub], ['done', 'a']);
  assert.ok(checkResultMac(engine, hubId.public.seal, { job: 'j.0', attempt: 0, hub: 'a', result: r.result!, output: r.output, yields: r.yields }, r.mac));
  await s.ask(exec('k.0', [10]));
  assert.is(s.fetches(), 1, 'the second job found the bundle cached');
  assert.equal(s.runs.keys(), [], 'nothing left running');
});

test('malformed requests, a draining hub and a move of a run that is not here get typed error replies', async () => {
  const s = service();
  const bad = await s.ask({ ...exec('j.0', [1]), bundle: 'xyz' });
  assert.equal(bad.kind === 'error' && [bad.code, bad.message], ['bad-message', "exec: 'bundle' must be a sha-256 hex digest"]);
  const unknown = await s.ask({ kind: 'advert', v: PROTOCOL_VERSION });
  assert.equal(unknown.kind === 'error' && unknown.code, 'bad-message');
  const notHere = await s.ask({ kind: 'move', v: PROTOCOL_VERSION, job: 'z.0', to: 'b' });
  assert.equal(notHere.kind === 'error' && notHere.code, 'not-here');
  const draining = await service({ state: 'draining' }).ask(exec('j.0', [1]));
  assert.equal(draining.kind === 'error' && draining.code, 'draining');
  assert.is(await s.ask({ kind: 'ping', v: PROTOCOL_VERSION }).then((p) => p.kind), 'pong');
  assert.ok(s.log.lines.some((l) => l.msg === 'rejected a request' && l.code === 'bad-message'));
});

test('a fence stops an older attempt where it runs, and refuses one that arrives later', async () => {
  const s = service();
  const running = s.ask(exec('f.0', [400_000_000], { record: 'f', attempt: 0 }));
  await until(() => s.runs.keys().includes('f.0'));
  // Another peer's fence, signed with its own key, and the client's key with a signature
  // over another attempt: neither stops the run.
  const peer = createIdentity();
  s.execs.fence({ kind: 'fence', v: PROTOCOL_VERSION, job: 'f', attempt: 1, client: peer.public.sign, sig: sign(peer, fenceStatement('f', 1)) });
  s.execs.fence({ kind: 'fence', v: PROTOCOL_VERSION, job: 'f', attempt: 1, client: engine.public.sign, sig: sign(engine, fenceStatement('f', 2)) });
  assert.not.ok(s.log.lines.some((l) => l.msg === 'fenced'), 'a fence not signed by the job\'s client dropped its run');
  s.execs.fence({ kind: 'fence', v: PROTOCOL_VERSION, job: 'f', attempt: 1, client: engine.public.sign, sig: sign(engine, fenceStatement('f', 1)) });
  const r = await running;
  assert.equal(r.kind === 'error' && r.code, 'fenced');
  assert.ok(s.log.lines.some((l) => l.msg === 'fenced' && l.job === 'f.0' && l.fragment !== undefined));
  const late = await s.ask(exec('f.0', [1], { record: 'f', attempt: 0 }));
  assert.equal(late.kind === 'error' && late.code, 'fenced');
});

test('a job with a record commits its result once; a trap ends its record as failed', async () => {
  const records = new MemoryRecords();
  records.jobs.set('c', { attempt: 0, state: 'running' });
  records.jobs.set('t', { attempt: 0, state: 'running' });
  const s = service({ records });
  const done = await s.ask(exec('c.0', [1000], { record: 'c' }));
  assert.equal(done.kind === 'ran' && [done.outcome, done.committed], ['done', true]);
  assert.is(records.jobs.get('c')!.state, 'done');
  const trap = await s.ask(exec('t.0', [-1000], { record: 't' }));
  assert.equal(trap.kind === 'error' && trap.code, 'trap');
  assert.is(records.jobs.get('t')!.state, 'failed');
});

test("a slot is sent what it reads of an exec, not the client's keys, its ticket or where replies go", async () => {
  const records = new MemoryRecords();
  records.jobs.set('s', { attempt: 0, state: 'running' });
  const s = service({ records });
  const r = await s.ask(exec('s.0', [1000], { record: 's' }));
  assert.ok(exec('s.0', [1000], { record: 's' }).ticket, 'the exec came under a ticket');
  assert.equal(r.kind === 'ran' && r.outcome, 'done');
  const sent = s.slots.sent.filter((q) => q.kind === 'exec') as unknown as Array<Record<string, unknown>>;
  assert.ok(sent.length >= 1);
  // The hub's own notes for its slot, besides the exec's fields a slot reads.
  const allowed = new Set<string>([...SLOT_EXEC_FIELDS, 'tag', 'opened', 'diffTo', 'sealsDiff', 'owner']);
  for (const q of sent) {
    assert.equal(Object.keys(q).filter((k) => !allowed.has(k)), [], 'fields a slot does not read');
    assert.equal([q.job, q.bundle, q.entry, q.args], ['s.0', bundle.hash, 'checked', [1000]]);
  }
});

test.run();
