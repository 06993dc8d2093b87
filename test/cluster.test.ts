/**
 * More than one NATS server: hubs spread over a 3-node nats-server cluster (each hub
 * connected to a different server), engines given every server's URL, jobs moving hub to
 * hub (--migrate-every) with periodic checkpoints in a replicated JetStream bucket. One
 * "machine" (a server and a hub) is SIGKILLed mid-run, the one leading the checkpoint
 * bucket: clients of that server fail over to the others, what was stored survives on
 * the other replicas, and every job still ends with the plain build's bit-exact result.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'nats';
import { cases, plainResult, valueBytes } from './helpers/programs.js';
import { runCli, startHubProcess, startNatsCluster, type HubProcess, type NatsCluster } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { connectMesh } from '../runtime/engine/index.js';
import { CHECKPOINT_BUCKET, checkpointStore, openJobStore } from '../runtime/net/index.js';
import { SLOW, slowCases } from './helpers/slow.js';

const test = suite('cluster');
let cluster: NatsCluster;
let hubs: HubProcess[] = [];
/** Index of the machine (server and hub) that crashes. */
let victim = -1;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const wasm = 'build/test/cluster-particles.wasm';

test.before(async () => {
  if (!SLOW) return; // its only case is slow: no cluster to start
  // uvu swallows a before hook's error (the runner then reports no test run): say it.
  await setUp().catch((e: Error) => { console.error(`cluster: setting up failed: ${e.stack ?? e.message}`); throw e; });
});

async function setUp(): Promise<void> {
  mkdirSync('build/test', { recursive: true });
  // A node that cannot start (a port taken between choosing it and binding it; JetStream
  // slow to elect on a loaded machine) gets one more try; uvu swallows a before hook's
  // error, so it is printed.
  cluster = await startNatsCluster(3, { jetstream: true }).catch((e: Error) => {
    console.error(`cluster: the first start failed, trying again: ${e.message}`);
    return startNatsCluster(3, { jetstream: true });
  }).catch((e: Error) => { console.error(`cluster: ${e.stack ?? e.message}`); throw e; });
  // Create the checkpoint bucket now, through the hubs' own code, to know which server
  // leads it: that is the machine that will crash, the worst case for stored checkpoints.
  const nc = await connect({ servers: cluster.urls });
  try {
    await checkpointStore(nc);
    // And the job records' buckets, as the first weave run would (a cluster takes seconds
    // to create replicated streams; the jobs should start at once).
    await openJobStore(nc);
    // The stream exists before its replicas have elected a leader (seconds, on a loaded
    // machine): ask until one is named.
    const jsm = await nc.jetstreamManager();
    let si = await jsm.streams.info(`OBJ_${CHECKPOINT_BUCKET}`);
    for (let t0 = Date.now(); !si.cluster?.leader && Date.now() - t0 < 15_000; si = await jsm.streams.info(`OBJ_${CHECKPOINT_BUCKET}`)) await sleep(200);
    assert.is(si.config.num_replicas, 3, 'the bucket has a replica on every server');
    victim = cluster.nodes.findIndex((n) => n.name === si.cluster?.leader);
    assert.ok(victim >= 0, `leader ${si.cluster?.leader}`);
  } finally {
    await nc.close();
  }
  // Machine i runs server ni and hub hi. Hub x knows only the victim server's URL: when it
  // dies, x must find the others through the cluster's gossip.
  const placed: Array<[number, string]> = [[0, 'h0'], [1, 'h1'], [2, 'h2'], [victim, 'x']];
  hubs = await Promise.all(placed.map(([n, name]) => startHubProcess(cluster.nodes[n].url, name, ['--slots', '1', '--no-gpu'])));
  const b = await buildModule(['examples/particles.ts', '-o', wasm, '--yield-interval', '50']);
  assert.is(b.status, 0, b.stderr);
}

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await cluster?.stop();
});

slowCases(test)('the machine leading the checkpoint bucket crashes mid-run; no stored checkpoint is lost and every job ends bit-exact', async () => {
  const c = cases().find((x) => x.file === 'examples/particles.ts')!;
  // Each job runs several seconds here; it moves every ~1/12 of its yields and stores a
  // checkpoint every ~1/50.
  const jobs = [[2000, 14_000], [1500, 18_000], [1000, 28_000]];
  const started = Date.now();
  const runs = jobs.map((raw) => runCli('weave', ['run', wasm, ...raw.map(String), '--nats', cluster.urls, '--checkpoint-every', '35000', '--migrate-every', '175000', '--json'])
    .then((r) => ({ ...r, endedAt: Date.now() - started })));
  const survivor = cluster.nodes[(victim + 1) % 3].url;
  const nc = await connect({ servers: survivor });
  const marker = new Uint8Array(300_000).map((_, i) => i * 7);
  try {
    // A checkpoint stored (acknowledged) before the crash, like the hubs' own.
    const store = await checkpointStore(nc);
    await store.put('marker', marker);
    const mesh = await connectMesh({ nats: cluster.urls });
    try {
      let busy = 0;
      for (let i = 0; i < 60 && busy < 2; i++) {
        await new Promise((r) => setTimeout(r, 250));
        busy = (await mesh.discover({ settleMs: 50 })).filter((a) => a.load.busy > 0).length;
      }
      assert.ok(busy >= 2, `jobs were running on ${busy} hubs`);
      // Let the jobs store checkpoints and move a few times first.
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      await mesh.close();
    }
    const killedAt = Date.now() - started;
    await Promise.all([cluster.nodes[victim].stop('SIGKILL'), hubs[victim].stop('SIGKILL')]);

    // Read at once: the survivors elect a new leader for the bucket only after Raft's
    // election timeout (4 s or more), and the store reads from a replica meanwhile
    // (runtime/net/direct-read.ts). One try, within 3 s.
    const t0 = Date.now();
    const got = await store.get('marker', 3000);
    const readMs = Date.now() - t0;
    assert.ok(got, 'the stored checkpoint survived');
    assert.ok(Buffer.from(got!).equals(Buffer.from(marker)), 'bit-exact');

    const outs = await Promise.all(runs);
    const results = [];
    for (const [i, r] of outs.entries()) {
      assert.is(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { result: string; migrations: number; retries: number; restoredFromStore: number; wallMs: number };
      const ref = await plainResult(c, jobs[i]);
      assert.is(hex(valueBytes(c.result, Number(out.result))), hex(ref), `job ${i}: result ${out.result}`);
      results.push(out);
    }
    console.log(`cluster: killed ${cluster.nodes[victim].name}+h${victim} at ${killedAt} ms; stored checkpoint read in ${readMs} ms; jobs ${JSON.stringify(results.map(({ wallMs, migrations, retries, restoredFromStore }, i) => ({ endedAt: outs[i].endedAt, wallMs, migrations, retries, restoredFromStore })))}`);
    assert.ok(outs.every((r) => r.endedAt > killedAt), 'every job was running at the crash');
    assert.ok(results.every((o) => o.migrations > 0), 'every job moved between hubs');
    assert.match(hubs[3].log(), /nats reconnected/);
  } finally {
    await nc.close();
  }
});

test.run();
