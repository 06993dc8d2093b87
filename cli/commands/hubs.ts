/** `weave hubs`: list the live hubs on a NATS server with capabilities, load and latency. */
import { connectMesh } from '../../runtime/engine/index.js';
import { resolveNatsUrl } from '../../runtime/net/index.js';
import { intOption, UsageError, type Command } from '../command.js';
import { NATS_AUTH_OPTIONS, natsAuthFlags, natsAuthHelp } from '../auth.js';
import { printTable } from '../table.js';
import { EXIT } from '../exit-codes.js';

const PINGS = 3;

export const hubs: Command = {
  name: 'hubs',
  summary: 'list live hubs: capabilities, load, measured latency',
  help: `usage: weave hubs [--nats URL] [TLS and credential flags] [--json] [--wait MS] [--expect N]
       weave hubs drain NAME… [--nats URL] [TLS and credential flags] [--wait MS]

Asks every hub on the NATS server for its advert, pings each ${PINGS} times and prints one line
per hub: id, state, speed (measured at start against a reference loop, 1.00 = reference;
a throttled or busy machine shows less), slots busy/total, queue, CPU load, AVX2, GPU,
memory, datasets, labels and the median round-trip time.

'weave hubs drain NAME…' asks those hubs to drain and stop, as SIGTERM does: running
fragments pause at their next yield point and go on elsewhere; it waits (up to --wait,
default 30000) until each has stopped. Over a server with per-subject permissions only
credentials allowed to publish weave.hub.*.drain may (docs/security.md).

options:
  --nats URL       NATS server (default: $NATS_URL, else nats://127.0.0.1:4222)
${natsAuthHelp(16)}
  --json           print a JSON array of adverts, each with rttMs (public keys in base64)
  --wait MS        how long to wait for the first hub (default 2000), or with --expect
                   for N of them
  --expect N       wait until N hubs are ready (a script starting hubs waits so for
                   them to calibrate and subscribe); fewer by --wait: the table, then
                   exit code 4
  -h, --help       show this help

exit codes: 0 listed (possibly none) or drained, 1 a hub did not take the drain or did
not stop in time, 2 bad input (a hub that is not there too), 4 fewer hubs ready than --expect N,
6 NATS refused the credentials or TLS, 7 NATS unreachable`,
  options: { nats: { type: 'string' }, ...NATS_AUTH_OPTIONS, json: { type: 'boolean' }, wait: { type: 'string' }, expect: { type: 'string' } },
  async run(values, positionals) {
    if (positionals[0] === 'drain') return drain(values, positionals.slice(1));
    if (positionals.length) throw new UsageError(`weave hubs takes no arguments but 'drain NAME…', got '${positionals.join(' ')}'`);
    const expect = intOption(values.expect, '--expect', 1, 10_000);
    const waitMs = intOption(values.wait, '--wait', 0, 600_000) ?? (expect ? 30_000 : 2000);
    const t0 = Date.now();
    const mesh = await connectMesh({ nats: resolveNatsUrl(values.nats), ...natsAuthFlags(values), waitForHubsMs: waitMs });
    try {
      const ready = () => mesh.adverts().filter((a) => a.state === 'ready').length;
      // Hubs advertise as they come up; ask again until enough are ready or the wait is over.
      while (expect && ready() < expect && Date.now() - t0 < waitMs) await mesh.discover({ waitMs: 500, settleMs: 100 });
      const short = () => {
        if (!expect || ready() >= expect) return EXIT.ok;
        process.stderr.write(`weave hubs: ${ready()} of the ${expect} hubs expected are ready after ${waitMs} ms\n`);
        return EXIT.noHubs;
      };
      const list = await Promise.all(mesh.adverts().map(async (a) => {
        const rtts: number[] = [];
        for (let i = 0; i < PINGS; i++) {
          try { rtts.push(await mesh.ping(a.id)); } catch { /* counted as missing */ }
        }
        rtts.sort((x, y) => x - y);
        return { ...a, rttMs: rtts.length ? Math.round(rtts[rtts.length >> 1] * 1000) / 1000 : null };
      }));
      if (values.json) {
        // Keys are bytes: base64, as a person or a script would copy them, not {"0":48,…}.
        const bytes = (_k: string, x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x);
        process.stdout.write(JSON.stringify(list.map(({ kind, v, ...rest }) => rest), bytes) + '\n');
        return short();
      }
      if (!list.length) {
        process.stdout.write('no hubs answered; start one with: hub start --nats ' + resolveNatsUrl(values.nats) + '\n');
        return short();
      }
      const rows = list.map((h) => [
        h.id, h.state, h.caps.speed === undefined ? '-' : h.caps.speed.toFixed(2), `${h.load.busy}/${h.load.slots}`, String(h.load.queue), h.load.cpu.toFixed(2),
        h.caps.avx2 ? 'yes' : 'no', h.caps.gpu ? 'yes' : 'no', `${h.caps.memoryMiB} MiB`,
        h.datasets.join(',') || '-', Object.entries(h.labels).map(([k, v]) => `${k}=${v}`).join(',') || '-',
        h.rttMs === null ? 'no answer' : `${h.rttMs.toFixed(2)} ms`,
      ]);
      const head = ['HUB', 'STATE', 'SPEED', 'BUSY', 'QUEUE', 'CPU', 'AVX2', 'GPU', 'MEMORY', 'DATASETS', 'LABELS', 'RTT'];
      printTable(head, rows, {
        tone: (c, col) => (col === 'STATE' ? (c === 'ready' ? 'good' : c === 'draining' || c === 'reconnecting' ? 'warn' : c === 'stopped' ? 'bad' : undefined)
          : col === 'RTT' && c === 'no answer' ? 'bad' : c === '-' ? 'dim' : undefined),
      });
      return short();
    } finally {
      await mesh.close();
    }
  },
};

/** `weave hubs drain NAME…`: each hub drains and stops; resolves once all have stopped. */
async function drain(values: Record<string, any>, names: string[]): Promise<number> {
  if (!names.length) throw new UsageError('weave hubs drain needs the names of the hubs to stop, as weave hubs lists them');
  const waitMs = intOption(values.wait, '--wait', 0, 600_000) ?? 30_000;
  const mesh = await connectMesh({ nats: resolveNatsUrl(values.nats), ...natsAuthFlags(values), waitForHubsMs: Math.min(waitMs, 5000) });
  try {
    const live = mesh.adverts().map((a) => a.id);
    const missing = names.filter((n) => !live.includes(n));
    if (missing.length) throw new UsageError(`no hub ${missing.map((n) => `'${n}'`).join(', ')} on this server; live hubs are: ${live.join(', ') || 'none'}`);
    await Promise.all(names.map(async (n) => {
      await mesh.drain(n).catch((e: Error) => { throw new HubDrainError(`hub ${n} did not take the drain: ${e.message}`, { cause: e }); });
      process.stderr.write(`weave hubs: ${n} is draining\n`);
    }));
    // A stopped hub's last advert says so; one that vanished stopped too.
    const t0 = Date.now();
    const gone = () => names.filter((n) => !mesh.adverts().some((a) => a.id === n && a.state !== 'stopped'));
    while (gone().length < names.length && Date.now() - t0 < waitMs) await mesh.discover({ waitMs: 500, settleMs: 100 });
    const left = names.filter((n) => !gone().includes(n));
    if (left.length) throw new HubDrainError(`${left.join(', ')} still running after ${waitMs} ms (draining waits for running fragments to reach a yield point)`);
    process.stderr.write(`weave hubs: stopped ${names.join(', ')}\n`);
    return EXIT.ok;
  } finally {
    await mesh.close();
  }
}

/** A hub did not drain as asked: exit code 1. */
class HubDrainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HubDrainError';
  }
}
