/**
 * Hubs that differ, as real processes on a real nats-server: 'fast' has the native AVX2
 * kernels, 'plain' runs with them switched off (WEAVE_NO_NATIVE=1, so it does not
 * advertise avx2), 'store' serves dataset 'points'. Jobs that call the host ABI must
 * give the same bits whichever hubs they cross, `--require` must be honoured, and a job
 * that reads a dataset goes to it, or fetches it remotely when it runs elsewhere.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { runCli, startHubProcess, startNatsServer, type HubProcess, type NatsServer } from './helpers/nats-server.js';
import { buildModule } from './helpers/build-module.js';

const test = suite('heterogeneous hubs');
let ns: NatsServer;
let hubs: HubProcess[] = [];
const POINTS = 'build/test/points.bin';

interface RunJson { result: string; placements: Array<{ hub: string }>; migrations: number; data: { localBytes: number; remoteBytes: number; names: string[] } }

async function runJson(args: string[]): Promise<RunJson> {
  const r = await runCli('weave', ['run', ...args, '--nats', ns.url, '--json']);
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as RunJson;
}

async function embedded(args: string[]): Promise<string> {
  const r = await runCli('weave', ['run', ...args]);
  assert.is(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test.before(async () => {
  mkdirSync('build/test', { recursive: true });
  const values = Float32Array.from({ length: 300_000 }, (_, i) => ((i * 7919) % 10007) / 100);
  writeFileSync(POINTS, new Uint8Array(values.buffer));
  ns = await startNatsServer({ maxPayload: 256 * 1024 });
  hubs = await Promise.all([
    startHubProcess(ns.url, 'fast', ['--slots', '1']),
    startHubProcess(ns.url, 'plain', ['--slots', '1'], { ...process.env, WEAVE_NO_NATIVE: '1' }),
    startHubProcess(ns.url, 'store', ['--slots', '1', '--data', `points=${POINTS}`]),
  ]);
  const builds: string[][] = [
    ['examples/simd.ts', '-o', 'build/test/simd.wasm', '--yield-interval', '100'],
    ['examples/simd.ts', '-o', 'build/test/simd-avx2.wasm', '--yield-interval', '100', '--require', 'avx2'],
    ['examples/gpu.ts', '-o', 'build/test/gpu-required.wasm', '--require', 'gpu'],
    ['examples/gpu.ts', '-o', 'build/test/gpu.wasm'],
    ['examples/data.ts', '-o', 'build/test/data.wasm', '--yield-interval', '1'],
  ];
  for (const b of builds) {
    // policy builds simd.ts with the same flags: compiled once per test run (build-module.ts).
    const r = await buildModule(b);
    assert.is(r.status, 0, r.stderr);
  }
});

test.after(async () => {
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns?.stop();
});

test('hubs advertise avx2 only where the native kernels work, and their datasets', async () => {
  const r = await runCli('weave', ['hubs', '--nats', ns.url, '--json']);
  assert.is(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as Array<{ id: string; caps: { avx2: boolean; gpu: boolean }; datasets: string[] }>;
  const by = Object.fromEntries(list.map((h) => [h.id, h]));
  assert.is(by.plain.caps.avx2, false);
  assert.is(by.fast.caps.avx2, true, 'this machine has AVX2 and the addon builds here');
  assert.equal(by.store.datasets, ['points']);
  for (const h of list) assert.is(h.caps.gpu, false, 'no hardware GPU here, and software adapters are not advertised');
});

test('simd calls give the same bits on AVX2 and scalar hubs, moving at every yield', async () => {
  const ref = await embedded(['build/test/simd.wasm', '96', '12']);
  const r = await runJson(['build/test/simd.wasm', '96', '12', '--migrate-every', '1']);
  assert.is(r.result, ref);
  const seen = new Set(r.placements.map((p) => p.hub));
  assert.ok(seen.has('plain') && seen.has('fast'), `ran on ${[...seen].join(', ')}`);
});

test('--require avx2 keeps the job off the hub without it', async () => {
  const ref = await embedded(['build/test/simd.wasm', '96', '12']);
  const r = await runJson(['build/test/simd-avx2.wasm', '96', '12', '--migrate-every', '1']);
  assert.is(r.result, ref);
  assert.ok(r.migrations > 3, `${r.migrations} migrations`);
  for (const p of r.placements) assert.ok(p.hub !== 'plain', `placed on ${p.hub}`);
});

test('--require gpu with no GPU hub fails with a clear message', async () => {
  const r = await runCli('weave', ['run', 'build/test/gpu-required.wasm', '8', '8', '8', '--nats', ns.url]);
  assert.is(r.status, 4, 'exit code 4: no live hub has what the job requires');
  assert.match(r.stderr, /requires gpu, which no live hub has/);
  assert.match(r.stderr, /fast \(avx2\)/);
});

test('a job reading a dataset goes to the hub that holds it (weave build found the name)', async () => {
  const inspect = await runCli('weave', ['inspect', 'build/test/data.wasm']);
  assert.match(inspect.stdout, /datasets: points/);
  const ref = await embedded(['build/test/data.wasm', '4096', '--data', `points=${POINTS}`]);
  const r = await runJson(['build/test/data.wasm', '4096']);
  assert.is(r.result, ref);
  assert.ok(r.placements.every((p) => p.hub === 'store'), JSON.stringify(r.placements));
  assert.is(r.data.remoteBytes, 0);
  assert.ok(r.data.localBytes > 0, JSON.stringify(r.data));
});

test('elsewhere it reads the dataset from the hub that serves it, with the same result', async () => {
  const ref = await embedded(['build/test/data.wasm', '4096', '--data', `points=${POINTS}`]);
  const r = await runJson(['build/test/data.wasm', '4096', '--migrate-every', '1']);
  assert.is(r.result, ref);
  assert.ok(new Set(r.placements.map((p) => p.hub)).size === 3, 'it crossed all three hubs');
  const list = JSON.parse((await runCli('weave', ['hubs', '--nats', ns.url, '--json'])).stdout) as Array<{ id: string; load: { dataRemoteBytes?: number } }>;
  const remote = list.filter((h) => h.id !== 'store').reduce((n, h) => n + (h.load.dataRemoteBytes ?? 0), 0);
  assert.ok(remote > 0, `hubs without the dataset fetched ${remote} bytes of it`);
});

test('with a GPU hub, --require gpu runs there and its gpu calls go to the GPU', async () => {
  // No GPU hardware here: Mesa's llvmpipe through Dawn's OpenGL backend stands in for one
  // (WEAVE_GPU_SOFTWARE lets a hub advertise a software adapter; see docs/gpu.md).
  const env = { ...process.env, WEAVE_GPU_BACKEND: 'opengl', WEAVE_GPU_SOFTWARE: '1', EGL_PLATFORM: 'surfaceless' };
  const gpuHub = await startHubProcess(ns.url, 'gpu', ['--slots', '1'], env);
  hubs.push(gpuHub);
  const reason = /"gpuReason":"([^"]*)"/.exec(gpuHub.log())?.[1];
  if (reason) {
    console.log(`  gpu mesh test skipped: no software WebGPU adapter here either (${reason.slice(0, 160)})`);
    return;
  }
  const cpu = Number(await embedded(['build/test/gpu.wasm', '48', '64', '40']));
  const r = await runJson(['build/test/gpu-required.wasm', '48', '64', '40']);
  assert.ok(r.placements.every((p) => p.hub === 'gpu'), JSON.stringify(r.placements));
  // Within the WIT's tolerance of the CPU kernels (llvmpipe happens to match exactly).
  assert.ok(Math.abs(Number(r.result) - cpu) <= 1e-4 * Math.abs(cpu), `gpu ${r.result} vs cpu ${cpu}`);
  const list = JSON.parse((await runCli('weave', ['hubs', '--nats', ns.url, '--json'])).stdout) as Array<{ id: string; caps: { gpu: boolean }; load: { gpuCalls?: number } }>;
  const g = list.find((h) => h.id === 'gpu')!;
  assert.is(g.caps.gpu, true);
  assert.ok((g.load.gpuCalls ?? 0) >= 3, `gpu calls served: ${g.load.gpuCalls}`);
});

test.run();
