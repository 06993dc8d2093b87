/**
 * Data locality: the same data-heavy job (examples/data.ts: the mean of a 64 MiB dataset of
 * f32 values, read in 256 KiB ranges) placed on the hub that holds the dataset, and on a
 * hub that does not and so fetches every range from the first over NATS.
 *
 * Two links between the hubs: plain loopback (NATS on this machine, no shaping), and an
 * emulated LAN, `hub start --data-link-delay-ms 1 --data-link-mbps 1000`: the serving hub
 * holds each range back 1 ms plus its size at 1 Gbit/s, as a real link between machines
 * would. Each placement runs `rounds` times; medians are compared.
 *   npm run bench:data            # or: node dist/bench/data.js --quick
 * Last line: `bench data: local_ms=… remote_ms=… shaped_remote_ms=… speedup=… shaped_speedup=…`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../fragments/index.js';
import { loadBundle } from '../runtime/exec/index.js';
import { connectMesh, runJob, type NatsMesh, type RoutedTransport } from '../runtime/engine/index.js';
import { startHubProcess, startNatsServer } from '../test/helpers/nats-server.js';
import { sleep } from '../runtime/util/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.argv.includes('--quick');
const DATA = path.join(ROOT, 'build', 'bench-points.bin');
const MIB = quick ? 16 : 64;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The mesh as seen by a job that may only use hub `id`. */
function only(mesh: NatsMesh, id: string): RoutedTransport {
  return {
    kind: 'routed',
    hubs: () => mesh.hubs().filter((h) => h.id === id),
    request: (hub, req) => mesh.request(hub, req),
    submit: (hub, req, onProgress) => mesh.submit(hub, req, onProgress),
    stored: (job) => mesh.stored(job),
    forgetStored: (job) => mesh.forgetStored(job),
    jobs: () => mesh.jobs(),
    fence: (job, attempt, by) => mesh.fence(job, attempt, by),
    move: async () => false,
    placed: (hub) => mesh.placed(hub),
    running: (key) => mesh.running(key),
    close: async () => {},
  };
}

async function main(): Promise<void> {
  await mkdir(path.dirname(DATA), { recursive: true });
  const values = new Float32Array((MIB << 20) / 4);
  for (let i = 0; i < values.length; i++) values[i] = (i % 10007) / 100;
  await writeFile(DATA, new Uint8Array(values.buffer));
  const bundle = await loadBundle((await buildBundle(path.join(ROOT, 'examples/data.ts'), {})).bundle);
  const rounds = quick ? 3 : 7;
  const chunk = 65536; // f32 values per read: 256 KiB

  const ns = await startNatsServer({ maxPayload: 8 << 20 });
  const hubs = await Promise.all([
    startHubProcess(ns.url, 'store', ['--slots', '1', '--no-gpu', '--data', `points=${DATA}`]),
    startHubProcess(ns.url, 'store-lan', ['--slots', '1', '--no-gpu', '--data', `points=${DATA}`, '--data-link-delay-ms', '1', '--data-link-mbps', '1000']),
    startHubProcess(ns.url, 'far', ['--slots', '1', '--no-gpu']),
  ]);
  const mesh = await connectMesh({ nats: ns.url, waitForHubsMs: 10_000 });
  try {
    for (let i = 0; i < 50 && mesh.hubs().length < 3; i++) await sleep(100);
    const time = async (t: RoutedTransport, label: string) => {
      const ms: number[] = [];
      let value: unknown;
      for (let i = 0; i < rounds + 1; i++) {
        const r = await runJob(t, bundle, { args: [chunk] });
        if (i > 0) ms.push(r.wallMs);
        if (value !== undefined && r.value !== value) throw new Error(`${label}: result ${r.value} differs from ${value}`);
        value = r.value;
      }
      console.log(`${label.padEnd(48)} median ${median(ms).toFixed(1)} ms over ${rounds} runs (result ${value})`);
      return { ms: median(ms), value };
    };
    const local = await time(only(mesh, 'store'), 'at the data (store)');
    // 'store-lan' serves with the emulated link; 'store' without. A far hub's reads go to
    // whichever answers first in the queue group, so each remote run has one server up.
    await hubs[1].stop('SIGKILL');
    const remote = await time(only(mesh, 'far'), 'away, ranges over loopback NATS');
    const lan = await startHubProcess(ns.url, 'store-lan', ['--slots', '1', '--no-gpu', '--data', `points=${DATA}`, '--data-link-delay-ms', '1', '--data-link-mbps', '1000']);
    hubs[1] = lan;
    await hubs[0].stop('SIGKILL');
    const shaped = await time(only(mesh, 'far'), 'away, ranges over the emulated 1 Gbit/s link');
    if (local.value !== remote.value || local.value !== shaped.value) throw new Error('results differ between placements');
    const summary = {
      dataset_mib: MIB, local_ms: local.ms, remote_ms: remote.ms, shaped_remote_ms: shaped.ms,
      speedup: remote.ms / local.ms, shaped_speedup: shaped.ms / local.ms,
    };
    await writeFile(path.join(ROOT, 'build', 'bench-data.json'), JSON.stringify(summary, null, 2) + '\n');
    console.log(`bench data: ${Object.entries(summary).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`).join(' ')}`);
  } finally {
    await mesh.close();
    await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
    await ns.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench data failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
