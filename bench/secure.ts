/**
 * What sealing costs. (1) Seal and open throughput (AES-256-GCM, the keys cached as in a
 * hub) on 16 MiB, next to a plain copy of the same bytes, same process. (2) Migration
 * pause-to-resume with sealing (hubs as started by default) as a ratio to hubs started
 * with --insecure: a fragment holding 1 MiB (and 16 MiB), all rewritten between pauses,
 * moving between two hub processes at every pause. The modes alternate, four times each
 * (which goes first alternating too), on fresh hubs, each job's first three migrations
 * left out, and the medians are compared.
 *   npm run bench:secure
 * Seal and open also in place (as a hub seals a diff it hands over and opens what it
 * receives: over the bytes themselves, no buffer of their size made).
 * Last line: `bench secure: seal_gbps=… open_gbps=… seal_inplace_gbps=… open_inplace_gbps=… copy_gbps=… migrate1m_ratio=… migrate16m_ratio=…`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../fragments/index.js';
import { loadBundle, type LoadedBundle } from '../runtime/exec/index.js';
import { connectMesh, runJob } from '../runtime/engine/index.js';
import { SEAL_HEAD, SEAL_TAIL, createIdentity, openFrom, sealTo, type SealContext } from '../runtime/net/index.js';
import { startHubProcess, startNatsServer } from '../test/helpers/nats-server.js';
import { median } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.argv.includes('--quick');


function throughput(): { seal: number; open: number; sealInPlace: number; openInPlace: number; copy: number } {
  const a = createIdentity();
  const b = createIdentity();
  const bytes = new Uint8Array(16 << 20).map((_, i) => (i * 2654435761) >>> 24);
  const ctx: SealContext = { job: 'bench.0', attempt: 0, fragment: 1, seq: 1, bundle: '0'.repeat(64), from: 'a', to: 'b' };
  const rounds = quick ? 5 : 20;
  const time = (f: () => void) => {
    const ts: number[] = [];
    for (let i = 0; i < rounds; i++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); }
    return median(ts);
  };
  let box = sealTo(a, b.public.seal, ctx, bytes);
  const sealMs = time(() => { box = sealTo(a, b.public.seal, ctx, bytes); });
  const openMs = time(() => { openFrom(b, a.public.seal, ctx, box); });
  // In place: the plaintext with room around it, sealed over itself; the box opened over itself.
  const room = new Uint8Array(SEAL_HEAD + bytes.byteLength + SEAL_TAIL);
  const inRoom = room.subarray(SEAL_HEAD, SEAL_HEAD + bytes.byteLength);
  inRoom.set(bytes);
  // Alternately: each seal leaves the box where the plaintext was, each open the plaintext.
  const sealTimes: number[] = [];
  const openTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const box = sealTo(a, b.public.seal, ctx, inRoom, { consume: true });
    const t1 = performance.now();
    openFrom(b, a.public.seal, ctx, box, true);
    openTimes.push(performance.now() - t1);
    sealTimes.push(t1 - t0);
  }
  const sealInPlaceMs = median(sealTimes);
  const openInPlaceMs = median(openTimes);
  const dst = new Uint8Array(bytes.byteLength);
  const copyMs = time(() => dst.set(bytes));
  const gbps = (ms: number) => bytes.byteLength / (ms / 1000) / 1e9;
  console.log(`16 MiB: seal ${sealMs.toFixed(2)} ms, open ${openMs.toFixed(2)} ms, in place ${sealInPlaceMs.toFixed(2)} and ${openInPlaceMs.toFixed(2)} ms, copy ${copyMs.toFixed(2)} ms`);
  return { seal: gbps(sealMs), open: gbps(openMs), sealInPlace: gbps(sealInPlaceMs), openInPlace: gbps(openInPlaceMs), copy: gbps(copyMs) };
}

/** Migrations left out at the start of each job. */
const WARMUP = 3;

async function migrations(b: LoadedBundle, insecure: boolean, kib: number, steps: number): Promise<number[]> {
  const ns = await startNatsServer({ maxPayload: 32 << 20 });
  const extra = ['--slots', '1', '--no-gpu', ...(insecure ? ['--insecure'] : [])];
  const hubs = await Promise.all(['s-1', 's-2'].map((n) => startHubProcess(ns.url, n, extra)));
  const mesh = await connectMesh({ nats: ns.url });
  try {
    const every = Math.max(1, Math.round((kib * 256) / b.manifest.yieldInterval));
    const r = await runJob(mesh, b, { entry: 'hold', args: [kib, steps, 1], migrateEvery: every, reweave: false });
    return r.pauseToResumeMs;
  } finally {
    await mesh.close();
    await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
    await ns.stop();
  }
}

async function main(): Promise<void> {
  const t = throughput();
  const hold = await loadBundle((await buildBundle(path.join(ROOT, 'bench/programs/hold.ts'), { yieldInterval: 1 << 18 })).bundle);
  const ratios: Record<number, number> = {};
  for (const [kib, steps] of [[1024, quick ? 8 : 30], [16 * 1024, quick ? 4 : 10]] as const) {
    const plain: number[] = [];
    const sealed: number[] = [];
    // Which mode goes first alternates (the first of a pair tended to do better), and each
    // job's first WARMUP migrations (fresh hubs warming up) are left out, as in bench mesh.
    for (let round = 0; round < (quick ? 2 : 4); round++) {
      for (const insecure of round % 2 ? [false, true] : [true, false]) {
        (insecure ? plain : sealed).push(...(await migrations(hold, insecure, kib, steps + WARMUP)).slice(WARMUP));
      }
    }
    ratios[kib] = median(sealed) / median(plain);
    console.log(`migrate ${kib} KiB: sealed ${median(sealed).toFixed(2)} ms (${sealed.length} moves), plain ${median(plain).toFixed(2)} ms (${plain.length}), ratio ${ratios[kib].toFixed(2)}`);
  }
  console.log(`bench secure: seal_gbps=${t.seal.toFixed(2)} open_gbps=${t.open.toFixed(2)} seal_inplace_gbps=${t.sealInPlace.toFixed(2)} open_inplace_gbps=${t.openInPlace.toFixed(2)} copy_gbps=${t.copy.toFixed(2)} migrate1m_ratio=${ratios[1024].toFixed(2)} migrate16m_ratio=${ratios[16384].toFixed(2)}`);
}

main().catch((e) => {
  console.error(`bench secure: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
