/**
 * `npm run fuzz:protocol`: randomized attacks of a peer on the bus (issue 20) against a
 * real nats-server (JetStream) and two real hub processes with default flags (and a
 * 64 MiB memory limit, so declared memories above it must be refused before they are
 * allocated). Each case picks an attack and its parameters from a seeded generator, with
 * an ordinary client credential (default mode: any connection): forged results from
 * hub ids on the route and off it, signed with the peer's own key or not; moves to a hub
 * id the peer answers for, without a ticket or with one it signed; engine execs captured
 * on the bus and replayed; junk job keys then a captured sealed hand-over replayed;
 * checkpoints declaring large memories; unfinished part transfers; messages with fields
 * of the wrong type. It counts what got through:
 *   accepted_forgeries  a job's result differs from the one computed without the attacker
 *   leaks               a state reached a subject the attacker serves
 *   replays             a replayed exec or hand-over was run or acknowledged
 * and samples the hubs' RSS after each case. The last line:
 *   bench attack: cases=… accepted_forgeries=0 leaks=0 replays=0 max_rss_growth_mib=…
 *   node dist/bench/protocol-fuzz.js [--cases 30] [--seed 1]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { headers as natsHeaders } from 'nats';
import { connectMesh, runJob } from '../runtime/engine/index.js';
import { loadBundle, type LoadedBundle } from '../runtime/exec/index.js';
import { HubCore } from '../runtime/hub/index.js';
import {
  ADVERT_SUBJECT, Wire, connectNats, createIdentity, execSubject, sealTo, sign, ticketStatement, type NatsConnection,
} from '../runtime/net/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, parseMessage, type ExecRequest, type HubAdvert, type HubReply } from '../runtime/protocol/index.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../runtime/snapshot/index.js';
import { runCli, startHubProcess, startNatsServer, type HubProcess } from '../test/helpers/nats-server.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '30' }, seed: { type: 'string', default: '1' } } });
const CASES = Number(values.cases);
const MODULE = 'build/bench/fuzz-particles.wasm';
const HUBS = ['fa', 'fb'];

/** mulberry32: the same cases for the same seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

const rssMiB = (h: HubProcess) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${h.proc.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const codeOf = (r: HubReply) => (r.kind === 'error' ? r.code : r.kind === 'ran' ? r.outcome : r.kind);

function advertOf(nc: NatsConnection, id: string): Promise<HubAdvert> {
  return new Promise((resolve) => {
    const sub = nc.subscribe(ADVERT_SUBJECT, {
      callback: (_e, msg) => {
        const a = parseMessage(decodeMessage(msg.data), ['advert']) as HubAdvert;
        if (a.id === id) { sub.unsubscribe(); resolve(a); }
      },
    });
  });
}

async function main(): Promise<void> {
  const r = rng(Number(values.seed));
  const built = await runCli('weave', ['build', 'examples/particles.ts', '-o', MODULE, '--yield-interval', '50']);
  if (built.status !== 0) throw new Error(built.stderr);
  const bundle = await loadBundle(new Uint8Array(readFileSync(MODULE)));
  const ns = await startNatsServer({ jetstream: true });
  const hubs = await Promise.all(HUBS.map((n) => startHubProcess(ns.url, n, ['--slots', '1', '--no-gpu', '--max-memory-mib', '64'])));
  const nc = await connectNats(ns.url, { name: 'fuzzer' });
  const wire = new Wire(nc);
  const mesh = await connectMesh({ nats: ns.url });
  const counts = { cases: 0, accepted_forgeries: 0, leaks: 0, replays: 0 };
  const refusals = new Map<string, number>();
  const note = (code: string) => refusals.set(code, (refusals.get(code) ?? 0) + 1);
  const run = async (args: number[], migrateEvery = 0) => {
    const out = await runJob(mesh, bundle, { args, migrateEvery, reweave: false }).catch((e: Error) => ({ failed: e.message }));
    return 'failed' in out ? `failed: ${out.failed}` : String(out.value);
  };
  const expected = new Map<string, string>();
  const baseline = async (args: number[]) => {
    const k = args.join(',');
    if (!expected.has(k)) expected.set(k, await run(args));
    return expected.get(k)!;
  };
  await baseline([64, 400]);
  // Growth is what the attacks add: both hubs first run the ordinary jobs the attacks ride
  // on (the short one, and the long one moving between them), so their compiles, slot
  // instances, base checkpoints and JetStream buffers are in the baseline, not counted as
  // the first attack's.
  for (const [args, every] of [[[64, 400], 1], [[600, 60000], 20000]] as const) {
    const warm = await run([...args], every);
    if (warm !== await baseline([...args])) throw new Error(`the warm-up job ${args.join(' ')} between both hubs gave ${warm}`);
  }
  const rss0 = hubs.map(rssMiB);
  let maxGrowth = 0;
  const me = createIdentity();
  const keys = Object.fromEntries(await Promise.all(HUBS.map(async (h) => [h, (await advertOf(nc, h)).keys!] as const)));
  const ask = async (hub: string, m: unknown, timeoutMs = 30_000) => parseMessage(decodeMessage(await wire.request(execSubject(hub), encodeMessage(m as never), { timeoutMs })), ['ran', 'error', 'ok', 'pong']) as HubReply;

  const attacks: Record<string, () => Promise<void>> = {
    async forgeResult() {
      const as = r.pick(['ghost', ...HUBS]);
      const signed = r.next() < 0.5;
      let sent = 0;
      const subs = HUBS.map((h) => wire.serve(execSubject(h), async (bytes) => {
        const m = decodeMessage(bytes) as unknown as ExecRequest;
        if (m.kind !== 'exec' || sent >= 1) return undefined;
        sent++;
        const result = new Uint8Array(8).fill(r.int(1, 255));
        const sig = signed ? sign(me, new Uint8Array(8)) : undefined;
        return encodeMessage({ kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, result, execMs: 1, yields: 1, hub: as, sig, committed: false });
      }));
      await nc.flush();
      const args = [64, r.pick([200, 400])];
      const got = await run(args);
      for (const s of subs) s.unsubscribe();
      if (got !== await baseline(args)) counts.accepted_forgeries++;
    },
    async steal() {
      let stolen = 0;
      const evil = wire.serve(execSubject('evil'), async () => { stolen++; return encodeMessage({ kind: 'ok', v: PROTOCOL_VERSION, resumedAt: Date.now() }); });
      const job = run([600, 60000], 20000);
      // The job is found through an advert that lists it running. One that finishes between
      // two adverts is never listed: the case has nothing to steal then (a wait for the
      // advert alone hung a 60-case run once).
      let sub: ReturnType<typeof nc.subscribe> | undefined;
      const seen = await Promise.race([
        new Promise<{ hub: string; key: string }>((resolve) => {
          sub = nc.subscribe(ADVERT_SUBJECT, {
            callback: (_e, msg) => {
              const a = parseMessage(decodeMessage(msg.data), ['advert']) as HubAdvert;
              if (a.running?.[0]) resolve({ hub: a.id, key: a.running[0] });
            },
          });
        }),
        job.then(() => undefined),
      ]);
      sub?.unsubscribe();
      if (!seen) {
        note('unseen');
        evil.unsubscribe();
        return;
      }
      const { hub, key } = seen;
      const route = [hub, 'evil'];
      const k = { evil: me.public.seal };
      const issued = Date.now() + r.int(1, 600_000);
      const ticket = r.next() < 0.5 ? undefined : sign(me, ticketStatement({ job: key, attempt: Number(key.split('.')[1]), bundle: bundle.hash, route, keys: k, inboxes: [], issued }));
      note(codeOf(await ask(hub, { kind: 'move', v: PROTOCOL_VERSION, job: key, to: 'evil', key: me.public.seal, ...(ticket ? { route, keys: k, issued, ticket } : {}) })));
      await job;
      evil.unsubscribe();
      if (stolen) counts.leaks++;
    },
    async replayExec() {
      let captured: { subject: string; data: Uint8Array } | undefined;
      const sub = nc.subscribe('weave.hub.*.exec', {
        callback: (_e, msg) => {
          try {
            const m = decodeMessage(msg.data) as Record<string, unknown>;
            if (!captured && m.kind === 'exec' && m.from === undefined && m.ticket) captured = { subject: msg.subject, data: new Uint8Array(msg.data) };
          } catch { /* a part */ }
        },
      });
      await nc.flush();
      await run([64, 200]);
      sub.unsubscribe();
      if (!captured) return;
      const to = r.next() < 0.5 ? captured.subject : execSubject(r.pick(HUBS));
      const out = codeOf(parseMessage(decodeMessage(await wire.request(to, captured.data, { timeoutMs: 30_000 })), ['ran', 'error']) as HubReply);
      note(out);
      if (out === 'done' || out === 'paused' || out === 'next') counts.replays++;
    },
    async floodThenReplay() {
      let captured: { subject: string; data: Uint8Array } | undefined;
      const sub = nc.subscribe('weave.hub.*.exec', {
        callback: (_e, msg) => {
          try {
            const m = decodeMessage(msg.data) as Record<string, unknown>;
            if (!captured && m.kind === 'exec' && m.from !== undefined && m.sealed) captured = { subject: msg.subject, data: new Uint8Array(msg.data) };
          } catch { /* a part */ }
        },
      });
      await nc.flush();
      await run([300, 30000], 3000);
      sub.unsubscribe();
      if (!captured) return;
      const hub = captured.subject.split('.')[2];
      const n = r.int(100, 5000);
      for (let i = 0; i < n; i += 100) {
        await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => {
          const job = `junk${r.int(0, 1e9)}-${i + j}.0`;
          const req: ExecRequest = {
            kind: 'exec', v: PROTOCOL_VERSION, job, bundle: bundle.hash, entry: 'x', fragment: 0, migrateEvery: 0, attempt: 0, client: me.public, keys: { [hub]: keys[hub].seal }, sealed: true,
            checkpoint: sealTo(me, keys[hub].seal, { job, attempt: 0, fragment: 0, seq: 0, bundle: bundle.hash, from: 'engine', to: hub }, new Uint8Array(16)),
          };
          return ask(hub, req).catch(() => undefined);
        }));
      }
      const out = codeOf(await ask(hub, decodeMessage(captured.data)).catch(() => ({ kind: 'error', v: PROTOCOL_VERSION, code: 'no-answer', message: '' }) as HubReply));
      note(out);
      if (out === 'ok') counts.replays++;
    },
    async bigMemory() {
      const paused = await new HubCore('maker').handle({ kind: 'exec', v: PROTOCOL_VERSION, job: 'm', bundle: bundle.hash, bundleBytes: bundle.bytes, entry: 'simulate', fragment: bundle.manifest.entries[0].fragments[0], args: [64, 400], migrateEvery: 300, stay: true, full: true });
      if (paused.kind !== 'ran') return;
      const real = decodeCheckpoint(paused.checkpoint!) as Checkpoint;
      const memory = new Uint8Array(r.int(2, 16) * (32 << 20));
      memory.set(real.memory);
      const big = encodeCheckpoint({ ...real, memory });
      const hub = r.pick(HUBS);
      const job = `big${r.int(0, 1e9)}.0`;
      const req: ExecRequest = {
        kind: 'exec', v: PROTOCOL_VERSION, job, bundle: bundle.hash, bundleBytes: bundle.bytes, entry: 'simulate', fragment: paused.fragment, migrateEvery: 600, stay: true, full: true,
        attempt: 0, client: me.public, keys: { [hub]: keys[hub].seal }, sealed: true,
        checkpoint: sealTo(me, keys[hub].seal, { job, attempt: 0, fragment: paused.fragment, seq: 0, bundle: bundle.hash, from: 'engine', to: hub }, big),
      };
      note(codeOf(await ask(hub, req, 60_000)));
    },
    async partFlood() {
      const hub = r.pick(HUBS);
      const n = r.int(50, 600);
      const part = new Uint8Array(r.int(100_000, 1_000_000));
      for (let i = 0; i < n; i++) {
        const h = natsHeaders();
        h.set('Weave-Xfer', `flood.${r.int(0, 1e9)}`);
        h.set('Weave-Part', `0/${r.int(2, 5)}`);
        nc.publish(execSubject(hub), part, { headers: h });
        if (i % 50 === 49) await nc.flush();
      }
      note(codeOf(await ask(hub, { kind: 'ping', v: PROTOCOL_VERSION })));
    },
    async wrongTypes() {
      const hub = r.pick(HUBS);
      const base: Record<string, unknown> = { kind: 'exec', v: PROTOCOL_VERSION, job: 'w.0', bundle: bundle.hash, entry: 'simulate', fragment: 0, migrateEvery: 0, args: [1, 2] };
      const field = r.pick(['job', 'bundle', 'fragment', 'route', 'replyTo', 'keys', 'client', 'ticket', 'issued', 'checkpoint', 'v', 'kind']);
      const value = r.pick([{ a: 1 }, [1, 2], '1', -1, 1e300, null, new Uint8Array(3), true]);
      note(codeOf(await ask(hub, { ...base, [field]: value })));
      note(codeOf(await ask(hub, { kind: r.pick(['move', 'drop-job', 'ping']), v: r.pick([PROTOCOL_VERSION, '1', 2]), job: value, to: value })));
    },
  };
  const names = Object.keys(attacks);
  for (let i = 0; i < CASES; i++) {
    const name = names[i < names.length ? i : r.int(0, names.length - 1)];
    await attacks[name]();
    counts.cases++;
    const growth = Math.max(...hubs.map((h, k) => rssMiB(h) - rss0[k]));
    maxGrowth = Math.max(maxGrowth, growth);
    console.log(`case ${i + 1} ${name}: hub rss growth ${growth.toFixed(0)} MiB`);
  }
  console.log(`refusals: ${[...refusals].map(([k, v]) => `${k}=${v}`).join(' ')}`);
  await mesh.close();
  wire.close();
  await nc.close();
  await Promise.all(hubs.map((h) => h.stop('SIGKILL')));
  await ns.stop();
  console.log(`bench attack: cases=${counts.cases} accepted_forgeries=${counts.accepted_forgeries} leaks=${counts.leaks} replays=${counts.replays} max_rss_growth_mib=${maxGrowth.toFixed(0)}`);
}

await main();
