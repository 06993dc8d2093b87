/**
 * The routed engine's parts alone (a stand-in transport, no server): whose outcome an
 * attempt accepts, and what a failed attempt leads to: a retry elsewhere from the newest
 * stored state, or the error itself.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createIdentity, resultStatement, sign, type PublicIdentity } from '../runtime/net/index.js';
import { HubError, PROTOCOL_VERSION, TransportError, type RanReply } from '../runtime/protocol/index.js';
import { FragmentTrap } from '../runtime/exec/index.js';
import { JobProgress, RecoveryState, acceptOutcome, type AttemptKeys, type RoutedTransport, type StoredByHub } from '../runtime/engine/internal.js';
import { retryDelay } from '../runtime/engine/index.js';
import type { JobEvent } from '../runtime/trace/index.js';
import { eventEmitter } from '../runtime/trace/index.js';
import { decodeCheckpoint, diffCheckpoint, encodeCheckpoint, type Checkpoint } from '../runtime/snapshot/index.js';

const test = suite('engine routed parts');
const hubA = createIdentity();
const me = createIdentity();
const BUNDLE = 'ab'.repeat(32);

const keys = (extra: Partial<AttemptKeys> = {}): AttemptKeys => ({
  key: 'j.1', attempt: 1, me, hubKeys: new Map<string, PublicIdentity>([['a', hubA.public]]), holder: 'a', bundle: BUNDLE, entry: 'main', fragment: 0, ...extra,
});
const done = (over: Partial<RanReply> = {}): RanReply => ({ kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, result: new Uint8Array([4]), execMs: 1, yields: 3, hub: 'a', ...over });
const signedBy = (id = hubA, attempt = 1, hub = 'a') => sign(id, resultStatement({ job: 'j.1', attempt, hub, result: new Uint8Array([4]), yields: 3 }));

function code(f: () => unknown): string {
  try { f(); return 'accepted'; } catch (e) { return (e as { code?: string }).code ?? (e as Error).name; }
}

test('a result counts only when signed by a hub of the attempt, for this attempt', () => {
  assert.is(code(() => acceptOutcome(done({ sig: signedBy() }), keys())), 'accepted');
  assert.is(code(() => acceptOutcome(done({ sig: signedBy(createIdentity()) }), keys())), 'bad-signature');
  assert.is(code(() => acceptOutcome(done({ sig: signedBy(hubA, 2) }), keys())), 'bad-signature');
  assert.is(code(() => acceptOutcome(done(), keys())), 'bad-signature', 'unsigned');
  assert.is(code(() => acceptOutcome(done({ hub: 'z', sig: signedBy(hubA, 1, 'z') }), keys())), 'bad-signature', 'a hub the attempt was not given');
  assert.is(code(() => acceptOutcome(done({ checkpoint: new Uint8Array(4), outcome: 'paused' }), keys())), 'bad-signature', 'a state sent unsealed');
});

test('error replies become a trap or a HubError naming the hub', () => {
  const trap = () => acceptOutcome({ kind: 'error', v: PROTOCOL_VERSION, code: 'trap', message: 'unreachable' }, keys());
  assert.throws(trap, (e: Error) => e instanceof FragmentTrap);
  // Top-level code that traps does so on every hub: the program's trap, not the hub's error.
  const start = () => acceptOutcome({ kind: 'error', v: PROTOCOL_VERSION, code: 'start-trap', message: "the module's start function trapped: divide by zero" }, keys());
  assert.throws(start, (e: Error) => e instanceof FragmentTrap && e.message === "the module's start function trapped: divide by zero");
  assert.throws(() => acceptOutcome({ kind: 'error', v: PROTOCOL_VERSION, code: 'draining', message: 'going' }, keys()), (e: Error) => e instanceof HubError && e.message === 'hub a: going');
  assert.is(code(() => acceptOutcome({ kind: 'pong', v: PROTOCOL_VERSION, hub: 'a' }, keys())), 'bad-reply');
});

/** A transport with the hubs given, and `stored` answering from a map of what each hub stored. */
function transport(hubs: string[], stored = new Map<string, StoredByHub[]>()): RoutedTransport {
  return {
    kind: 'routed', hubs: () => hubs.map((id) => ({ id })), request: async () => ({ kind: 'ok', v: PROTOCOL_VERSION }),
    submit: async () => ({ kind: 'ok', v: PROTOCOL_VERSION }), stored: async (k, only) => (stored.get(k) ?? []).filter((s) => !only || only.includes(s.hub)), forgetStored: async () => {},
    jobs: async () => undefined, fence: () => {}, move: async () => false, placed: () => () => {}, running: () => false, close: async () => {},
  };
}

function recovery(hubs: string[], extra: { signal?: AbortSignal; deadline?: boolean } = {}) {
  const events: JobEvent[] = [];
  const progress = new JobProgress('j', { args: [] }, eventEmitter((e) => events.push(e), () => 'j'), [0, 1], 0);
  const r = new RecoveryState({ transport: transport(hubs), me, bundleHash: BUNDLE, storing: false, progress, ...extra }, 0);
  return { r, progress, events };
}
const ANY = { requires: [], prefers: [], datasets: [] };

test('a stored diff is applied to the stored full checkpoint it is against, and ignored when it is against another', async () => {
  const memory = new Uint8Array(65536);
  const base: Checkpoint = { kind: 'full', id: 'f1', bundle: BUNDLE, entry: 'main', fragment: 1, paused: true, yields: 10, memory };
  const next: Checkpoint = { ...base, id: 'f2', yields: 20, memory: memory.slice() };
  next.memory[5000] = 7;
  const stored = new Map([['j.0', [{ hub: 'a', full: encodeCheckpoint(base), diff: encodeCheckpoint(diffCheckpoint(base, next)) }]]]);
  const progress = new JobProgress('j', { args: [] }, eventEmitter(() => {}, () => 'j'), [0, 1], 0);
  const r = new RecoveryState({ transport: transport(['a'], stored), me, bundleHash: BUNDLE, storing: true, progress }, 0);
  const got = decodeCheckpoint((await r.storedOf('j.0', 0, ['a']))!);
  assert.is(got.kind === 'full' && got.yields, 20);
  assert.is(got.kind === 'full' && got.memory[5000], 7);
  stored.get('j.0')![0].full = encodeCheckpoint({ ...base, id: 'f0' });
  const older = decodeCheckpoint((await r.storedOf('j.0', 0, ['a']))!);
  assert.is(older.kind === 'full' && older.yields, 10, 'a diff against another base is not applied');
});

test('a lost attempt that stored nothing restarts from the newest checkpoint an earlier attempt stored, not from its own older start', async () => {
  // Attempt 1 began from the start (the store could not be read then: a cluster electing a
  // leader) though attempt 0 had stored yield 20 on hub a; attempt 1 is lost before storing.
  const memory = new Uint8Array(65536);
  const cp20: Checkpoint = { kind: 'full', id: 'a20', bundle: BUNDLE, entry: 'main', fragment: 1, paused: true, yields: 20, memory };
  const stored = new Map([['j.0', [{ hub: 'a', full: encodeCheckpoint(cp20) }]]]);
  const progress = new JobProgress('j', { args: [] }, eventEmitter(() => {}, () => 'j'), [0, 1], 0);
  const r = new RecoveryState({ transport: transport(['a', 'b'], stored), me, bundleHash: BUNDLE, storing: true, progress }, 0);
  const a0 = progress.attempt('j.0', 0, 'a', 0, 0);
  a0.onProgress({ kind: 'progress', v: PROTOCOL_VERSION, stored: true, job: 'j.0', hub: 'a', to: 'a', fragment: 1, fragments: 0, bytes: 1, execMs: 0, yields: 20, pausedAt: 0, resumedAt: 0 });
  const a1 = progress.attempt('j.1', 1, 'b', 0, 0);
  await r.failed(new TransportError('hub b missed 4 heartbeats', { code: 'hub-lost' }), a1, 0);
  assert.is(r.recoveries[0].fromYields, 20);
  assert.is(r.stateKey, 'j.0', 'the state is the one attempt 0 stored');
});

test('a recovery that reads less than the hubs reported stored reads again, and restarts from what they stored', async () => {
  // A read right after a store answers with nothing (a replica catching up): the hub said
  // yield 30 was stored, so the recovery waits for it rather than restart from the start.
  const memory = new Uint8Array(65536);
  const cp30: Checkpoint = { kind: 'full', id: 'a30', bundle: BUNDLE, entry: 'main', fragment: 1, paused: true, yields: 30, memory };
  const stored = new Map<string, StoredByHub[]>();
  const t = transport(['a', 'b'], stored);
  let reads = 0;
  const read = t.stored;
  t.stored = async (k, only) => { if (++reads === 3) stored.set('j.0', [{ hub: 'a', full: encodeCheckpoint(cp30) }]); return read(k, only); };
  const progress = new JobProgress('j', { args: [] }, eventEmitter(() => {}, () => 'j'), [0, 1], 0);
  const r = new RecoveryState({ transport: t, me, bundleHash: BUNDLE, storing: true, progress }, 0);
  const a0 = progress.attempt('j.0', 0, 'a', 0, 0);
  a0.onProgress({ kind: 'progress', v: PROTOCOL_VERSION, stored: true, job: 'j.0', hub: 'a', to: 'a', fragment: 1, fragments: 0, bytes: 1, execMs: 0, yields: 30, pausedAt: 0, resumedAt: 0 });
  await r.failed(new TransportError('hub a missed 4 heartbeats', { code: 'hub-lost' }), a0, 0);
  assert.is(r.recoveries[0].fromYields, 30);
  assert.ok(reads >= 3, `read ${reads} times`);
});

test('of what several hubs stored for an attempt, the state with the most yield points is the one restarted from', async () => {
  // A job that moved a -> b -> a: a's diff is against a's own full one, b's full one is
  // newer than a's full one but older than a's diff; b's late write must not win.
  const memory = new Uint8Array(65536);
  const cp = (id: string, yields: number): Checkpoint => ({ kind: 'full', id, bundle: BUNDLE, entry: 'main', fragment: 1, paused: true, yields, memory: memory.slice() });
  const a1 = cp('a1', 10);
  const a3 = { ...cp('a3', 30), memory: memory.slice().fill(3, 0, 10) };
  const stored = new Map([['j.0', [
    { hub: 'b', full: encodeCheckpoint(cp('b2', 20)) },
    { hub: 'a', full: encodeCheckpoint(a1), diff: encodeCheckpoint(diffCheckpoint(a1, a3)) },
  ]]]);
  const progress = new JobProgress('j', { args: [] }, eventEmitter(() => {}, () => 'j'), [0, 1], 0);
  const r = new RecoveryState({ transport: transport(['a', 'b'], stored), me, bundleHash: BUNDLE, storing: true, progress }, 0);
  const got = decodeCheckpoint((await r.storedOf('j.0', 0, ['a', 'b']))!);
  assert.is(got.kind === 'full' && got.yields, 30);
  assert.is(got.kind === 'full' && got.memory[3], 3);
  stored.get('j.0')!.push({ hub: 'c', full: encodeCheckpoint(cp('c4', 40)) });
  // A recovery looks at the hubs that held the attempt, by name, not at a listing.
  const held = decodeCheckpoint((await r.storedOf('j.0', 0, ['a', 'b']))!);
  assert.is(held.kind === 'full' && held.yields, 30, 'only the hubs named are looked at');
  const newest = decodeCheckpoint((await r.storedOf('j.0', 0, ['a', 'b', 'c']))!);
  assert.is(newest.kind === 'full' && newest.yields, 40);
});

test('a lost hub rests and the job is retried elsewhere after a short backoff, with a recovery event', async () => {
  const { r, progress, events } = recovery(['a', 'b']);
  const a = progress.attempt('j.0', 0, 'a', 0, 0);
  await r.failed(new TransportError('gone', { code: 'hub-lost' }), a, 0);
  assert.equal((await r.hubsFor(ANY, 0)).map((h) => h.id), ['b']);
  assert.equal(events.map((e) => e.kind), ['retry', 'recovery']);
  assert.equal(r.note, { reason: 'retry', from: 'start' });
  assert.equal(r.moveOut, { from: 'a', reason: 'recovery' });
  assert.is(r.recoveries.length, 1);
});

test('what is not worth retrying is thrown as it is; failures on one hub make it rest, not end the job', async () => {
  const { r, progress } = recovery(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  const a = progress.attempt('j.0', 0, 'a', 0, 0);
  const trap = new FragmentTrap('unreachable', 0, 'main');
  await r.failed(trap, a, 0).then(() => assert.unreachable('retried a trap'), (e) => assert.is(e, trap));
  const { r: r2, progress: p2 } = recovery(['a', 'b']);
  const draining = new HubError('draining', 'going');
  // Ten failures in a row (more than the stepwise engine's six) leave the job waiting for hubs, not failed.
  for (let i = 0; i < 10; i++) await r2.failed(draining, p2.attempt(`j.${i}`, i, i % 2 ? 'a' : 'b', 0, 0), 0);
  assert.equal(r2.budget.restingNow(Date.now()).sort(), ['a', 'b']);
});

test('failures coming too fast spend the per-time budget and end the job with the last error', async () => {
  const { r, progress } = recovery(['a', 'b']);
  const draining = new HubError('draining', 'going');
  let thrown: unknown;
  for (let i = 0; i < 40 && !thrown; i++) await r.failed(draining, progress.attempt(`j.${i}`, i, 'a', 0, 0), 0).catch((e) => { thrown = e; });
  assert.is(thrown, draining);
});

test('with no hub the next attempt waits, says why once, and its stop ends the wait with no-hubs', async () => {
  const ctl = new AbortController();
  const { r, events } = recovery([], { signal: ctl.signal });
  const wait = r.hubsFor(ANY, 0);
  setTimeout(() => ctl.abort(), 300);
  await wait.then(() => assert.unreachable('found a hub'), (e: Error) => {
    assert.is((e as { code?: string }).code, 'no-hubs');
    assert.match(e.message, /no hubs are available/);
  });
  assert.equal(events.map((e) => e.kind), ['waiting']);
});

test('a hub that comes while the job waits is taken', async () => {
  const hubs: string[] = [];
  const events: JobEvent[] = [];
  const progress = new JobProgress('j', { args: [] }, eventEmitter((e) => events.push(e), () => 'j'), [0, 1], 0);
  const r = new RecoveryState({ transport: { ...transport([]), hubs: () => hubs.map((id) => ({ id })) }, me, bundleHash: BUNDLE, storing: false, progress }, 0);
  const wait = r.hubsFor(ANY, 0);
  setTimeout(() => hubs.push('late'), 200);
  assert.equal((await wait).map((h) => h.id), ['late']);
  assert.is(r.waiting, undefined);
});

test('live hubs lacking what the job requires fail it at once without a deadline, and make it wait with one', async () => {
  const gpu = { requires: ['gpu' as const], prefers: [], datasets: [] };
  const { r } = recovery(['a']);
  await r.hubsFor(gpu, 0).then(() => assert.unreachable(), (e: Error) => assert.is((e as { code?: string }).code, 'no-capable-hub'));
  const ctl = new AbortController();
  const { r: r2, events } = recovery(['a'], { signal: ctl.signal, deadline: true });
  setTimeout(() => ctl.abort(), 200);
  await r2.hubsFor(gpu, 0).then(() => assert.unreachable(), (e: Error) => assert.is((e as { code?: string }).code, 'no-capable-hub'));
  assert.equal(events.map((e) => e.kind), ['waiting']);
});

test("a hub that could not reach what it needed (transport-*) is retried after a backoff; its own faults are not", () => {
  const wait = retryDelay(new HubError('transport-transport', 'hub x: bundle ab12 is not cached here and cannot be fetched'), 0);
  assert.ok(wait !== undefined && wait > 0, `backoff ${wait}`);
  assert.is(retryDelay(new HubError('internal', 'hub x: TypeError'), 0), undefined);
  assert.is(retryDelay(new HubError('bad-request', 'hub x: no'), 0), undefined);
});

test.run();
