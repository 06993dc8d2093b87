/**
 * The floor of a hand-over on this machine: its stages as the hubs run them, with nothing
 * else of a hub (no schema checks, tickets, codec, policy, logs). A sending slot thread
 * compares 1 MiB of rewritten memory with its base a page at a time and copies the changed
 * pages into a message and into the base; its main thread seals the message in place
 * (AES-256-GCM) and publishes it; a receiving process opens it in place and hands it to its
 * slot thread, which copies the pages into memory and stamps the resume. Pause-to-resume
 * against a raw NATS request/reply of the same bytes on the same server, the baseline
 * `bench mesh` uses (bench/raw.ts: a stock nats.js responder in its own process; the
 * presized one beside it), rounds alternated. The stages run one after another here; the
 * hubs overlap only their seal with the socket writes, so `floor1m_ratio` is about the
 * lowest `bench mesh`'s `migrate1m_ratio` can go on this machine with this design, unless
 * the stages overlap (`--parts`: the message sent in pieces that flow through the stages
 * as each is ready).
 *   npm run bench:floor                      # 1 MiB, 3 rounds of 150, parts 1 and 4
 *   node dist/bench/floor.js --bytes 16777216 --n 30 --parts 1,2,4,8
 *   node dist/bench/floor.js --parts 1,2 --gather   # the receiver overlaps nothing: which side gains
 * The first count in --parts names the floor (1: the message whole, as the hubs send it).
 * Last line: `bench floor: floor1m_ratio=… floor1m_ms=… raw1m_ms=… floor1m_ratio_presized_raw=… parts4_ratio=… cores=…`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { connect, type NatsConnection } from 'nats';
import { sealInPlace } from '../runtime/net/gcm.js';
import { startNatsServer } from '../test/helpers/nats-server.js';
import { CHECK_SUBJECT, FLOOR_KEY, FLOOR_SUBJECT, HEAD, TAG } from './floor/wire.js';
import { spawnReady, startEcho } from './raw.js';
import { median } from './stats.js';

const { values } = parseArgs({ options: { bytes: { type: 'string', default: String(1 << 20) }, n: { type: 'string', default: '150' }, rounds: { type: 'string', default: '3' }, parts: { type: 'string', default: '1,4' }, gather: { type: 'boolean', default: false } } });
const BYTES = Number(values.bytes);
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const PARTS = values.parts!.split(',').map(Number);
if (!(BYTES >= 4096) || !(N >= 1) || !(ROUNDS >= 1) || PARTS.some((p) => !(p >= 1))) throw new Error('bench floor: --bytes ≥ 4096, --n ≥ 1, --rounds ≥ 1, --parts a list of counts ≥ 1');
const WARMUP = 5;
const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'bench-floor.json');

/** The sending side: its slot thread, and the main thread's seal and publish of each part. */
function sender(nc: NatsConnection) {
  const slot = new Worker(new URL('./floor/slot.js', import.meta.url), { workerData: { role: 'send', bytes: BYTES } });
  const inbox = `_INBOX.floor.${process.pid}`;
  let resumed: (at: number) => void = () => {};
  nc.subscribe(inbox, { callback: (_e, m) => resumed(Number(new TextDecoder().decode(m.data))) });
  let hashed: (hex: string) => void = () => {};
  let pausedAt = 0;
  /** A nonce per part (the key is fixed): as the hubs' seal, never one twice. */
  let sealed = 0;
  slot.on('message', (m: { buf: ArrayBuffer; k: number; n: number; at: number; len: number; pausedAt: number; hash?: string }) => {
    if (m.hash) return hashed(m.hash);
    pausedAt = m.pausedAt;
    const out = new Uint8Array(m.buf);
    const dv = new DataView(m.buf);
    dv.setUint32(0, m.k); dv.setUint32(4, m.n); dv.setUint32(8, m.at);
    const nonce = out.subarray(12, 24);
    nonce.fill(0); dv.setUint32(12, ++sealed);
    const end = HEAD + m.len;
    sealInPlace(FLOOR_KEY, nonce, out.subarray(0, 12), out.subarray(HEAD, end), out.subarray(end, end + TAG));
    nc.publish(FLOOR_SUBJECT, out.subarray(0, end + TAG), m.k === m.n - 1 ? { reply: inbox } : undefined);
  });
  return {
    async handovers(parts: number): Promise<number> {
      const t: number[] = [];
      for (let i = 0; i < N + WARMUP; i++) {
        const at = new Promise<number>((r) => { resumed = r; });
        slot.postMessage({ parts });
        const resumedAt = await at;
        if (i >= WARMUP) t.push(resumedAt - pausedAt);
      }
      return median(t);
    },
    /** Throws unless the receiving slot's memory is the sending slot's, byte for byte. */
    async check(): Promise<void> {
      const mine = new Promise<string>((r) => { hashed = r; });
      slot.postMessage({ hash: true });
      const theirs = new TextDecoder().decode((await nc.request(CHECK_SUBJECT, new Uint8Array(0), { timeout: 10_000 })).data);
      if (theirs !== await mine) throw new Error(`bench floor: the receiver's memory differs from the sender's (sha-256 ${theirs.slice(0, 16)}… against ${(await mine).slice(0, 16)}…)`);
    },
    close: () => slot.terminate(),
  };
}

const ns = await startNatsServer({ maxPayload: 32 << 20 });
const receiver = await spawnReady([new URL('./floor/receiver.js', import.meta.url).pathname, ns.url, String(BYTES), ...(values.gather ? ['gather'] : [])], 'bench floor: the receiver');
const [stock, presized] = await Promise.all([startEcho(ns.url, 'bench.echo', { presize: false }), startEcho(ns.url, 'bench.echo.presized', { presize: true })]);
const nc = await connect({ servers: ns.url });
const send = sender(nc);
try {
  const rows = new Map<string, number[]>([['raw', []], ['presized', []], ...PARTS.map((k): [string, number[]] => [`parts ${k}`, []])]);
  for (let round = 0; round < ROUNDS; round++) {
    rows.get('raw')!.push(median(await stock.roundTrips(BYTES, N, WARMUP)));
    rows.get('presized')!.push(median(await presized.roundTrips(BYTES, N, WARMUP)));
    for (const k of PARTS) {
      rows.get(`parts ${k}`)!.push(await send.handovers(k));
      await send.check();
    }
  }
  const rawMs = median(rows.get('raw')!);
  const floorMs = median(rows.get(`parts ${PARTS[0]}`)!);
  for (const [k, v] of rows) console.log(`${k.padEnd(8)} medians ${v.map((x) => x.toFixed(2)).join(' ')} ms; ratio to raw ${(median(v) / rawMs).toFixed(2)}`);
  const tag = BYTES % (1 << 20) === 0 ? `${BYTES >> 20}m` : `${BYTES}b`;
  const figures: Record<string, string> = {
    [`floor${tag}_ratio`]: (floorMs / rawMs).toFixed(3),
    [`floor${tag}_ms`]: floorMs.toFixed(3),
    [`raw${tag}_ms`]: rawMs.toFixed(3),
    [`floor${tag}_ratio_presized_raw`]: (floorMs / median(rows.get('presized')!)).toFixed(3),
    ...Object.fromEntries(PARTS.slice(1).map((k) => [`parts${k}_ratio`, (median(rows.get(`parts ${k}`)!) / rawMs).toFixed(3)])),
    ...(values.gather ? { gather: '1' } : {}),
    cores: String(os.availableParallelism()),
  };
  console.log(`bench floor: ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, JSON.stringify({ ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Number(v)])), bytes: BYTES, n: N, rounds: ROUNDS, medians: Object.fromEntries(rows) }, null, 2) + '\n');
} finally {
  await send.close();
  await nc.close();
  receiver.kill();
  stock.stop();
  presized.stop();
  await ns.stop();
}
