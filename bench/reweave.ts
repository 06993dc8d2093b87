/**
 * Re-weaving under overload: two hub processes; the one a job starts on (it holds the
 * job's data) becomes 8x slower a moment after the job starts (`hub start --throttle-at`).
 * The same job runs once with re-weaving and once without (`weave run --no-reweave`),
 * each on freshly started hubs; the ratio is the time without over the time with.
 *   npm run bench:reweave
 * Last line: `bench reweave: without_ms=… with_ms=… speedup=… moves=…`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, startHubProcess, startNatsServer } from '../test/helpers/nats-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODULE = path.join(ROOT, 'build', 'bench-reweave.wasm');
const DATA = path.join(ROOT, 'build', 'bench-reweave-points.bin');
const ARGS = ['2000', '30000'];
const OVERLOAD = '1500:8';

async function once(reweave: boolean): Promise<{ ms: number; moves: number; result: string }> {
  const ns = await startNatsServer();
  const hubs = [
    await startHubProcess(ns.url, 'a-overloaded', ['--slots', '1', '--no-gpu', '--throttle-at', OVERLOAD, '--data', `points=${DATA}`]),
    await startHubProcess(ns.url, 'b-free', ['--slots', '1', '--no-gpu']),
  ];
  try {
    const r = await runCli('weave', ['run', MODULE, ...ARGS, '--nats', ns.url, '--reads', 'points', '--json', ...(reweave ? [] : ['--no-reweave'])]);
    if (r.status !== 0) throw new Error(`weave run failed:\n${r.stderr}`);
    const out = JSON.parse(r.stdout) as { wallMs: number; reweaves: number; result: string };
    return { ms: out.wallMs, moves: out.reweaves, result: out.result };
  } finally {
    await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
    await ns.stop();
  }
}

async function main(): Promise<void> {
  mkdirSync(path.dirname(MODULE), { recursive: true });
  writeFileSync(DATA, new Uint8Array(64));
  const b = await runCli('weave', ['build', path.join(ROOT, 'examples', 'particles.ts'), '-o', MODULE, '--yield-interval', '50']);
  if (b.status !== 0) throw new Error(`weave build failed:\n${b.stderr}`);
  const without = await once(false);
  const withRw = await once(true);
  if (without.result !== withRw.result) throw new Error(`results differ: ${without.result} vs ${withRw.result}`);
  console.log(`job particles ${ARGS.join(' ')}; overload ${OVERLOAD} (ms:factor) on the hub it starts on`);
  console.log(`bench reweave: without_ms=${without.ms.toFixed(0)} with_ms=${withRw.ms.toFixed(0)} speedup=${(without.ms / withRw.ms).toFixed(2)} moves=${withRw.moves}`);
}

main().catch((e) => {
  console.error(`bench reweave: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
