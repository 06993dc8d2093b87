/**
 * Periodic checkpoints in JetStream: hubs store a full checkpoint of a running fragment
 * every N yield points, so when the hub running a long fragment is killed (SIGKILL, a real
 * process) the engine restarts it on another hub from the newest stored checkpoint, not
 * from the start, and the job still ends with the bit-exact result.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { cases, plainResult, valueBytes } from './helpers/programs.js';
import { hubWhere, runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { FragmentExecutor, loadBundle } from '../runtime/exec/index.js';
import { buildBundle } from '../fragments/index.js';

const test = suite('failover');
let ns: NatsServer;
let hubs: HubProcess[] = [];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ jetstream: true });
  hubs = await Promise.all(['x', 'y'].map((n) => startHubProcess(ns.url, n, ['--slots', '1', '--no-gpu'])));
  const b = await buildModule(['examples/particles.ts', '-o', 'build/test/failover-particles.wasm', '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

test('pausing to checkpoint and running on in the same instance changes no bit', async () => {
  const b = await loadBundle((await buildBundle('examples/particles.ts', { yieldInterval: 7 })).bundle);
  const ref = await FragmentExecutor.create(await b.whole(), b.manifest);
  const want = ref.call('simulate', [40, 60]);
  const x = await FragmentExecutor.create(await b.whole(), b.manifest);
  x.start('simulate', [40, 60]);
  let id = b.manifest.entries[0].fragments[0];
  let pauses = 0;
  for (let o = x.run(id, { pauseAtYield: () => true }); o.kind !== 'done'; o = x.run(id, { pauseAtYield: () => true })) {
    if (o.kind === 'paused') {
      x.capture({ id: 'p', bundle: b.hash, entry: 'simulate', fragment: o.fragment, paused: true }, { view: true });
      x.resumeInPlace();
      pauses++;
      id = o.fragment;
    } else {
      id = o.next;
    }
  }
  assert.ok(pauses > 20, `${pauses} pauses`);
  assert.is(hex(x.result('simulate').bytes), hex(want.bytes));
});

test('the hub running a long fragment is killed; the job restarts from its stored checkpoint', async () => {
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  // A checkpoint every 20,000 yield points (about every 20 ms here; every 200 asked for
  // some 12,000 in the run's 2.4 million yield points, most of this file's CPU time), in a
  // job long enough (about 4 s alone) that the kill lands in it on a quiet machine too.
  const raw = [2000, 30_000];
  const job = runCli('weave', ['run', 'build/test/failover-particles.wasm', ...raw.map(String), '--nats', ns.url, '--checkpoint-every', '20000', '--json']);
  const busy = await hubWhere(ns.url, (a) => a.load.busy > 0);
  assert.ok(busy, 'a hub advertised the running job');
  // Let it store a few checkpoints first.
  await new Promise((r) => setTimeout(r, 1000));
  const victim = hubs.find((h) => h.name === busy)!;
  await victim.stop('SIGKILL');
  const r = await job;
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; retries: number; restoredFromStore: number; yields: number };
  const ref = await plainResult(c, raw);
  assert.is(hex(valueBytes(c.result, Number(out.result))), hex(ref), `result ${out.result}`);
  assert.ok(out.retries >= 1, `retries ${out.retries}`);
  assert.is(out.restoredFromStore, 1, 'restarted from a stored checkpoint, not from the start');
  hubs = hubs.filter((h) => h !== victim);
});

test('the NATS server restarts mid-job: hubs and engine reconnect and the job completes, bit-exact', async () => {
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  const raw = [2000, 15_000];
  const job = runCli('weave', ['run', 'build/test/failover-particles.wasm', ...raw.map(String), '--nats', ns.url, '--checkpoint-every', '200', '--json']);
  await new Promise((r) => setTimeout(r, 2500));
  await ns.restart();
  const r = await job;
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: string; wallMs: number };
  assert.ok(out.wallMs > 3000, `the job was running across the restart (${out.wallMs} ms)`);
  const ref = await plainResult(c, raw);
  assert.is(hex(valueBytes(c.result, Number(out.result))), hex(ref), `result ${out.result}`);
});

test.run();
