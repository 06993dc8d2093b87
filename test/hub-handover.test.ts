/**
 * Hand-over alone (a stand-in for the next hub): the next hop of a route, a paused state
 * sealed to the next hub and acknowledged, a refusal that sends the state back to the
 * engine (or `handoff-failed` when only a diff was left), and a re-weaving move.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SEAL_HEAD, SEAL_TAIL, createIdentity, openFrom } from '../runtime/net/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, parseMessage, type ExecRequest, type ProgressEvent, type RanReply } from '../runtime/protocol/index.js';
import { Handover, HubMetrics, SealGate, nextHop, sealContext, type HandoverDeps } from '../runtime/hub/internal.js';
import { capturingLogger } from './helpers/stand-ins.js';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type CheckpointDiff } from '../runtime/snapshot/index.js';

const test = suite('hub hand-over');
const ids = { a: createIdentity(), b: createIdentity(), c: createIdentity(), engine: createIdentity() };
const state = new Uint8Array(1024).map((_, i) => i & 0xff);

function setup(reply: (msg: ExecRequest, to: string) => Uint8Array | Promise<Uint8Array>, opts: { secure?: boolean; exportWhole?: HandoverDeps['exportWhole'] } = {}) {
  const sent: Array<{ to: string; msg: ExecRequest }> = [];
  const kept: Array<{ yields: number; whole?: Uint8Array }> = [];
  const recycled: ArrayBuffer[] = [];
  const reports: ProgressEvent[] = [];
  const log = capturingLogger();
  const gate = new SealGate('a', opts.secure === false ? false : ids.a, log);
  const h = new Handover({
    hub: 'a', gate, log, headroom: 4096, metrics: new HubMetrics('a'),
    ask: async (subject, bytes) => {
      const to = subject.split('.')[2];
      const msg = parseMessage(decodeMessage(bytes), ['exec']);
      sent.push({ to, msg });
      return reply(msg, to);
    },
    report: (_, e) => reports.push(e),
    exportWhole: opts.exportWhole ?? (async () => undefined),
    handedOver: (_, yields, whole) => kept.push({ yields, whole }),
    recycle: (b) => recycled.push(b),
  });
  return { h, sent, reports, log, kept, recycled };
}

const req = (extra: Partial<ExecRequest> = {}): ExecRequest => ({
  kind: 'exec', v: PROTOCOL_VERSION, job: 'j.0', bundle: 'ab'.repeat(32), entry: 'main', fragment: 1, migrateEvery: 50, args: [3], route: ['a', 'b', 'c'], hop: 0,
  progress: '_INBOX.p.1', attempt: 0, client: ids.engine.public, keys: { a: ids.a.public.seal, b: ids.b.public.seal, c: ids.c.public.seal }, ...extra,
});
const paused = (checkpoint = state.slice()): RanReply => ({ kind: 'ran', v: PROTOCOL_VERSION, outcome: 'paused', fragment: 2, checkpoint, fragments: 1, execMs: 5, yields: 50, pausedAt: Date.now() });
const ok = () => encodeMessage({ kind: 'ok', v: PROTOCOL_VERSION, resumedAt: Date.now() });
const refuse = () => encodeMessage({ kind: 'error', v: PROTOCOL_VERSION, code: 'draining', message: 'hub b is draining' });

test('the next hop skips this hub and wraps around; a route of one hub has none', () => {
  assert.equal(nextHop(['a', 'b', 'c'], 0, 'a'), { id: 'b', hop: 1 });
  assert.equal(nextHop(['a', 'b', 'c'], 2, 'c'), { id: 'a', hop: 0 });
  assert.equal(nextHop(['b', 'a'], 1, 'a'), { id: 'b', hop: 0 });
  assert.is(nextHop(['a'], 0, 'a'), undefined);
});

test('a paused state goes to the next hub sealed to it, without the arguments, and the move is reported', async () => {
  const { h, sent, reports, kept } = setup(ok);
  const out = await h.pass(req(), paused(), { next: { id: 'b', hop: 1 }, replyTo: '_INBOX.e.7', full: true, move: undefined });
  // What left is kept from the bytes sent: a one-slot hub that starts its next job at once has no copy to export.
  assert.equal(kept.map((k) => [k.yields, k.whole && [...k.whole]]), [[50, [...state]]]);
  assert.is(out, undefined, 'handed over: nobody replies from here');
  assert.is(sent.length, 1);
  const m = sent[0].msg;
  assert.equal([sent[0].to, m.from, m.hop, m.handovers, m.fragment, m.replyTo, m.sealed, m.args], ['b', 'a', 1, 1, 2, '_INBOX.e.7', true, undefined]);
  const opened = openFrom(ids.b, ids.a.public.seal, sealContext(m, 2, 1, 'a', 'b'), m.checkpoint!);
  assert.equal([...opened], [...state]);
  assert.equal(reports.map((e) => [e.hub, e.to, e.fragment, e.bytes, e.stored]), [['a', 'b', 2, state.byteLength, undefined]]);
});

test('a refused hand-over sends a whole state back to the engine, sealed to it', async () => {
  const { h, reports, log } = setup(refuse);
  const out = await h.pass(req(), paused(), { next: { id: 'b', hop: 1 }, replyTo: undefined, full: true, move: undefined });
  assert.ok(out && out.kind === 'ran' && out.sealed && out.hub === 'a');
  assert.is(reports.length, 0);
  assert.ok(log.lines.some((l) => l.msg === 'hand-over refused' && l.code === 'draining' && l.job === 'j.0' && l.fragment === 2));
});

/** `bytes` as a slot leaves a checkpoint: room before it (frame and seal head) and after it (the tag). */
function roomy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const cp = new Uint8Array(4096 + SEAL_HEAD + bytes.length + SEAL_TAIL).subarray(4096 + SEAL_HEAD, 4096 + SEAL_HEAD + bytes.length);
  cp.set(bytes);
  return cp;
}

test("a diff with room around it is sealed where it lies; refused, the engine gets the slot's whole copy", async () => {
  const whole = state.map((x) => x ^ 0x5a);
  let framedIn: ArrayBufferLike | undefined;
  const { h } = setup((m) => { framedIn = m.checkpoint!.buffer; return refuse(); }, { exportWhole: async () => whole });
  const cp = roomy(state);
  const out = await h.pass(req(), paused(cp), { next: { id: 'b', hop: 1 }, replyTo: undefined, full: false, move: undefined });
  assert.is(framedIn, cp.buffer, "sealed and framed in the slot's buffer");
  assert.not.equal([...cp], [...state], 'its plaintext is gone');
  assert.ok(out && out.kind === 'ran' && out.checkpoint);
  const back = openFrom(ids.engine, ids.a.public.seal, sealContext(req(), out.fragment, out.handovers ?? 0, 'a', 'engine'), out.checkpoint);
  assert.equal([...back], [...whole]);
});

test('a whole state, or a diff of a job whose states are stored, keeps its plaintext', async () => {
  for (const [full, extra] of [[true, {}], [false, { storeEvery: 100 }]] as const) {
    const { h, kept, recycled } = setup(ok);
    const cp = roomy(state);
    await h.pass(req(extra), paused(cp), { next: { id: 'b', hop: 1 }, replyTo: undefined, full, move: undefined });
    assert.equal([...cp], [...state], `full ${full}`);
    if (full) assert.equal(kept.map((k) => k.whole && [...k.whole]), [[...state]]);
    assert.is(recycled.length, 0, 'a kept state is not given back');
  }
});

test("an acknowledged diff sealed in the slot's buffer gives that buffer back for the next large payload; a refused one does not", async () => {
  const acked = setup(ok);
  const cp = roomy(state);
  assert.is(await acked.h.pass(req(), paused(cp), { next: { id: 'b', hop: 1 }, replyTo: undefined, full: false, move: undefined }), undefined);
  assert.equal(acked.recycled, [cp.buffer]);
  const refused = setup(refuse, { exportWhole: async () => state });
  await refused.h.pass(req(), paused(roomy(state)), { next: { id: 'b', hop: 1 }, replyTo: undefined, full: false, move: undefined });
  assert.is(refused.recycled.length, 0);
});

test('a diff the slot left without a CRC travels so only sealed in place; every other way out checksums it first', async () => {
  const diff: CheckpointDiff = {
    kind: 'diff', id: 'fedcba9876543210', base: '0123456789abcdef', bundle: 'ab'.repeat(32), entry: 'main', fragment: 2, paused: true, yields: 50,
    memoryLength: 65536, pageSize: 256, pages: [{ index: 3, bytes: state.subarray(0, 256) }, { index: 9, bytes: state.subarray(256, 512) }],
  };
  const unchecked = () => roomy(encodeCheckpoint(diff, { checksum: false }));
  const rejects = (bytes: Uint8Array) => assert.throws(() => decodeCheckpoint(bytes), (e: unknown) => e instanceof CheckpointError && e.code === 'checksum');
  const ctx = { next: { id: 'b', hop: 1 }, replyTo: undefined, full: false, move: undefined, unchecked: true };
  // Sealed in place for b: no CRC pass; b opens it authenticated.
  const sealed = setup(ok);
  assert.is(await sealed.h.pass(req(), paused(unchecked()), ctx), undefined);
  const m = sealed.sent[0].msg;
  const opened = openFrom(ids.b, ids.a.public.seal, sealContext(m, 2, 1, 'a', 'b'), m.checkpoint!);
  rejects(opened);
  assert.is(decodeCheckpoint(opened, { authenticated: true }).kind, 'diff');
  // Plain to b (an insecure hub), kept for a job whose states are stored, or back to the engine: with its CRC.
  const plain = setup(ok, { secure: false });
  await plain.h.pass(req(), paused(unchecked()), ctx);
  assert.is(decodeCheckpoint(plain.sent[0].msg.checkpoint!).kind, 'diff');
  const stored = setup(ok);
  const kept = unchecked();
  await stored.h.pass(req({ storeEvery: 100 }), paused(kept), ctx);
  assert.is(decodeCheckpoint(kept).kind, 'diff', 'the plaintext it keeps');
  assert.is(decodeCheckpoint(openFrom(ids.b, ids.a.public.seal, sealContext(stored.sent[0].msg, 2, 1, 'a', 'b'), stored.sent[0].msg.checkpoint!)).kind, 'diff');
  const last = setup(ok);
  const out = await last.h.pass(req(), { ...paused(unchecked()), outcome: 'next' }, ctx);
  assert.ok(out && out.kind === 'ran' && out.checkpoint);
  assert.is(decodeCheckpoint(openFrom(ids.engine, ids.a.public.seal, sealContext(req(), out.fragment, 0, 'a', 'engine'), out.checkpoint)).kind, 'diff');
});

test('a refused hand-over of a diff (back to the hub that holds its base) fails: the engine cannot use a diff', async () => {
  const { h } = setup(refuse);
  const out = await h.pass(req({ from: 'b', hop: 0, route: ['b', 'a'] }), paused(), { next: { id: 'b', hop: 0 }, replyTo: undefined, full: false, move: undefined });
  assert.equal(out && out.kind === 'error' && out.code, 'handoff-failed');
});

test("a refused diff (the next hub's base is gone) goes back to the engine as the slot's whole state", async () => {
  const whole = new Uint8Array(2048).fill(9);
  const { h, sent } = setup(() => encodeMessage({ kind: 'error', v: PROTOCOL_VERSION, code: 'no-base', message: 'evicted' }), { exportWhole: async () => whole });
  const bases = [{ hub: 'c', id: 'c0ffee', step: 1 }, { hub: 'a', id: 'beef', step: 4 }];
  const out = await h.pass(req({ from: 'c', hop: 0, handovers: 3 }), paused(new Uint8Array(16)), { next: { id: 'b', hop: 1 }, replyTo: undefined, full: false, move: undefined, bases });
  // The hand-over named the bases for the hub after it.
  assert.equal(sent[0].msg.bases, bases);
  assert.ok(out && out.kind === 'ran' && out.sealed && out.checkpoint);
  assert.equal([...openFrom(ids.engine, ids.a.public.seal, { ...sealContext(req(), 2, 3, 'a', 'engine') }, out.checkpoint!)].length, whole.length);
});

test('a move goes to the hub asked, appended to the route, with the whole state when the run had a diff', async () => {
  const whole = new Uint8Array(2048).fill(5);
  const d = ids.c;
  const { h, sent } = setup(ok, { exportWhole: async () => whole });
  const out = await h.pass(req({ route: ['b', 'a'], from: 'b', hop: 1 }), paused(new Uint8Array(16)), {
    next: { id: 'b', hop: 0 }, replyTo: undefined, full: false, move: { to: 'd', key: d.public.seal },
  });
  assert.is(out, undefined);
  const m = sent[0].msg;
  assert.equal([sent[0].to, m.route, m.hop], ['d', ['b', 'a', 'd'], 2]);
  assert.equal([...openFrom(d, ids.a.public.seal, sealContext(m, 2, 1, 'a', 'd'), m.checkpoint!)], [...whole]);
});

test('with no sealing key for the next hub the state goes back to the engine; an insecure hub sends plain', async () => {
  const keyless = setup(ok);
  const back = await keyless.h.pass(req({ keys: {} }), paused(), { next: { id: 'b', hop: 1 }, replyTo: undefined, full: true, move: undefined });
  assert.ok(back && back.kind === 'ran' && back.checkpoint);
  assert.is(keyless.sent.length, 0);
  const insecure = setup(ok, { secure: false });
  assert.is(await insecure.h.pass(req({ keys: {} }), paused(), { next: { id: 'b', hop: 1 }, replyTo: undefined, full: true, move: undefined }), undefined);
  assert.equal([...insecure.sent[0].msg.checkpoint!], [...state]);
  assert.is(insecure.sent[0].msg.sealed, undefined);
});

test.run();
