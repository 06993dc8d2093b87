/**
 * How an engine judges hubs' lives (runtime/engine/liveness.ts), with a clock of its own,
 * in the orders a loaded machine delivers adverts and heartbeats in. The first two cases
 * are the one a CI run met: a hub killed before a server restart came back slowly, and its
 * job was taken away from it as "restarted" the moment the new process's first beat came.
 * The first is the order hubs now keep (beat, then advert); the second is the order that
 * failed (advert first), which the engine must survive too: it fails without the engine's
 * dropping of another boot's beats.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createIdentity, heartbeatStatement, sign, type Identity } from '../runtime/net/index.js';
import { PROTOCOL_VERSION, type HubAdvert } from '../runtime/protocol/index.js';
import { HubLiveness } from '../runtime/engine/internal.js';
import { RESUME_GRACE_MS } from '../runtime/engine/liveness.js';

const test = suite('liveness');
const BEAT = 200;
const ADVERT = 2000;

/** Each hub's signing key (the one its adverts name and its beats are signed with). */
const keys = new Map<string, Identity>();
const keyOf = (hub: string) => { if (!keys.has(hub)) keys.set(hub, createIdentity()); return keys.get(hub)!; };

function advert(id: string, boot: string, extra: Partial<HubAdvert> = {}): HubAdvert {
  return {
    kind: 'advert', v: PROTOCOL_VERSION, id, state: 'ready', caps: { cores: 2, avx2: true, gpu: false, memoryMiB: 4096, node: 'v22', arch: 'x64' },
    load: { slots: 2, busy: 0, queue: 0, cpu: 0, jobs: 0, rssMiB: 100, heldMiB: 0, dataRemoteBytes: 0, gpuCalls: 0 },
    datasets: [], labels: {}, running: [], everyMs: ADVERT, startedAt: 0, boot, signer: keyOf(id).public.sign, ...extra,
  };
}
let seq = 0;
/** A beat of `hub`'s process `boot`, signed with `by` (the hub's own key unless given). */
function beat(hub: string, boot: string, by = keyOf(hub), n = seq++) {
  const b = { hub, boot, seq: n, everyMs: BEAT, yields: [] as number[] };
  return { ...b, sig: sign(by, heartbeatStatement(b)) };
}

/** Beats of `hubs` every BEAT ms over [from, to). */
function beats(live: HubLiveness, hubs: Array<[string, string]>, from: number, to: number): void {
  for (let t = from; t < to; t += BEAT) for (const [h, boot] of hubs) live.beat(beat(h, boot), t);
}

/**
 * Hubs x and y beat; x is killed at 3 s, the server restarts at 4 s (no beats at all for
 * two seconds), and y beats on until 20 s, when a new x process comes back.
 */
function killedBeforeServerRestart(): HubLiveness {
  const live = new HubLiveness();
  live.advert(advert('x', 'old-x'), 0);
  live.advert(advert('y', 'y1'), 0);
  beats(live, [['x', 'old-x'], ['y', 'y1']], 0, 3000);
  beats(live, [['y', 'y1']], 3000, 4000);
  beats(live, [['y', 'y1']], 6000, 20_000);
  return live;
}

test('a hub restarted after a server restart is judged by its own beats, not the old process\'s', () => {
  const live = killedBeforeServerRestart();
  // The new x process advertises at 20 s, its first beats just before it.
  live.beat(beat('x', 'new-x'), 19_950);
  live.advert(advert('x', 'new-x'), 20_000);
  assert.ok(live.adverts(20_000).some((a) => a.id === 'x'));
  assert.not.ok(live.silent('x', 20_000));
  const boots = new Map<string, string>();
  assert.is(live.lost('x', boots, 20_000), undefined);
  beats(live, [['x', 'new-x'], ['y', 'y1']], 20_150, 25_000);
  assert.is(live.lost('x', boots, 25_000), undefined, 'the process the job was given to still beats');
});

test('an advert of a new boot drops the old process\'s beats, whichever came first', () => {
  const live = killedBeforeServerRestart();
  // The advert of the new process comes before its first beat (a hub of a build that advertised first).
  live.advert(advert('x', 'new-x'), 20_000);
  const boots = new Map<string, string>();
  assert.is(live.lost('x', boots, 20_000), undefined, 'judged by its adverts until it beats');
  assert.is(boots.get('x'), 'new-x');
  live.beat(beat('x', 'new-x'), 20_100);
  assert.is(live.lost('x', boots, 20_100), undefined);
});

/** Hubs x and y advertised and beating for 2 s; x holds a job (its boots map). */
function twoBeating(): { live: HubLiveness; boots: Map<string, string> } {
  const live = new HubLiveness();
  live.advert(advert('x', 'x1'), 0);
  live.advert(advert('y', 'y1'), 0);
  beats(live, [['x', 'x1'], ['y', 'y1']], 0, 2000);
  const boots = new Map<string, string>();
  assert.is(live.lost('x', boots, 2000), undefined);
  return { live, boots };
}

test('a killed holder is lost after 4 missed beats while others beat; a restarted one at its first beat', () => {
  const { live, boots } = twoBeating();
  beats(live, [['y', 'y1']], 2000, 3000);
  assert.match(live.lost('x', boots, 2900) ?? '', /missed \d+ heartbeats/);
  assert.ok(live.silent('x', 2900), 'no place for new work either');
  live.beat(beat('x', 'x2'), 3000);
  assert.match(live.lost('x', boots, 3000) ?? '', /restarted while holding the job/);
});

test('when every hub falls silent (a server restart), nobody is taken for dead at once', () => {
  const { live, boots } = twoBeating();
  assert.is(live.lost('x', boots, 5000), undefined, 'silence of all hubs is not x\'s');
  assert.not.ok(live.silent('x', 5000));
  // y beats again after the restart, x never does: x's adverts lapse at 3 intervals.
  beats(live, [['y', 'y1']], 5000, 5901);
  assert.is(live.lost('x', boots, 5900), undefined, 'beats resumed after x\'s last: x gets time to reconnect');
  beats(live, [['y', 'y1']], 5901, 6101);
  assert.match(live.lost('x', boots, 6100) ?? '', /went silent/, 'or until its adverts lapse, when sooner');
});

test('a hub killed just before a server restart is lost once the others have beaten again for a while, before its adverts lapse', () => {
  const live = new HubLiveness();
  const boots = new Map<string, string>();
  for (const t of [0, 2000]) { live.advert(advert('x', 'x1'), t); live.advert(advert('y', 'y1'), t); }
  beats(live, [['x', 'x1'], ['y', 'y1']], 0, 2100);
  assert.is(live.lost('x', boots, 2100), undefined);
  // x is killed at 2100 and the server restarts: no beats until 3000, then y's only.
  const grace = 3000 + RESUME_GRACE_MS;
  beats(live, [['y', 'y1']], 3000, grace - 99);
  live.advert(advert('y', 'y1'), 4000);
  assert.is(live.lost('x', boots, grace - 100), undefined, 'x may still be reconnecting');
  beats(live, [['y', 'y1']], grace - 99, grace + 301);
  assert.match(live.lost('x', boots, grace + 300) ?? '', /missed \d+ heartbeats/);
  assert.ok(3000 + RESUME_GRACE_MS + 300 < 2000 + 3 * ADVERT, 'before its adverts lapse');
});

test('a live hub that beats again soon after a server restart is not lost', () => {
  const { live, boots } = twoBeating();
  beats(live, [['y', 'y1']], 3000, 3400);
  beats(live, [['x', 'x1'], ['y', 'y1']], 3400, 8000);
  for (let t = 3000; t <= 8000; t += 100) assert.is(live.lost('x', boots, t), undefined, `at ${t}`);
});

test('a hub\'s first beat, before its advert, counts once the advert comes: paused at once, it is silent in 800 ms, not 6 s', () => {
  const live = new HubLiveness();
  live.advert(advert('y', 'y1'), 0);
  beats(live, [['y', 'y1']], 0, 200);
  // A new process of x beats once (refused for now: no advert of its key yet), advertises, and is paused.
  assert.not.ok(live.beat(beat('x', 'x1'), 100));
  assert.ok(live.advert(advert('x', 'x1'), 150));
  beats(live, [['y', 'y1']], 200, 1101);
  assert.ok(live.silent('x', 1100), 'its beat at 100 was taken, and it has been silent since');
  const boots = new Map<string, string>();
  assert.match(live.lost('x', boots, 1100) ?? '', /missed \d+ heartbeats/);
});

test('a hub killed right after it started and started again is no place for work while its old advert lasts; a live one is', () => {
  const live = new HubLiveness();
  live.advert(advert('y', 'y1'), 0);
  // Process x1 advertises and is killed before it beats; x2 starts and beats, its advert
  // (other keys) refused while x1's lasts.
  live.advert(advert('x', 'x1', { keys: createIdentity().public }), 100);
  assert.not.ok(live.replaced('x', 3000));
  assert.not.ok(live.beat(beat('x', 'x2', createIdentity()), 3000));
  assert.not.ok(live.advert(advert('x', 'x2', { keys: createIdentity().public }), 3050));
  assert.ok(live.replaced('x', 3050), 'another process beats: the advertised one is gone');
  // A live hub beating on is not marked by beats of another boot someone sends between its own.
  for (let t = 3000; t < 4000; t += BEAT) {
    live.beat(beat('y', 'y1'), t);
    live.beat(beat('y', 'y-forged', createIdentity()), t + 10);
    assert.not.ok(live.replaced('y', t + 20) || live.replaced('y', t + BEAT - 1), `at ${t}`);
  }
  // Once its own beats stop, the other process's count.
  assert.ok(live.replaced('y', 3800 + 2 * BEAT + 1));
});

test('a holder killed while every other hub is paused or restarting is lost in 800 ms when a restarted one beats, its advert not yet taken', () => {
  const live = new HubLiveness();
  live.advert(advert('x', 'x1'), 0);
  live.advert(advert('z', 'z1', { keys: createIdentity().public }), 0);
  beats(live, [['x', 'x1']], 0, 1000);
  // z's old process died at 0 without a beat; z2 beats from 900 on, its advert (new keys) refused for now.
  assert.not.ok(live.advert(advert('z', 'z2', { keys: createIdentity().public }), 900));
  const boots = new Map<string, string>();
  for (let t = 900; t < 2200; t += BEAT) live.beat(beat('z', 'z2', createIdentity()), t);
  assert.is(live.lost('x', boots, 1500), undefined, 'x beat at 800: not yet');
  assert.match(live.lost('x', boots, 1700) ?? '', /missed \d+ heartbeats/, 'not only once its adverts lapse, at 6 s');
});

test('the only hub beating is a restarted one: when its advert is taken, its beats do not look like beats resuming after a silence', () => {
  const live = new HubLiveness();
  live.advert(advert('z', 'z1', { keys: createIdentity().public }), 0);
  live.advert(advert('x', 'x1'), 4000);
  beats(live, [['x', 'x1']], 4000, 5000);
  // x is paused after its beat at 4800; z's new process beats from 4100, its advert taken once z1's lapses (6 s).
  const z2 = createIdentity();
  for (let t = 4100; t < 6000; t += BEAT) live.beat(beat('z', 'z2', z2), t);
  assert.ok(live.advert(advert('z', 'z2', { keys: createIdentity().public, signer: z2.public.sign }), 6050));
  live.beat(beat('z', 'z2', z2), 6100);
  assert.match(live.lost('x', new Map(), 6150) ?? '', /missed \d+ heartbeats/, 'not 1.6 s after z2 was taken');
});

test('an early beat not signed by the key its advert then names is not taken', () => {
  const live = new HubLiveness();
  const forger = createIdentity();
  live.beat(beat('z', 'z1', forger), 100);
  live.advert(advert('z', 'z1'), 200);
  assert.not.ok(live.silent('z', 5000), 'no beat of z was taken: judged by its adverts');
  assert.not.ok(live.beat(beat('z', 'z1', forger), 300));
});

test('a hub that does not beat is judged by its adverts; one that stops is lost at once', () => {
  const live = new HubLiveness();
  live.advert(advert('x', 'x1'), 0);
  const boots = new Map<string, string>();
  assert.is(live.lost('x', boots, 5999), undefined);
  assert.match(live.lost('x', boots, 6001) ?? '', /stopped advertising/);
  live.advert(advert('x', 'x1', { state: 'stopped' }), 6100);
  assert.match(live.lost('x', new Map(), 6100) ?? '', /stopped while holding the job/);
  assert.equal(live.adverts(6100).map((a) => a.id), []);
});

test('an advert with other keys under a live hub\'s id is refused until the hub\'s adverts lapse', () => {
  const live = new HubLiveness();
  const real = createIdentity().public;
  assert.ok(live.advert(advert('x', 'x1', { keys: real }), 0));
  assert.not.ok(live.advert(advert('x', 'x2', { keys: createIdentity().public }), 1000));
  assert.is(live.advertOf('x')?.advert.boot, 'x1');
  assert.ok(live.advert(advert('x', 'x2', { keys: createIdentity().public }), 7000), 'a restarted hub, after its old adverts lapsed');
});

test('beats not signed by the advertised key, replayed, or of a hub never heard advertising are refused: a dead hub stays dead', () => {
  const live = new HubLiveness();
  live.advert(advert('x', 'x1'), 0);
  live.advert(advert('y', 'y1'), 0);
  const first = beat('x', 'x1');
  assert.ok(live.beat(first, 0));
  beats(live, [['x', 'x1'], ['y', 'y1']], 200, 2000);
  // x dies at 2 s; a peer keeps beating for it, forged and replayed, while y beats on.
  for (let t = 2000; t < 4000; t += BEAT) {
    assert.not.ok(live.beat(beat('x', 'x1', createIdentity()), t), 'a beat signed with another key');
    assert.not.ok(live.beat(first, t), 'a replayed beat');
    assert.not.ok(live.beat({ ...beat('x', 'x1'), seq: 10_000, yields: [5] }, t), 'a signed beat altered');
    live.beat(beat('y', 'y1'), t);
  }
  assert.match(live.lost('x', new Map(), 4000) ?? '', /missed \d+ heartbeats/);
  assert.not.ok(live.beat(beat('z', 'z1'), 4000), 'a hub that never advertised');
});

test.run();
