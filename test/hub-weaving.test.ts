/**
 * Stay or move, decided by the hub holding a run (runtime/hub/weaving.ts), alone: a
 * slot's shared yield counter played by a number, other hubs by views, the learned
 * weaver taught by another hub's measurements as the shared history would bring them.
 * Also what a peer may put in the shared history, as an attacker with a valid
 * credential would try it, and adverts that are not adverts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LearnedWeaver, PaceModel, fixedReweavePolicy, type HubView, type PartView, type ReweavePolicy } from '../runtime/policy/index.js';
import { HubCore, PeerViews, RunsTable, Weaving, MOVES_PER_MINUTE, silentLogger, startIdleProbe, calibrateSpeed, PROBE_MS, type Run } from '../runtime/hub/internal.js';
import { SharedHistory, historyBucket } from '../runtime/engine/index.js';
import type { KeyedBucket } from '../runtime/net/index.js';
import { startNatsServer } from './helpers/nats-server.js';
import { connect } from 'nats';
import { PROTOCOL_VERSION, encodeMessage } from '../runtime/protocol/index.js';

const test = suite('hub weaving');

const BUNDLE = 'feedc0defeedc0defeedc0de';
const PART: PartView = { template: `${BUNDLE.slice(0, 16)}#0`, estimate: 1e4, calls: { simd: false, gpu: false } };
const T0 = 1_000_000;
/** Yield points per ms at full speed, and a job's size in them. */
const PACE = 10;
const TOTAL = 40_000;

function view(id: string, over: Partial<HubView> = {}): HubView {
  return { id, slots: 1, busy: 0, queue: 0, cpu: 0, speed: 1, caps: { avx2: true, gpu: false }, datasets: [], rttMs: 1, mbps: 1000, ...over };
}

/** A weaver that learned, from hub b's measurements (shared), what the template runs at and how big a job is. */
function taughtByB(): LearnedWeaver {
  const b = new LearnedWeaver({ seed: 3 });
  let t = T0 - 60_000;
  for (let job = 0; job < 6; job++) {
    for (let k = 0; k < 7; k++) b.observePace({ part: PART, hub: view('b', { busy: 1 }), units: 500 * PACE, ms: 500, t: (t += 500) });
    b.observePace({ part: PART, hub: view('b', { busy: 1 }), units: 500 * PACE, ms: 500, t: (t += 500), total: TOTAL });
  }
  const a = new LearnedWeaver({ seed: 1 });
  a.model.merge(b.model.history.snapshot('b'));
  return a;
}

interface Rig { weaving: Weaving; moves: string[]; run: Run; passed: { n: number } }

/** Hub 'a' running one job on its one slot at `pace` yield points per ms, 'b' and 'c' idle on its route. */
function rig(policy: ReweavePolicy, learner: LearnedWeaver | undefined, route = ['a', 'b', 'c']): Rig {
  const runs = new RunsTable({ size: 1, inFlight: () => 1 });
  const run = runs.start('j.0', { fragment: 0, bundle: BUNDLE, stateBytes: 1 << 20 });
  const passed = { n: 0 };
  const moves: string[] = [];
  const weaving = new Weaving({
    hub: 'a', policy, learner, log: silentLogger,
    slots: { size: 1, probe: () => ({ tag: run.tag, passed: passed.n, jobYields: passed.n }) },
    runOf: (slot, tag) => runs.byTag(slot, tag),
    peers: { views: () => [view('b'), view('c')] },
    self: () => view('a', { busy: 1 }),
    routeOf: () => route,
    move: (r, to) => { moves.push(to); r.move = { to, here: true }; },
  });
  return { weaving, moves, run, passed };
}

/** Looks every 500 ms while the slot passes `pace` yield points a ms; returns the look a move came at (or -1). */
function runAt(r: Rig, pace: number, looks: number): number {
  for (let i = 0; i <= looks; i++) {
    r.weaving.look(T0 + i * 500);
    if (r.moves.length) return i;
    r.passed.n += pace * 500;
  }
  return -1;
}

test('the learned re-weave moves a job off a hub that turned slow without advertising it', () => {
  const w = taughtByB();
  const r = rig(w.reweave, w);
  // Hub a advertises what b does, but runs at a fifth of the pace (a noisy neighbour).
  const at = runAt(r, PACE / 5, 20);
  assert.ok(at > 0, 'it moved');
  assert.ok(at <= 6, `it moved within 3 s of measuring (look ${at})`);
  assert.ok(['b', 'c'].includes(r.moves[0]), `to an idle hub of its route, got ${r.moves[0]}`);
  assert.is(r.weaving.counts.moves, 1);
});

test('the learned re-weave does not move a job between two equal hubs', () => {
  const w = taughtByB();
  const r = rig(w.reweave, w);
  // Hub a runs at the pace b measured: nothing to gain but the move's cost.
  assert.is(runAt(r, PACE, 60), -1, 'it stayed');
  assert.ok(r.weaving.counts.looks >= 50, `it looked (${r.weaving.counts.looks} times)`);
});

test('a window in which the machine starved the slot, between steady ones, moves nothing', () => {
  const w = taughtByB();
  const r = rig(w.reweave, w);
  // Warm up at b's pace, then every fifth window at a tenth of it: a busy machine, not a slow hub.
  for (let i = 0; i <= 40; i++) {
    r.weaving.look(T0 + i * 500);
    r.passed.n += (i > 4 && i % 5 === 0 ? PACE / 10 : PACE) * 500;
  }
  assert.is(r.moves.length, 0, `it moved to ${r.moves}`);
  assert.ok(r.weaving.counts.looks >= 35, `it looked (${r.weaving.counts.looks} times)`);
});

test('with no history of the other hubs it stays: a slow pace alone does not say another hub is faster', () => {
  const w = new LearnedWeaver({ seed: 1 });
  const r = rig(w.reweave, w);
  assert.is(runAt(r, PACE / 5, 20), -1);
});

test('the fixed rule, behind the same interface, sees only adverts: equal adverts, no move, however slow the run', () => {
  const r = rig(fixedReweavePolicy(), undefined);
  assert.is(runAt(r, PACE / 5, 20), -1);
});

test('a move goes only to a hub of the route the engine signed, and never more often than the safety limit', () => {
  const w = taughtByB();
  const off = rig(w.reweave, w, ['a', 'z']);
  assert.is(runAt(off, PACE / 5, 20), -1, 'b and c are not on the route: no move');
  const always: ReweavePolicy = { name: 'always', everyMs: 500, consider: () => ({ to: 'b', policy: 'always' }) };
  const runs = new RunsTable({ size: 1, inFlight: () => 1 });
  let run = runs.start('j.0', { fragment: 0, bundle: BUNDLE });
  let passed = 0;
  let moved = 0;
  const weaving = new Weaving({
    hub: 'a', policy: always, log: silentLogger, slots: { size: 1, probe: () => ({ tag: run.tag, passed, jobYields: passed }) },
    runOf: (slot, tag) => runs.byTag(slot, tag), peers: { views: () => [view('b')] }, self: () => view('a'), routeOf: () => ['a', 'b'],
    move: () => { moved++; },
  });
  // One job that comes back to this hub again and again within a minute.
  for (let i = 0; i < 40; i++) {
    run = runs.start('j.0', { fragment: 0, bundle: BUNDLE });
    weaving.look(T0 + i * 1000);
    passed += 1000;
    weaving.look(T0 + i * 1000 + 500);
    passed += 1000;
  }
  assert.is(moved, MOVES_PER_MINUTE, 'four moves in the 40 s, then none');
});

test('a peer speaks only for its own measurements in the shared history, within bounds', () => {
  const model = new PaceModel();
  const shared = new SharedHistory({ writer: 'a', model, open: () => Promise.reject(new Error('unused')), everyMs: 1000, log: silentLogger });
  const now = Date.now();
  const put = (key: string, value: unknown) => shared.heard(key, new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)));
  // Cells under another writer's name, or this hub's own, are not taken from peer 'm'.
  put('m', { version: 1, cells: { 'h|b': { b: [5, -50, 500, now] }, 'h|a': { a: [5, 50, 500, now] }, 'h|m': { m: [1, 0.5, 0.25, now] } } });
  assert.equal(Object.keys(model.history.snapshot().cells), ['h|m']);
  // Under its own name, about another hub: what only that hub measures. Refused.
  put('m', { version: 1, cells: { 'h|b': { m: [50, -500, 5000, now] }, 'H|b': { m: [50, -500, 5000, now] }, 'p|t|b': { m: [50, -500, 5000, now] }, 'h|m': { m: [1, 0.5, 0.25, now] } } });
  assert.equal(Object.keys(model.history.snapshot().cells), ['h|m']);
  // A cell from the future (it would never age), one that weighs more than everyone, garbage.
  put('m', { version: 1, cells: { 'h|m': { m: [1, 9, 81, now + 3_600_000] }, 'k|x|0': { m: [1e12, 1, 1, now] }, 'k|y|0': { m: ['1', 1, 1, now] } } });
  assert.equal(model.history.snapshot().cells['h|m'].m, [1, 0.5, 0.25, now]);
  assert.equal(Object.keys(model.history.snapshot().cells), ['h|m']);
  put('m', 'not json');
  put('m', { version: 2 });
  put('m', '{"version":1,"cells":null}');
  // Its own key is what it publishes, not news; nor its delta key.
  put('a', { version: 1, cells: { 'h|a': { a: [1, 1, 1, now] } } });
  put('a.d', { version: 1, cells: { 'h|a': { a: [1, 1, 1, now] } } });
  assert.equal(shared.counts, { merged: 3, refused: 3 });
  assert.equal(Object.keys(model.history.snapshot().cells), ['h|m']);
  // A delta key speaks for the writer it names, by the same rules: m's delta about b is refused.
  put('m.d', { version: 1, cells: { 'h|b': { m: [50, -500, 5000, now] }, 'h|m': { b: [1, 1, 1, now] }, 'k|z|0': { m: [1, 0.2, 0.04, now] } } });
  assert.equal(Object.keys(model.history.snapshot().cells).sort(), ['h|m', 'k|z|0']);
  assert.equal(Object.keys(model.history.snapshot().cells['h|m']), ['m']);
});

test('a hub puts what changed since its last put between whole values; a watcher merges both into the same history', async () => {
  const ns = await startNatsServer({ jetstream: true });
  const nc = await connect({ servers: ns.url });
  try {
    const puts: Array<{ key: string; cells: string[] }> = [];
    const open = async (): Promise<KeyedBucket> => {
      const b = await historyBucket(nc);
      return { watch: b.watch, put: (key, bytes) => { puts.push({ key, cells: Object.keys(JSON.parse(new TextDecoder().decode(bytes)).cells) }); return b.put(key, bytes); } };
    };
    const a = new PaceModel();
    const reader = new PaceModel();
    const writer = new SharedHistory({ writer: 'a', model: a, open, everyMs: 60_000, deltaEveryMs: 30, log: silentLogger });
    const watcher = new SharedHistory({ model: reader, open: () => historyBucket(nc), everyMs: 60_000, log: silentLogger });
    await writer.start();
    await watcher.start();
    const until = async (what: string, ok: () => boolean) => {
      for (const end = Date.now() + 5_000; !ok() && Date.now() < end;) await new Promise((r) => setTimeout(r, 10));
      assert.ok(ok(), what);
    };
    const t = Date.now();
    a.history.record('a', 'h|a', -0.5, t);
    a.history.record('a', 'k|x|0', 0.2, t);
    await until('the first put (whole) reached the watcher', () => reader.history.stat('k|x|0', t) !== undefined);
    a.history.record('a', 'h|a', -0.7, t + 1);
    await until('the change reached the watcher long before the next whole put', () => reader.history.snapshot().cells['h|a']?.a[3] === t + 1);
    assert.equal(puts[0], { key: 'a', cells: ['h|a', 'k|x|0'] }, 'whole first');
    assert.equal(puts.slice(1), [{ key: 'a.d', cells: ['h|a'] }], 'then only the cell that changed, under a.d');
    assert.equal(reader.history.snapshot(), a.history.snapshot('a'), 'the watcher holds what a holds');
    writer.stop();
    watcher.stop();
  } finally {
    await nc.close();
    await ns.stop();
  }
});

test('an idle hub that times itself slow is predicted slow before any job ran there; a busy one does not probe', async () => {
  const w = new LearnedWeaver({ seed: 1 });
  const calls: number[] = [];
  let shared = 0;
  let slowBy: number | undefined = 12;
  // Speed 1 advertised, so a quiet probe does 1 unit of the reference's work a ms; a
  // co-tenant makes it 12 times slower. `undefined`: a slot has work (no probe).
  const stop = startIdleProbe({
    calibrate: async (ms) => { calls.push(ms); return slowBy === undefined ? undefined : { units: ms, ms: ms * slowBy }; },
    learner: w, self: () => view('a'), everyMs: 5, recorded: () => { shared++; }, log: silentLogger,
  });
  try {
    // Three probes take 15 ms of timers; a loaded machine (three test files on two cores)
    // may hold the event loop far longer, so wait for them rather than for a fixed time.
    for (const until = Date.now() + 5_000; calls.length < 3 && Date.now() < until;) await new Promise((r) => setTimeout(r, 10));
    assert.ok(calls.length >= 3, `probed ${calls.length} times`);
    assert.ok(calls.every((ms) => ms === PROBE_MS), `each probe asks for ${PROBE_MS} ms`);
    assert.is(shared, calls.length, 'each probe recorded is shared at once');
    w.model.now = Date.now();
    const slow = w.model.hubTerm('a');
    assert.ok(slow < Math.log(1 / 3), `hub term ${slow.toFixed(2)}: 12x slower should read as well under a third`);
    assert.is(w.model.hubTerm('b'), 0, 'nothing said of another hub');
    slowBy = undefined;
    const before = w.model.history.generation;
    await new Promise((r) => setTimeout(r, 40));
    assert.is(w.model.history.generation, before, 'a busy hub records no probe');
    assert.ok(shared < calls.length, 'and shares none');
  } finally {
    stop();
  }
});

test('a slot times the calibration kernel as its fragments run: an emulated throttle counts', async () => {
  const quiet = await new HubCore('q', () => false, {}).handle({ kind: 'calibrate', v: PROTOCOL_VERSION, ms: 20 });
  const slow = await new HubCore('s', () => false, { throttle: 4 }).handle({ kind: 'calibrate', v: PROTOCOL_VERSION, ms: 20 });
  assert.is(quiet.kind, 'ok');
  const q = (quiet as { calibrated: { units: number; ms: number } }).calibrated;
  const s = (slow as { calibrated: { units: number; ms: number } }).calibrated;
  assert.ok(q.ms >= 20 && q.ms < 200 && q.units > 0, `quiet: ${JSON.stringify(q)}`);
  // The pace is the calibrated speed's (a mean of runs, not the fastest: within a factor of 4 on a busy machine).
  const speed = calibrateSpeed();
  assert.ok(q.units / q.ms > speed / 4 && q.units / q.ms < speed * 2, `pace ${(q.units / q.ms).toFixed(2)} against calibrated speed ${speed}`);
  assert.ok(s.ms >= 80, `a 4x throttle counts four times the time run: ${JSON.stringify(s)}`);
  const bounded = await new HubCore('b', () => false, {}).handle({ kind: 'calibrate', v: PROTOCOL_VERSION, ms: 1e9 });
  assert.ok((bounded as { calibrated: { ms: number } }).calibrated.ms < 1000, 'a probe asked for hours runs at most MAX_CALIBRATION_MS');
});

test('peer views come from ready adverts only, and noise on the advert subject changes nothing', () => {
  const peers = new PeerViews('a');
  const advert = (id: string, state = 'ready', everyMs = 1000) => encodeMessage({
    kind: 'advert', v: PROTOCOL_VERSION, id, state, caps: { cores: 2, avx2: true, gpu: false, memoryMiB: 1024, node: 'v20', arch: 'x64', speed: 1.5 },
    load: { slots: 2, busy: 1, queue: 0, cpu: 0.5, jobs: 1, rssMiB: 100, heldMiB: 0 }, datasets: [], labels: {}, everyMs, startedAt: 0, boot: 'b00t',
  } as never);
  peers.heard(advert('a'), 0);
  peers.heard(advert('b'), 0);
  peers.heard(advert('c', 'draining'), 0);
  peers.heard(new Uint8Array([1, 2, 3]), 0);
  peers.heard(encodeMessage({ kind: 'ping', v: PROTOCOL_VERSION }), 0);
  assert.equal(peers.views(100).map((v) => [v.id, v.speed, v.busy, v.slots]), [['b', 1.5, 1, 2]]);
  assert.equal(peers.views(10_000), [], 'not heard for three intervals: gone');
});

test.run();
