/**
 * Re-weaving: the engine moves a running fragment, mid-fragment, to a clearly faster hub,
 * and not back and forth between two about equal ones. The decision is checked as a pure
 * function; the move itself on real hub processes, one of which becomes 10x slower
 * mid-job (`hub start --throttle-at`).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cases, plainResult, valueBytes } from './helpers/programs.js';
import { runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { connectMesh, reweaver, runJob, sharedWeaver, type HubInfo, type JobResult } from '../runtime/engine/index.js';
import { silentLogger } from '../runtime/hub/index.js';
import { loadBundle } from '../runtime/exec/index.js';
import { readFileSync, rmSync } from 'node:fs';
import type { PlacementPolicy } from '../runtime/policy/index.js';
import { slowCases } from './helpers/slow.js';

const test = suite('reweave');
let ns: NatsServer | undefined;
let ns2: NatsServer | undefined;
let hubs: HubProcess[] = [];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const hub = (id: string, speed: number, busy = 0, slots = 1): HubInfo => ({ id, caps: { speed }, load: { slots, busy, queue: 0, cpu: 0 } });

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
  await ns2?.stop();
});

/** Where hub e1 of the learned-hubs test logs what it measures. */
const MEASURED = 'build/test/reweave-measurements.ndjson';

/** A placement that always starts the job on `hub`. */
const pinTo = (hub: string): PlacementPolicy => ({ name: 'pin', choose: () => ({ hub, policy: 'pin' }) });

test('a clearly faster hub wins only after it is confirmed, and not within the cooldown', () => {
  const rw = reweaver({ gain: 1.5, confirm: 2, cooldownMs: 3000, random: () => 0 }, 0);
  const view = [hub('a', 1, 1), hub('b', 4)];
  assert.is(rw.consider('a', view, 1000), undefined, 'one view is not enough');
  assert.is(rw.consider('a', view, 2000), undefined, 'still within the cooldown from the start');
  assert.is(rw.consider('a', view, 3500), 'b', 'confirmed and past the cooldown');
  assert.is(rw.consider('b', [hub('a', 4), hub('b', 1, 1)], 4000), undefined, 'a new move needs a new confirmation');
  assert.is(rw.consider('b', [hub('a', 4), hub('b', 1, 1)], 5000), undefined, 'and the cooldown after the last move');
  assert.is(rw.consider('b', [hub('a', 4), hub('b', 1, 1)], 8000), undefined, 'which doubled: 6 s after the move at 3.5 s');
  assert.is(rw.consider('b', [hub('a', 4), hub('b', 1, 1)], 9600), 'a', 'and then it moves');
});

test('a confirmed move is taken with the move chance only: a herd of engines seeing one idle hub moves by halves', () => {
  let r = 0.7;
  const rw = reweaver({ confirm: 1, cooldownMs: 0, moveChance: 0.5, random: () => r }, 0);
  const view = [hub('a', 1, 1), hub('b', 4)];
  assert.is(rw.consider('a', view, 1000), undefined, 'the draw said stay');
  r = 0.2;
  assert.is(rw.consider('a', view, 2000), 'b');
  const herd = Array.from({ length: 1000 }, (_, i) => reweaver({ confirm: 1, cooldownMs: 0, random: () => (i + 0.5) / 1000 }, 0));
  const moved = herd.filter((x) => x.consider('a', view, 1000) === 'b').length;
  assert.is(moved, 500, 'half of a thousand engines move at the first look');
});

test('hubs of about the same pace never trade a fragment', () => {
  const rw = reweaver({ cooldownMs: 0, random: () => 0 }, 0);
  for (let t = 0; t < 20; t++) {
    const [a, b] = t % 2 ? [1.2, 1] : [1, 1.2];
    assert.is(rw.consider('a', [hub('a', a, 1), hub('b', b)], t * 1000), undefined);
  }
});

test('a busy hub is no better than its free slots allow; a lost holder is not re-weaving business', () => {
  const rw = reweaver({ cooldownMs: 0, confirm: 1, random: () => 0 }, 0);
  assert.is(rw.consider('a', [hub('a', 1, 1), hub('b', 4, 4, 1)], 1), undefined, 'b is fast but has 4 runs on 1 slot');
  assert.is(rw.consider('gone', [hub('a', 1), hub('b', 4)], 2), undefined);
});

slowCases(test)('the hub running a job becomes 10x slower; the engine moves it and the result is bit-exact', async () => {
  mkdirSync('build/test', { recursive: true });
  const b = await buildModule(['examples/particles.ts', '-o', 'build/test/reweave-particles.wasm', '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
  ns = await startNatsServer();
  // The job starts where its data is (--reads): 'a-slow', which slows down 2 s after it starts.
  writeFileSync('build/test/reweave-points.bin', new Uint8Array(64));
  hubs = [
    await startHubProcess(ns.url, 'a-slow', ['--slots', '1', '--no-gpu', '--throttle-at', '2000:10', '--data', 'points=build/test/reweave-points.bin']),
    await startHubProcess(ns.url, 'b-fast', ['--slots', '1', '--no-gpu']),
  ];
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  const raw = [2000, 20_000];
  const r = await runCli('weave', ['run', 'build/test/reweave-particles.wasm', ...raw.map(String), '--nats', ns.url, '--reads', 'points', '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; reweaves: number; migrations: number; placements: Array<{ hub: string }> };
  assert.is(hex(valueBytes(c.result, Number(out.result))), hex(await plainResult(c, raw)), `result ${out.result}`);
  assert.ok(out.reweaves >= 1, `reweaves ${out.reweaves}`);
  assert.is(out.placements[0].hub, 'a-slow', 'it started on the hub that slowed down');
  assert.is(out.placements[out.placements.length - 1].hub, 'b-fast', 'and finished on the fast one');
  assert.ok(out.reweaves <= 2, `no thrashing: ${out.reweaves} moves`);
});

slowCases(test)('learned hubs: an idle hub slowed without advertising it probes itself slow; a job on it moves, bit-exact; between two equal hubs none does; an engine placing with the weaver avoids the noisy hub', async () => {
  mkdirSync('build/test', { recursive: true });
  const b = await buildModule(['examples/particles.ts', '-o', 'build/test/reweave-particles.wasm', '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
  ns2 = await startNatsServer({ jetstream: true });
  rmSync(MEASURED, { force: true });
  const learned = ['--slots', '1', '--no-gpu', '--reweave', 'learned'];
  hubs.push(...await Promise.all([
    // 24x: under the suite's load the quiet hubs measure slow too (a CI run saw only 2.1x
    // between them at 6x, just short of the gain a move must promise), and the adverts
    // carry that load, so what the noisy hub's probes find beyond its advert shrinks with
    // it (a CI run read 0.38x at 12x); the test is about telling a slow hub, not the margin.
    startHubProcess(ns2.url, 'noisy', [...learned, '--noise-at', '0:24'], { ...process.env, WEAVE_LOG_LEVEL: 'debug' }),
    startHubProcess(ns2.url, 'e1', [...learned, '--measurement-log', MEASURED], { ...process.env, WEAVE_LOG_LEVEL: 'debug' }),
    startHubProcess(ns2.url, 'e2', learned),
  ]));
  const bundle = await loadBundle(readFileSync('build/test/reweave-particles.wasm'));
  const mesh = await connectMesh({ nats: ns2.url, waitForHubsMs: 10_000 });
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  const raw = [1000, 6000];
  const expected = hex(await plainResult(c, raw));
  // Engines leave re-weaving to the hubs here.
  const run = (hub: string) => runJob(mesh, bundle, { args: raw, policy: pinTo(hub), reweave: false });
  const exact = (r: JobResult) => assert.is(hex(r.resultBytes), expected, `result ${String(r.value)}`);
  try {
    for (let i = 0; i < 50 && mesh.hubs().length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    // What the particles job is like on a hub of this kind: measured on e1 and e2, shared.
    for (const r of await Promise.all([run('e1'), run('e2')])) {
      exact(r);
      const said = hubs.filter((h) => h.name === 'e1' || h.name === 'e2').map((h) => h.log().split('\n').filter((l) => /staying|reweaving/.test(l)).join('\n')).join('\n');
      assert.is(r.reweaves ?? 0, 0, `moved on its first run: ${r.placements.map((p) => p.hub)}\n${said}`);
    }
    // Before any job ran there, the noisy hub timed itself while idle (idle-probe.ts) and
    // shared it: what an engine reads already says it is slow.
    const early = await sharedWeaver(mesh.nc, silentLogger, 1);
    let term = 0;
    // Up to 30 s (10 s until 2026-12-07): a probe runs every 2 s, only on an idle slot that
    // gets a core, and counts half a second against the term's prior.
    for (let i = 0; i < 300; i++) {
      early.weaver.model.now = Date.now();
      if ((term = early.weaver.model.hubTerm('noisy')) < Math.log(1 / 3)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    early.shared.stop();
    assert.ok(term < Math.log(1 / 3), `the idle noisy hub's own probes say it runs at ${Math.exp(term).toFixed(2)}x its advert`);
    await new Promise((r) => setTimeout(r, 2500));
    const noisy = await run('noisy');
    exact(noisy);
    assert.is(noisy.placements[0].hub, 'noisy', 'it started on the noisy hub');
    const moves = noisy.reweaves ?? 0;
    const decisions = (name = 'noisy') => hubs.find((h) => h.name === name)!.log().split('\n').filter((l) => /staying|reweaving/.test(l)).join('\n');
    assert.ok(moves >= 1 && moves <= 2, `moved once or twice, not back and forth: ${moves}\n${decisions()}`);
    assert.ok(['e1', 'e2'].includes(noisy.placements[noisy.placements.length - 1].hub), `finished on a quiet hub: ${noisy.placements.map((p) => p.hub)}`);
    // Equal hubs, the other idle: nothing to gain but a move's cost.
    const equal = await run('e1');
    exact(equal);
    assert.is(equal.reweaves ?? 0, 0, `moved between equal hubs: ${equal.placements.map((p) => p.hub)}\n${decisions('e1')}`);
    // An engine placing with the learned weaver (weave run --policy weaver) reads what the
    // hubs measured and shared: the noisy hub advertises a machine as fast as the others.
    await new Promise((r) => setTimeout(r, 2200));
    const { weaver, shared } = await sharedWeaver(mesh.nc, silentLogger, 1);
    assert.ok(shared.counts.merged >= 3, `it read every hub's history (${shared.counts.merged} values)`);
    for (let i = 0; i < 3; i++) {
      const placed = await runJob(mesh, bundle, { args: raw, policy: weaver.placement, reweave: false });
      exact(placed);
      const terms = ['noisy', 'e1', 'e2'].map((h) => `${h} ${weaver.model.hubTerm(h).toFixed(2)}`).join(', ');
      assert.ok(placed.placements[0].hub !== 'noisy', `placed on the noisy hub: ${placed.placements.map((p) => p.hub)} (placement ${i}; hub terms ${terms}; busy ${mesh.hubs().map((h) => `${h.id} ${h.load?.busy}`).join(', ')})`);
    }
    shared.stop();
    // Offline: what e1 measured trains a weaver (weave policy train --weaver), and a hub starts from it.
    const lines = readFileSync(MEASURED, 'utf8').trim().split('\n');
    assert.ok(lines.length >= 2 && lines.every((l) => JSON.parse(l).kind === 'pace'), `e1 logged its pace samples: ${lines.length}`);
    const trained = await runCli('weave', ['policy', 'train', '--weaver', MEASURED, '-o', 'build/test/reweave-weaver.json']);
    assert.is(trained.status, 0, trained.stderr);
    assert.match(trained.stderr, /trained a weaver on \d+ measurements/);
    hubs.push(await startHubProcess(ns2.url, 'e3', [...learned, '--weaver-file', 'build/test/reweave-weaver.json']));
    const refused = await runCli('hub', ['start', '--nats', ns2.url, '--name', 'e4', '--weaver-file', 'build/test/reweave-weaver.json']);
    assert.is(refused.status, 2);
    assert.match(refused.stderr, /--weaver-file is the learned weaver's: add --reweave learned/);
  } finally {
    await mesh.close();
  }
});

test.run();
