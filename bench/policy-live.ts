/**
 * Placement policies on a real loopback cluster: four `hub start` processes on one
 * nats-server, made different with the documented knobs (--slots, --throttle, a dataset,
 * and WEAVE_NO_NATIVE=1 for a hub without the AVX2 kernels). The same stream of jobs
 * (the simd, data and matmul examples, arriving every 60 ms on average) runs under each
 * policy; over NATS a policy picks the hub a job starts on. Mean job completion time, ms.
 *   npm run bench:policy-live       # about 3 minutes; --quick: fewer jobs
 * Last line: `bench policy-live: round_robin=… least_loaded=… cost_model=… learned=… jobs=…`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../fragments/index.js';
import { loadBundle, type LoadedBundle } from '../runtime/exec/index.js';
import { connectMesh, runJob } from '../runtime/engine/index.js';
import { BASELINES, LearnedPolicy, type PlacementPolicy } from '../runtime/policy/index.js';
import { rng } from '../runtime/sim/index.js';
import { startHubProcess, startNatsServer } from '../test/helpers/nats-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.argv.includes('--quick');
const DATA = path.join(ROOT, 'build', 'bench-live-points.bin');
/** Mean time between job arrivals. */
const ARRIVAL_MS = 60;

async function main(): Promise<void> {
  await mkdir(path.dirname(DATA), { recursive: true });
  const values = new Float32Array((16 << 20) / 4);
  for (let i = 0; i < values.length; i++) values[i] = (i % 1009) / 10;
  await writeFile(DATA, new Uint8Array(values.buffer));
  const bundles: Record<string, { b: LoadedBundle; args: number[] }> = {};
  for (const [name, args] of [['simd', [256, 120]], ['data', [16384]], ['matmul', [96, 12]]] as const) {
    bundles[name] = { b: await loadBundle((await buildBundle(path.join(ROOT, 'examples', `${name}.ts`), {})).bundle), args: [...args] };
  }
  const ns = await startNatsServer({ maxPayload: 8 << 20 });
  const common = ['--no-gpu'];
  const hubs = await Promise.all([
    startHubProcess(ns.url, 'big', ['--slots', '2', ...common]),
    startHubProcess(ns.url, 'small', ['--slots', '1', '--data', `points=${DATA}`, ...common]),
    startHubProcess(ns.url, 'slow', ['--slots', '2', '--throttle', '3', ...common]),
    startHubProcess(ns.url, 'old', ['--slots', '1', '--throttle', '4', ...common], { ...process.env, WEAVE_NO_NATIVE: '1' }),
  ]);
  const mesh = await connectMesh({ nats: ns.url, waitForHubsMs: 10_000 });
  const jobs = quick ? 24 : 60;
  const policies: Array<[string, () => PlacementPolicy]> = [
    ['round_robin', BASELINES['round-robin']], ['least_loaded', BASELINES['least-loaded']], ['cost_model', BASELINES['cost-model']],
    ['learned', () => new LearnedPolicy({ seed: 1, warmup: Math.floor(jobs / 4) })],
  ];
  const means: Record<string, number> = {};
  try {
    for (let i = 0; i < 50 && mesh.hubs().length < 4; i++) await new Promise((r) => setTimeout(r, 100));
    const speeds = mesh.adverts().map((a) => `${a.id} ${a.caps.speed}${a.caps.avx2 ? ' avx2' : ''}`).join(', ');
    console.log(`hubs (calibrated speed): ${speeds}`);
    for (const [name, make] of policies) {
      const policy = make();
      const r = rng(11); // the same job stream for every policy
      const placedAt: Record<string, number[]> = {};
      const names = Object.keys(bundles);
      const runs: Array<Promise<number>> = [];
      for (let j = 0; j < jobs; j++) {
        const { b, args } = bundles[names[Math.floor(r() * names.length)]];
        const kind = names.find((n) => bundles[n].b === b)!;
        runs.push(runJob(mesh, b, { args, policy }).then((res) => {
          // Where each kind of job went, and how long it took there: what a policy got wrong.
          const where = `${kind}@${res.placements[0]?.hub ?? '?'}`;
          (placedAt[where] ??= []).push(res.wallMs);
          return res.wallMs;
        }));
        await new Promise((done) => setTimeout(done, -Math.log(1 - r()) * ARRIVAL_MS));
      }
      const ms = await Promise.all(runs);
      // The first quarter warms the learned policy up; count the rest for everyone.
      const counted = ms.slice(Math.floor(jobs / 4));
      means[name] = counted.reduce((a, b) => a + b, 0) / counted.length;
      console.log(`  ${name.padEnd(14)} mean job ${means[name].toFixed(0)} ms over ${counted.length} jobs`);
      const spread = Object.entries(placedAt).sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k} ${v.length}x ${(v.reduce((s, x) => s + x, 0) / v.length).toFixed(0)} ms`);
      console.log(`    ${spread.join(', ')}`);
    }
  } finally {
    await mesh.close();
    await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
    await ns.stop();
  }
  await writeFile(path.join(ROOT, 'build', 'bench-policy-live.json'), JSON.stringify({ jobs, means }, null, 2) + '\n');
  console.log(`bench policy-live: ${Object.entries(means).map(([k, v]) => `${k}=${v.toFixed(0)}`).join(' ')} jobs=${jobs}`);
}

main().catch((err: unknown) => {
  console.error(`bench policy-live failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
