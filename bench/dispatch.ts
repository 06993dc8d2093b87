/**
 * Where a tiny fragment's time goes, one job after another on one `hub start` process
 * (issue 19: the per-fragment fixed cost of dispatch). For each job, from stamps on one
 * clock (engine and hub are on the same machine):
 *
 * - submit: from `runJob` to the exec leaving the engine (placement, the signed ticket);
 * - to_run: from there to the fragment running in the hub's slot (the message, the hub's
 *   checks, the ticket's signature verified, the hand-off to the slot thread, an instance);
 * - run: the fragment itself;
 * - back: from the run's end to the reply at the engine (the result signed, the message);
 * - after: from the reply to `runJob` returning (the result's signature checked).
 *
 * Also the CPU each process spent per job (the engine's from process.cpuUsage, the hub's
 * from /proc, all its threads), since on a small machine a job's wall time is mostly CPU.
 * The stamps come from wrapping the mesh's `submit` (its RoutedTransport side), which the
 * reply's `resumedAt` and `execMs` complete.
 *   node dist/bench/dispatch.js [--jobs N]
 * Last line: `bench dispatch: total_us=… submit_us=… to_run_us=… run_us=… back_us=… after_us=… engine_cpu_us=… hub_cpu_us=… jobs=…`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../fragments/index.js';
import { loadBundle } from '../runtime/exec/index.js';
import { connectMesh, runJob } from '../runtime/engine/index.js';
import { startHubProcess, startNatsServer } from '../test/helpers/nats-server.js';
import { median } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = process.argv.indexOf('--jobs');
const JOBS = arg > 0 ? Number(process.argv[arg + 1]) : 1000;
const WARM = 50;

/** User and system CPU of process `pid` so far, µs (Linux /proc; 0 elsewhere). */
function cpuOf(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    return 0;
  }
}

interface Stamps { start: number; sent: number; reply: number; resumedAt: number; execMs: number; end: number }

async function main(): Promise<void> {
  if (!(JOBS > 0)) throw new Error('--jobs takes a positive count');
  const ns = await startNatsServer({});
  const hub = await startHubProcess(ns.url, 'dispatch-1', ['--slots', '1']);
  const mesh = await connectMesh({ nats: ns.url });
  try {
    const tiny = await loadBundle((await buildBundle(path.join(ROOT, 'bench/programs/tiny.ts'), { yieldInterval: 1 << 20 })).bundle);
    const now = () => performance.timeOrigin + performance.now();
    let cur: Stamps = { start: 0, sent: 0, reply: 0, resumedAt: 0, execMs: 0, end: 0 };
    const submit = mesh.submit.bind(mesh);
    mesh.submit = async (...a: Parameters<typeof mesh.submit>) => {
      cur.sent = now();
      const r = await submit(...a);
      cur.reply = now();
      if (r.kind === 'ran') { cur.resumedAt = r.resumedAt ?? 0; cur.execMs = r.execMs ?? 0; }
      return r;
    };
    const rows: Stamps[] = [];
    let cpu0 = { engine: process.cpuUsage(), hub: 0 };
    for (let i = 0; i < WARM + JOBS; i++) {
      if (i === WARM) cpu0 = { engine: process.cpuUsage(), hub: cpuOf(hub.proc.pid) };
      cur = { start: now(), sent: 0, reply: 0, resumedAt: 0, execMs: 0, end: 0 };
      await runJob(mesh, tiny, { args: [100] });
      cur.end = now();
      if (i >= WARM) rows.push(cur);
    }
    const used = process.cpuUsage(cpu0.engine);
    const hubCpu = cpuOf(hub.proc.pid) - cpu0.hub;
    const us = (f: (r: Stamps) => number) => Math.round(median(rows.map(f)) * 1000);
    const summary = {
      total_us: us((r) => r.end - r.start), submit_us: us((r) => r.sent - r.start), to_run_us: us((r) => r.resumedAt - r.sent),
      run_us: us((r) => r.execMs), back_us: us((r) => r.reply - r.resumedAt - r.execMs), after_us: us((r) => r.end - r.reply),
      engine_cpu_us: Math.round((used.user + used.system) / JOBS), hub_cpu_us: Math.round(hubCpu / JOBS), jobs: JOBS,
    };
    console.log(`bench dispatch: ${Object.entries(summary).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  } finally {
    await mesh.close();
    await hub.stop('SIGKILL');
    await ns.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench dispatch failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
