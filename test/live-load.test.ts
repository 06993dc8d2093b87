/**
 * Live hubs advertise what their queue holds, not only how long it is: the estimated work
 * (speed-1 ms) queued and still running, from what runs of the same job measured there.
 * A real hub process with one slot: a job runs once to be measured, then three copies are
 * submitted at once, and the hub's advert (asked for while they run) counts about two
 * runs queued and at most one running.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { connectMesh, runJob } from '../runtime/hub/index.js';
import { loadBundle } from '../runtime/exec/index.js';
import { runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';

const test = suite('live load');
let ns: NatsServer;
let hub: HubProcess;
const wasm = 'build/test/live-load-particles.wasm';
const args = ['1500', '5000'];

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer();
  hub = await startHubProcess(ns.url, 'one', ['--slots', '1', '--no-gpu']);
  const b = await runCli('weave', ['build', 'examples/particles.ts', '-o', wasm, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
});

test.after(async () => {
  await hub?.stop('SIGKILL');
  await ns?.stop();
});

test('a hub advertises the work queued and running there, measured from earlier runs of the job', async () => {
  const first = await runCli('weave', ['run', wasm, ...args, '--nats', ns.url, '--json']);
  assert.is(first.status, 0, first.stderr);
  const ms = JSON.parse(first.stdout).execMs as number;
  const mesh = await connectMesh({ nats: ns.url });
  try {
    const idle = (await mesh.discover({ settleMs: 50 })).find((a) => a.id === 'one')!;
    assert.equal([idle.load.queuedWork, idle.load.runningWork], [0, 0], 'nothing queued or running');
    const speed = idle.caps.speed ?? 1;
    // Submitted at once from this process, so all three are there together.
    const bundle = await loadBundle(readFileSync(wasm));
    const runs = [1, 2, 3].map(() => runJob(mesh, bundle, { args: args.map(Number) }));
    let seen: { queuedWork?: number; runningWork?: number; queue: number } | undefined;
    for (let i = 0; i < 100 && !(seen && seen.queue === 2); i++) {
      await new Promise((r) => setTimeout(r, 10));
      seen = (await mesh.discover({ settleMs: 20 })).find((a) => a.id === 'one')?.load;
    }
    await Promise.all(runs);
    assert.is(seen?.queue, 2, `two jobs waited behind the first: ${JSON.stringify(seen)}`);
    // What one run costs at speed 1: this hub's own measure, so within noise of execMs.
    const one = ms * speed;
    console.log(`live load: one run ~${Math.round(one)} speed-1 ms; advert with two queued: ${JSON.stringify(seen)}`);
    assert.ok(seen!.queuedWork! > 1.2 * one && seen!.queuedWork! < 2.8 * one, `queued work ${seen!.queuedWork} for two runs of ~${Math.round(one)}`);
    assert.ok(seen!.runningWork! >= 0 && seen!.runningWork! <= 1.4 * one, `running work ${seen!.runningWork} left of one run of ~${Math.round(one)}`);
  } finally {
    await mesh.close();
  }
});

test('between adverts, an engine counts the jobs it placed in the hub\'s load; the next advert replaces them', async () => {
  const mesh = await connectMesh({ nats: ns.url });
  try {
    await mesh.discover({ settleMs: 50 });
    const load = () => mesh.hubs().find((h) => h.id === 'one')!.load!;
    assert.equal([load().busy, load().queue], [0, 0]);
    const left = mesh.placed('one');
    mesh.placed('one');
    assert.equal([load().busy, load().queue], [1, 1], 'one runs, one waits');
    left();
    assert.equal([load().busy, load().queue], [1, 0], 'the first left: the other runs');
    await mesh.discover({ settleMs: 50 });
    assert.equal([load().busy, load().queue], [0, 0], 'the advert is the truth again');
  } finally {
    await mesh.close();
  }
});

test.run();
