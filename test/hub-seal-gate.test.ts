/**
 * The seal gate alone (no server): what a hub opens, what it refuses (plain, altered,
 * replayed, another client's, no key), and what it seals and signs going out.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkResultMac, createIdentity, openAnon, openFrom, resultStatement, sealTo, storedContext, verify, SealError, SEAL_HEAD, SEAL_TAIL, type DeferredSeal } from '../runtime/net/index.js';
import { PROTOCOL_VERSION, type ExecRequest, type RanReply } from '../runtime/protocol/index.js';
import { SealGate, sealContext } from '../runtime/hub/internal.js';
import { capturingLogger } from './helpers/stand-ins.js';

const test = suite('hub seal gate');
const BUNDLE = 'ab'.repeat(32);
const engine = createIdentity();
const hubKeys = createIdentity();
const plain = new Uint8Array(2048).map((_, i) => i & 0xff);

/** A hand-over's seal enciphered all at once (send-in-place.ts does it piece by piece). */
function whole(s: DeferredSeal): Uint8Array {
  s.upTo(s.frame.byteLength);
  return s.frame;
}

function exec(job: string, extra: Partial<ExecRequest> = {}): ExecRequest {
  return { kind: 'exec', v: PROTOCOL_VERSION, job, bundle: BUNDLE, entry: 'main', fragment: 3, migrateEvery: 0, attempt: 0, client: engine.public, keys: {}, ...extra };
}

function sealedFromEngine(job: string, seq = 0): ExecRequest {
  const req = exec(job, { handovers: seq || undefined });
  req.checkpoint = sealTo(engine, hubKeys.public.seal, sealContext(req, 3, seq, 'engine', 'a'), plain);
  req.sealed = true;
  return req;
}

test('a checkpoint sealed by the engine to this hub opens in place, and counts as authenticated', () => {
  const gate = new SealGate('a', hubKeys, capturingLogger());
  const req = sealedFromEngine('j.0');
  assert.is(gate.open(req), undefined);
  assert.equal([...req.checkpoint!], [...plain]);
  assert.is(req.sealed, false);
  assert.ok(gate.opened(req));
});

test('plain, altered, replayed and keyless checkpoints are refused with their seal- codes and a log line', () => {
  const log = capturingLogger();
  const gate = new SealGate('a', hubKeys, log);
  assert.is(gate.open(exec('p.0', { checkpoint: plain }))?.code, 'seal-unsealed');
  const altered = sealedFromEngine('t.0');
  altered.checkpoint![40] ^= 1;
  assert.is(gate.open(altered)?.code, 'seal-tampered');
  assert.is(gate.open(sealedFromEngine('r.0', 1)), undefined);
  assert.is(gate.open(sealedFromEngine('r.0', 1))?.code, 'seal-replayed', 'the same sequence twice');
  assert.is(gate.open(sealedFromEngine('r.0', 0))?.code, 'seal-replayed', 'an older sequence');
  const keyless = sealedFromEngine('k.0');
  delete keyless.client;
  assert.is(gate.open(keyless)?.code, 'seal-no-key');
  assert.is(log.lines.filter((l) => l.msg === 'refused a checkpoint').length, 5);
  assert.ok(log.lines.every((l) => typeof l.job === 'string' && Number.isInteger(l.fragment)), 'every line names the job and fragment');
});

test('a job key is pinned to the client that sealed its first checkpoint', () => {
  const gate = new SealGate('a', hubKeys, capturingLogger());
  assert.is(gate.open(sealedFromEngine('pin.0')), undefined);
  const other = createIdentity();
  const req = exec('pin.0', { handovers: 1, client: other.public });
  req.checkpoint = sealTo(other, hubKeys.public.seal, sealContext(req, 3, 1, 'engine', 'a'), plain);
  req.sealed = true;
  assert.is(gate.open(req)?.code, 'seal-no-key');
});

test('a hand-over is sealed to the next hub, which opens it as coming from this one', () => {
  const bKeys = createIdentity();
  const a = new SealGate('a', hubKeys, capturingLogger());
  const b = new SealGate('b', bKeys, capturingLogger());
  const req = exec('h.0', { keys: { a: hubKeys.public.seal, b: bKeys.public.seal } });
  const box = whole(a.sealForHub(req, plain, 5, 1, 'b', bKeys.public.seal, { headroom: 64 }));
  assert.ok(box.byteOffset >= 64, 'room left before it for framing');
  const arrived = exec('h.0', { keys: req.keys, from: 'a', fragment: 5, handovers: 1, checkpoint: box, sealed: true });
  assert.is(b.open(arrived), undefined);
  assert.equal([...arrived.checkpoint!], [...plain]);
});

test('a hand-over\'s seal is plaintext until enciphered, final only as far as asked, and opens once whole', () => {
  const bKeys = createIdentity();
  const a = new SealGate('a', hubKeys, capturingLogger());
  const b = new SealGate('b', bKeys, capturingLogger());
  const req = exec('h.2', { keys: { a: hubKeys.public.seal, b: bKeys.public.seal } });
  const state = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) >>> 2);
  const s = a.sealForHub(req, state, 5, 1, 'b', bKeys.public.seal, { headroom: 64 });
  const body = s.frame.subarray(SEAL_HEAD, SEAL_HEAD + state.length);
  assert.equal(Buffer.compare(body, state), 0, 'nothing enciphered before upTo');
  s.upTo(SEAL_HEAD + 1000);
  assert.not.equal(Buffer.compare(body.subarray(0, 1000), state.subarray(0, 1000)), 0, 'the first 1000 bytes enciphered');
  assert.equal(Buffer.compare(body.subarray(1000), state.subarray(1000)), 0, 'the rest not yet');
  s.upTo(500);
  s.upTo(SEAL_HEAD + 200_001);
  s.upTo(SEAL_HEAD + state.length);
  assert.ok(s.frame.subarray(-SEAL_TAIL).every((x) => x === 0), 'no tag before the end passes the body');
  s.upTo(s.frame.byteLength);
  s.upTo(s.frame.byteLength);
  assert.is(s.failed, undefined);
  const arrived = exec('h.2', { keys: req.keys, from: 'a', fragment: 5, handovers: 1, checkpoint: s.frame, sealed: true });
  assert.is(b.open(arrived), undefined, 'pieces of any size, each once, in order: the seal opens');
  assert.equal(Buffer.compare(arrived.checkpoint!, state), 0);
  assert.throws(() => new SealGate('x', false, capturingLogger()).sealForHub(req, state, 5, 1, 'b', bKeys.public.seal, {}), /insecure/);
  // A cipher that fails midway (here: its buffer transferred away under it) throws nothing
  // into the socket's flush; the seal says why, and takes no more.
  const lost = a.sealForHub(req, state.slice(), 5, 1, 'b', bKeys.public.seal, {});
  lost.upTo(SEAL_HEAD + 100);
  structuredClone(lost.frame.buffer, { transfer: [lost.frame.buffer as ArrayBuffer] });
  lost.upTo(SEAL_HEAD + 200_000);
  assert.instance(lost.failed, SealError);
  lost.upTo(Number.MAX_SAFE_INTEGER);
});

test('sealed and opened in place: no buffer of the checkpoint\'s size made, the same bytes out, tampering still refused', () => {
  const bKeys = createIdentity();
  const a = new SealGate('a', hubKeys, capturingLogger());
  const b = new SealGate('b', bKeys, capturingLogger());
  const req = exec('h.1', { keys: { a: hubKeys.public.seal, b: bKeys.public.seal } });
  const state = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) >>> 3);
  // As a slot leaves it: room before (frame and seal head) and after (the tag).
  const room = new Uint8Array(64 + SEAL_HEAD + state.length + SEAL_TAIL);
  const inRoom = room.subarray(64 + SEAL_HEAD, 64 + SEAL_HEAD + state.length);
  inRoom.set(state);
  const box = whole(a.sealForHub(req, inRoom, 5, 1, 'b', bKeys.public.seal, { headroom: 64, consume: true }));
  assert.is(box.buffer, room.buffer, 'sealed in the checkpoint\'s own buffer');
  assert.is(box.byteOffset, 64);
  assert.is(box.byteLength, SEAL_HEAD + state.length + SEAL_TAIL);
  // Without room it is sealed into a buffer of its own, whatever `consume` says.
  const tight = whole(a.sealForHub(req, state.slice(), 5, 1, 'b', bKeys.public.seal, { headroom: 64, consume: true }));
  assert.ok(tight.byteOffset >= 64);
  const copy = box.slice();
  const arrived = exec('h.1', { keys: req.keys, from: 'a', fragment: 5, handovers: 1, checkpoint: box, sealed: true });
  assert.is(b.open(arrived, true), undefined);
  assert.is(arrived.checkpoint!.buffer, room.buffer, 'opened where it arrived');
  assert.equal(Buffer.compare(arrived.checkpoint!, state), 0);
  // A flipped bit deep in the body: still 'tampered' when opened in place.
  copy[SEAL_HEAD + 150_000] ^= 1;
  const bad = exec('h.1', { keys: req.keys, from: 'a', fragment: 5, handovers: 2, checkpoint: copy, sealed: true });
  const c = new SealGate('b', bKeys, capturingLogger());
  assert.is(c.open(bad, true)?.code, 'seal-tampered');
});

test('for the engine, a result is signed (MAC\'d for the client alone without a record) and a state sealed; to the store, sealed to the client alone', () => {
  const gate = new SealGate('a', hubKeys, capturingLogger());
  const req = exec('e.2', { attempt: 2 });
  const done: RanReply = { kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, result: new Uint8Array([1, 2, 3]), execMs: 1, yields: 9 };
  const fields = { job: 'e.2', attempt: 2, hub: 'a', result: done.result!, yields: 9 };
  const macd = gate.forEngine(req, done);
  assert.is(macd.hub, 'a');
  assert.is(macd.sig, undefined);
  assert.ok(checkResultMac(engine, hubKeys.public.seal, fields, macd.mac), 'the client checks it with the key the hub advertises');
  assert.not.ok(checkResultMac(createIdentity(), hubKeys.public.seal, fields, macd.mac), 'no other client can');
  const signed = gate.forEngine(exec('e.2', { attempt: 2, record: 'e' }), done);
  assert.is(signed.mac, undefined, 'a record keeps a signature: others check it later');
  assert.ok(verify(hubKeys.public.sign, resultStatement(fields), signed.sig!));
  const paused: RanReply = { kind: 'ran', v: PROTOCOL_VERSION, outcome: 'paused', fragment: 4, checkpoint: plain, handovers: 2, execMs: 1, yields: 9 };
  const sealed = gate.forEngine(req, paused);
  assert.ok(sealed.sealed);
  assert.equal([...openFrom(engine, hubKeys.public.seal, sealContext(req, 4, 2, 'a', 'engine'), sealed.checkpoint!)], [...plain]);
  const stored = gate.sealStored(req, plain);
  assert.equal([...openAnon(engine, storedContext('e.2', 2, BUNDLE), stored)], [...plain]);
});

test('an insecure hub takes plain checkpoints and sends everything plain, but signs its results', () => {
  const gate = new SealGate('a', false, capturingLogger());
  const req = exec('i.0', { checkpoint: plain });
  assert.is(gate.open(req), undefined);
  assert.not.ok(gate.opened(req), 'nothing was authenticated');
  assert.is(gate.publicKeys, undefined);
  const out = gate.forEngine(req, { kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, execMs: 1, yields: 0 });
  // Issue 20: an engine takes no unsigned result in any mode, so --insecure hubs sign too.
  assert.ok(verify(gate.signKey, resultStatement({ job: 'i.0', attempt: 0, hub: 'a', result: new Uint8Array(0), yields: 0 }), out.sig!), 'signed with the key it advertises');
  assert.is(gate.sealStored(req, plain), plain);
});

test.run();
