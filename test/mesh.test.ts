/**
 * Hubs as real processes on a real nats-server: `hub start` daemons, `weave run --nats`,
 * `weave hubs`. The server's max_payload is 64 KiB, so bundles and most checkpoints travel
 * in parts. Results must equal the plain asc build's, bit for bit, also when the running
 * fragment moves between processes at every yield point.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'nats';
import { cases, plainResult, valueBytes, SMALL_RUN_INTERVAL, type Case } from './helpers/programs.js';
import { hubWhere, hubsIdle, runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage } from '../runtime/protocol/index.js';
import { cachedBundle, cachedPlain } from './helpers/build-cache.js';
import { loadBundle } from '../runtime/exec/index.js';
import { HubCore } from '../runtime/hub/index.js';
import { connectMesh, runJob } from '../runtime/engine/index.js';

const MAX_PAYLOAD = 64 * 1024;
const test = suite('mesh over nats');
let ns: NatsServer;
let hubs: HubProcess[] = [];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const example = (name: string) => cases().find((x) => x.file === `examples/${name}.ts`)!;

async function sameAsPlain(c: Case, raw: Array<number | string>, printed: string): Promise<void> {
  const ref = await plainResult(c, raw);
  const value = c.result === 'i64' ? BigInt(printed) : Number(printed);
  assert.is(hex(valueBytes(c.result, value)), hex(ref), `${c.entry}(${raw.join(', ')}) printed ${printed}`);
}

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  ns = await startNatsServer({ maxPayload: MAX_PAYLOAD });
  hubs = await Promise.all(['a', 'b', 'c'].map((n) => startHubProcess(ns.url, n, ['--slots', '2', '--label', `name=${n}`])));
  for (const name of ['matmul', 'particles', 'wordfreq']) {
    const b = await buildModule([`examples/${name}.ts`, '-o', `build/test/mesh-${name}.wasm`, '--yield-interval', String(SMALL_RUN_INTERVAL[name])]);
    assert.is(b.status, 0, b.stderr);
  }
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

test('weave hubs lists the three hub processes with capabilities, load and latency', async () => {
  const r = await runCli('weave', ['hubs', '--nats', ns.url, '--json']);
  assert.is(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as Array<{ id: string; state: string; caps: { cores: number; avx2: boolean }; load: { slots: number }; labels: Record<string, string>; rttMs: number }>;
  assert.equal(list.map((h) => h.id), ['a', 'b', 'c']);
  for (const h of list) {
    assert.is(h.state, 'ready');
    assert.is(h.load.slots, 2);
    assert.is(h.labels.name, h.id);
    assert.ok(h.caps.cores >= 1);
    assert.ok(typeof h.rttMs === 'number' && h.rttMs > 0, `rtt ${h.rttMs}`);
  }
  const table = await runCli('weave', ['hubs', '--nats', ns.url]);
  assert.match(table.stdout, /^HUB\s+STATE\s+SPEED\s+BUSY/);
});

for (const name of ['matmul', 'particles', 'wordfreq']) {
  test(`${name}: weave run --nats equals plain asc, without and with --migrate-every 1 across processes`, async () => {
    const c = example(name);
    const once = await runCli('weave', ['run', `build/test/mesh-${name}.wasm`, ...c.small.map(String), '--nats', ns.url, '--json']);
    assert.is(once.status, 0, once.stderr);
    const o = JSON.parse(once.stdout);
    await sameAsPlain(c, c.small, o.result);
    // Without migrations a job stays on the hub it started on: fragments run in one instance.
    assert.is(o.placements.length, 1);
    assert.is(o.migrations, 0);

    const moved = await runCli('weave', ['run', `build/test/mesh-${name}.wasm`, ...c.small.map(String), '--nats', ns.url, '--migrate-every', '1', '--json']);
    assert.is(moved.status, 0, moved.stderr);
    const m = JSON.parse(moved.stdout);
    await sameAsPlain(c, c.small, m.result);
    assert.ok(m.migrations > 3, `migrated ${m.migrations} times`);
    assert.is(new Set(m.placements.map((p: { hub: string }) => p.hub)).size, 3);
  });
}

test('a job moving round-robin over the three hubs sends each only the pages changed since it last held the state', async () => {
  // bench/programs/walk.ts rewrites one 4 KiB stretch per step of a 2 MiB buffer and
  // returns a hash of all of it; a pause every 4 steps, so a hub that held the state two
  // hops ago lacks about 8 stretches. Before route diffs, only the hub that handed the
  // state over got a diff: with three hubs every hand-over was whole (300 stretches of
  // 4 KiB written: about 1.2 MB by the end).
  writeFileSync('build/test/mesh-walk.wasm', await cachedBundle('bench/programs/walk.ts', { yieldInterval: 1024 }));
  const r = await runCli('weave', ['run', 'build/test/mesh-walk.wasm', '2048', '300', '--entry', 'walk', '--nats', ns.url, '--migrate-every', '4', '--json']);
  assert.is(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout) as { result: string; placements: Array<{ hub: string; bytesIn: number }> };
  const plain = await WebAssembly.instantiate(await cachedPlain('bench/programs/walk.ts') as Uint8Array<ArrayBuffer>, { env: { abort() { throw new Error('abort'); } } });
  assert.is(Number(o.result), (plain.instance.exports.walk as (kib: number, steps: number) => number)(2048, 300));
  assert.is(new Set(o.placements.map((p) => p.hub)).size, 3);
  const later = o.placements.slice(3).map((p) => p.bytesIn).sort((x, y) => x - y);
  assert.ok(later.length > 100, `${later.length} hand-overs after the first round`);
  assert.ok(later[Math.floor(later.length * 0.9)] < 64 * 1024, `hand-over bytes after the first round: median ${later[later.length >> 1]}, 90th percentile ${later[Math.floor(later.length * 0.9)]}`);
});

test('one job after another starts where the last one did; jobs started together spread over the hubs', async () => {
  // With no policy: the hub that ran the bundle last holds it compiled and an instance to
  // renew. Rotating over idle hubs, each job found a cold one (two idle hubs, 1,200 tiny
  // jobs a run: 2.22 ms a job rotating, 1.93 and 2.06 kept on one).
  const tiny = await loadBundle(await cachedBundle('bench/programs/tiny.ts', { yieldInterval: 1 << 20 }));
  assert.ok(await hubsIdle(ns.url), 'the hubs are idle');
  const mesh = await connectMesh({ nats: ns.url });
  try {
    assert.is((await mesh.discover({ settleMs: 200 })).length, 3);
    const one: string[] = [];
    for (let i = 0; i < 5; i++) one.push((await runJob(mesh, tiny, { args: [100] })).placements[0].hub);
    assert.is(new Set(one).size, 1, `one after another: ${one.join(' ')}`);
    // Six at once on three hubs of two slots: the warm hub takes what it has slots for.
    const together = await Promise.all(Array.from({ length: 6 }, () => runJob(mesh, tiny, { args: [100000] })));
    const at = together.map((r) => r.placements[0].hub);
    assert.ok(new Set(at).size >= 2, `six together: ${at.join(' ')}`);
  } finally {
    await mesh.close();
  }
});

test(`a checkpoint larger than max_payload (${MAX_PAYLOAD} bytes) travels in parts`, async () => {
  const c = example('matmul');
  const raw = [128, 1];
  const logged = hubs.map((h) => h.log().length);
  // About ten migrations of a run of some 44,000 yield points: each moves hundreds of KiB
  // in parts (every yield point, as this once did, moved gigabytes and took two minutes).
  const r = await runCli('weave', ['run', 'build/test/mesh-matmul.wasm', ...raw.map(String), '--nats', ns.url, '--migrate-every', '4000', '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  await sameAsPlain(c, raw, out.result);
  // Hub to hub, sealed, in parts: every hand-over opened where it arrived (a refused one
  // goes back to the engine, and the job would still finish: the logs tell them apart).
  for (const [i, h] of hubs.entries()) {
    assert.not.match(h.log().slice(logged[i]), /refused a checkpoint|hand-over refused|hand-over failed/, `hub ${h.name} refused or failed a hand-over`);
  }
  // Three 128x128 f64 matrices are 384 KiB of live state: the first full checkpoint alone spans parts.
  assert.ok(out.bytesMoved > 3 * 128 * 128 * 8, `moved ${out.bytesMoved} bytes`);
  assert.ok(out.migrations > 2, `migrated ${out.migrations} times`);
});

test('an eavesdropper on the bus sees no byte of a moving job\'s state, whole or in parts', async () => {
  // A job whose memory is full of a marker, moving hub to hub (max_payload 64 KiB: its
  // 256 KiB of state goes in parts): every hand-over is sealed, so no message carries it.
  writeFileSync('build/test/mesh-marked.ts', `export function marked(kib: i32, steps: i32): i32 {
  const n = (kib << 10) >> 2;
  const buf = new Int32Array(n);
  let sum = 0;
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) buf[i] = 0x5ec2e700 | ((i + s) & 0xff);
    sum += buf[s % n];
  }
  return sum;
}
`);
  const b = await buildModule(['build/test/mesh-marked.ts', '-o', 'build/test/mesh-marked.wasm', '--yield-interval', '16384']);
  assert.is(b.status, 0, b.stderr);
  // Two consecutive words of the pattern, as linear memory holds them (little-endian).
  const marker = Buffer.from([0x10, 0xe7, 0xc2, 0x5e, 0x11, 0xe7, 0xc2, 0x5e]);
  const spy = await connect({ servers: ns.url });
  let messages = 0, large = 0;
  const leaked: string[] = [];
  spy.subscribe('>', {
    callback: (_err, m) => {
      messages++;
      if (m.data.byteLength > 16 << 10) large++;
      if (Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).indexOf(marker) >= 0) leaked.push(m.subject);
    },
  });
  await spy.flush();
  try {
    const r = await runCli('weave', ['run', 'build/test/mesh-marked.wasm', '256', '8', '--nats', ns.url, '--migrate-every', '6', '--json']);
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { result: string; migrations: number };
    assert.ok(out.migrations >= 3, `migrated ${out.migrations} times`);
    const local = await runCli('weave', ['run', 'build/test/mesh-marked.wasm', '256', '8', '--hubs', '1', '--json']);
    assert.is(out.result, (JSON.parse(local.stdout) as { result: string }).result);
    await spy.flush();
    assert.ok(large >= out.migrations, `the spy saw the hand-overs' parts (${large} large messages of ${messages})`);
    assert.equal(leaked, [], 'no message on the bus carried the job\'s state in the clear');
  } finally {
    await spy.close();
  }
  // The spy would have seen it in the clear: a paused checkpoint of the same job, made
  // here and left unsealed, carries the marker.
  const bundle = await loadBundle(new Uint8Array(readFileSync('build/test/mesh-marked.wasm')));
  const paused = await new HubCore('plain').handle({
    kind: 'exec', v: PROTOCOL_VERSION, job: 'p', bundle: bundle.hash, bundleBytes: bundle.bytes, entry: 'marked', fragment: bundle.manifest.entries[0].fragments[0],
    args: [256, 8], migrateEvery: 6, stay: true, full: true,
  });
  assert.ok(paused.kind === 'ran' && paused.outcome === 'paused' && paused.checkpoint, 'paused with a checkpoint');
  const plain = (paused as { checkpoint: Uint8Array }).checkpoint;
  assert.ok(Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength).indexOf(marker) >= 0, 'the marker is in the plain state');
});

test('a malformed or unknown message gets a typed error reply, and the hub keeps serving', async () => {
  const nc = await connect({ servers: ns.url });
  try {
    const garbage = await nc.request('weave.hub.a.exec', new Uint8Array([0xff, 0x00, 0x13, 0x37]), { timeout: 5000 });
    const e1 = decodeMessage(garbage.data);
    assert.is(e1.kind, 'error');
    assert.is(e1.code, 'bad-message');
    const bad = await nc.request('weave.hub.a.exec', encodeMessage({ kind: 'exec', v: PROTOCOL_VERSION, job: 'x', bundle: 'nothex', entry: 'f', fragment: 0, migrateEvery: 0, args: [] }), { timeout: 5000 });
    const e2 = decodeMessage(bad.data);
    assert.is(e2.code, 'bad-message');
    assert.match(String(e2.message), /'bundle' must be a sha-256 hex digest/);
    const future = await nc.request('weave.hub.a.exec', encodeMessage({ kind: 'exec', v: 99 } as never), { timeout: 5000 });
    assert.match(String(decodeMessage(future.data).message), /version 99 is not supported \(this build speaks \d+\): the sender runs a newer weave; run one weave version on every hub and client/);
    const past = await nc.request('weave.hub.a.exec', encodeMessage({ kind: 'exec', v: 1 } as never), { timeout: 5000 });
    assert.match(String(decodeMessage(past.data).message), /version 1 is not supported \(this build speaks \d+\): the sender runs an older weave/);
  } finally {
    await nc.close();
  }
  const c = example('matmul');
  const r = await runCli('weave', ['run', 'build/test/mesh-matmul.wasm', ...c.small.map(String), '--nats', ns.url]);
  assert.is(r.status, 0, r.stderr);
  await sameAsPlain(c, c.small, r.stdout.trim());
  assert.match(hubs[0].log(), /"msg":"rejected a request","code":"bad-message"/);
});

test('a hub killed with SIGKILL: no responders, the fragment is re-placed and the job completes', async () => {
  const c = example('matmul');
  const victim = hubs[2];
  assert.is(await victim.stop('SIGKILL'), null);
  // Its adverts are still fresh, so the engine tries it once and must move on at once.
  const r = await runCli('weave', ['run', 'build/test/mesh-matmul.wasm', ...c.small.map(String), '--nats', ns.url, '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  await sameAsPlain(c, c.small, out.result);
  assert.ok(out.placements.every((p: { hub: string }) => p.hub !== 'c'));
  hubs[2] = await startHubProcess(ns.url, 'c', ['--slots', '2', '--label', 'name=c']);
});

test('a hub that goes silent mid-fragment (SIGSTOP) is declared lost; the job restarts elsewhere', async () => {
  const c = example('particles');
  const raw = [2000, 15_000];
  const job = runCli('weave', ['run', 'build/test/mesh-particles.wasm', ...raw.map(String), '--nats', ns.url, '--json']);
  // Find the hub running it from the adverts (they carry busy slots), then freeze it.
  const busy = await hubWhere(ns.url, (a) => a.load.busy > 0);
  assert.ok(busy, 'a hub advertised the running job');
  const frozen = hubs.find((h) => h.name === busy)!;
  frozen.proc.kill('SIGSTOP');
  const r = await job;
  frozen.proc.kill('SIGCONT');
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  await sameAsPlain(c, raw, out.result);
  assert.ok(out.retries >= 1, `retries ${out.retries}`);
  // The frozen hub's attempt produced nothing; every stint that counted ran elsewhere.
  const ran = out.placements.map((p: { hub: string }) => p.hub);
  assert.ok(ran.length > 0 && ran.every((h: string) => h !== busy), `ran on ${ran}, frozen ${busy}`);
  // Thawed, the hub reads the fence the engine sent with the new attempt (the job has no
  // record: no JetStream here) and stops the replaced one, instead of running it out.
  for (const until = Date.now() + 5000; Date.now() < until && !/"msg":"fenced"/.test(frozen.log());) await new Promise((r) => setTimeout(r, 50));
  assert.match(frozen.log(), /"msg":"fenced"/, 'the thawed hub dropped the replaced attempt');
});

test('the hubs reconnect after the NATS server restarts, and take jobs again', async () => {
  const before = hubs.map((h) => h.log().length);
  // Down long enough for several reconnect attempts, each of which nats.js reports.
  await ns.restart(2500);
  const c = example('matmul');
  // Hubs re-advertise once reconnected; a new client waits for the first advert.
  const r = await runCli('weave', ['run', 'build/test/mesh-matmul.wasm', ...c.small.map(String), '--nats', ns.url, '--wait-hubs', '15000', '--migrate-every', '2', '--json']);
  assert.is(r.status, 0, r.stderr);
  await sameAsPlain(c, c.small, JSON.parse(r.stdout).result);
  for (const [i, h] of hubs.entries()) {
    const since = h.log().slice(before[i]);
    assert.match(since, /"msg":"nats reconnected"[^\n]*"attempts":[1-9]/, `hub ${h.name} logged its reconnect, with the attempts it took`);
    // Said once, not once per attempt (about three a second).
    assert.is(since.match(/"msg":"nats connection lost; reconnecting"/g)?.length, 1, `hub ${h.name}: ${since.slice(0, 2000)}`);
  }
});

test('SIGTERM drains: the running fragment pauses, resumes on another hub, the hub exits 0', async () => {
  const c = example('particles');
  const raw = [2000, 15_000];
  // Start the job while only a and b run, so it is on a hub about to be stopped; and only
  // once they are idle, so the busy slot seen below is this job's (the frozen hub of an
  // earlier test ran its replaced attempt on after SIGCONT, and a drain then moved that).
  assert.is(await hubs[2].stop('SIGTERM'), 0);
  assert.ok(await hubsIdle(ns.url), 'the hubs finished the jobs of earlier tests');
  await new Promise((r) => setTimeout(r, 300));
  const job = runCli('weave', ['run', 'build/test/mesh-particles.wasm', ...raw.map(String), '--nats', ns.url, '--json']);
  // Only once the job runs (on a or b) does c come up: it is where the job must end. a and
  // b are stopped while c starts: waiting for c first, the job once ended before the stop.
  await hubWhere(ns.url, (a) => a.load.busy > 0, 6000);
  const cUp = startHubProcess(ns.url, 'c', ['--slots', '2', '--label', 'name=c']);
  const codes = await Promise.all([hubs[0].stop('SIGTERM'), hubs[1].stop('SIGTERM')]);
  hubs[2] = await cUp;
  assert.equal(codes, [0, 0]);
  const r = await job;
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  await sameAsPlain(c, raw, out.result);
  // The draining hub handed its paused fragment over (a migration), or the engine re-placed it.
  assert.ok(out.migrations > 0 || out.retries > 0, `migrations ${out.migrations}, retries ${out.retries}`);
  const ran = out.placements.map((p: { hub: string }) => p.hub);
  assert.ok(ran[0] === 'a' || ran[0] === 'b', `the job started on a draining hub: ${ran}`);
  assert.is(ran[ran.length - 1], 'c', `and finished on the hub left: ${ran}`);
  assert.match(hubs[0].log() + hubs[1].log(), /"msg":"draining"/);
  hubs[0] = await startHubProcess(ns.url, 'a', ['--slots', '2', '--label', 'name=a']);
  hubs[1] = await startHubProcess(ns.url, 'b', ['--slots', '2', '--label', 'name=b']);
});

test.run();
