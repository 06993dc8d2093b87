/**
 * What a finer granularity costs when nothing asks for a move: each example built at the
 * default granularity (`loop`) and at `nested` (a fragment per loop nest level, thousands
 * of fragment boundaries a run), run on the embedded mesh (`weave run`'s default, 2 hubs)
 * without --migrate-every, the two builds alternating for R rounds in this process. Ratio:
 * the median wall time of nested over loop. Goal (issue 19): at most 1.2 on every example.
 *   node dist/bench/nested.js [--quick]
 * Last line: `bench nested: max=… geomean=… <example>=… rounds=R`. Exits 1 when the two
 * builds disagree on a result.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, type Granularity } from '../fragments/index.js';
import { loadBundle, type LoadedBundle } from '../runtime/exec/index.js';
import { runJob } from '../runtime/engine/index.js';
import { startEmbeddedMesh } from '../runtime/hub/index.js';
import { median, geomean } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;

/** The examples and arguments that run for about a second here. */
const EXAMPLES = [
  { name: 'particles', entry: 'simulate', args: [2000, 6000] },
  { name: 'matmul', entry: 'matmul', args: [128, 20] },
  { name: 'wordfreq', entry: 'wordfreq', args: [600_000, 7] },
];


async function bundle(name: string, granularity: Granularity): Promise<LoadedBundle> {
  return loadBundle((await buildBundle(path.join(ROOT, 'examples', `${name}.ts`), { granularity })).bundle);
}

async function main(): Promise<void> {
  const mesh = await startEmbeddedMesh({ hubs: 2 });
  const ratios: Record<string, number> = {};
  try {
    for (const ex of EXAMPLES) {
      const builds = { loop: await bundle(ex.name, 'loop'), nested: await bundle(ex.name, 'nested') };
      const times: Record<'loop' | 'nested', number[]> = { loop: [], nested: [] };
      const results = new Set<string>();
      const fragments: Record<string, number> = {};
      for (let r = -1; r < ROUNDS; r++) {
        for (const g of ['loop', 'nested'] as const) {
          const t0 = performance.now();
          const res = await runJob(mesh, builds[g], { entry: ex.entry, args: ex.args });
          if (r >= 0) times[g].push(performance.now() - t0); // round -1 warms V8 up
          results.add(Buffer.from(res.resultBytes).toString('hex'));
          fragments[g] = res.fragments;
        }
      }
      if (results.size !== 1) throw new Error(`${ex.name}: loop and nested builds disagree (${[...results].join(' / ')})`);
      ratios[ex.name] = median(times.nested) / median(times.loop);
      console.log(`${ex.name}: loop ${median(times.loop).toFixed(0)} ms (${fragments.loop} fragments), nested ${median(times.nested).toFixed(0)} ms (${fragments.nested} fragments), ratio ${ratios[ex.name].toFixed(3)}`);
    }
  } finally {
    await mesh.close();
  }
  const values = Object.values(ratios);
  const geo = geomean(values);
  console.log(`bench nested: max=${Math.max(...values).toFixed(3)} geomean=${geo.toFixed(3)} ${Object.entries(ratios).map(([k, v]) => `${k}=${v.toFixed(3)}`).join(' ')} rounds=${ROUNDS}`);
}

main().catch((err: unknown) => {
  console.error(`bench nested failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
