/**
 * What checking messages against their schemas (runtime/protocol, valibot) costs on the
 * exec path, against decoding the same frame and against the size of what is checked:
 * an engine's exec from the arguments, a routed hand-over with a 1 MiB checkpoint and the
 * route's keys, the `ran` reply, and an advert. Per message, median of rounds, µs.
 *   node dist/bench/protocol.js
 * Last line: `bench protocol: exec_check_us=… exec_decode_us=… handover_check_us=… handover_decode_us=… ran_check_us=… advert_check_us=…`.
 */
import { createIdentity } from '../runtime/net/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, parseMessage, type Envelope, type Message } from '../runtime/protocol/index.js';

const HASH = 'ab'.repeat(32);
const key = () => createIdentity().public;

const samples: Record<string, Message> = {
  exec: {
    kind: 'exec', v: PROTOCOL_VERSION, job: '9f3c5e1a2b4d6f80.0', bundle: HASH, entry: 'simulate', fragment: 3, migrateEvery: 0, args: [2000, 6000],
    stay: true, full: true, route: ['a', 'b', 'c'], hop: 0, attempt: 0, record: '9f3c5e1a2b4d6f80', client: key(),
    keys: { a: key().seal, b: key().seal, c: key().seal }, policy: 'fit', origin: 'weave.client.abc.bundle', progress: '_INBOX.weave.abc.progress.1',
  },
  handover: {
    kind: 'exec', v: PROTOCOL_VERSION, job: '9f3c5e1a2b4d6f80.0', bundle: HASH, entry: 'simulate', fragment: 3, migrateEvery: 50, checkpoint: new Uint8Array(1 << 20),
    sealed: true, stay: true, route: ['a', 'b', 'c'], hop: 1, from: 'a', handovers: 4, replyTo: '_INBOX.weave.abc.7', attempt: 0, client: key(),
    keys: { a: key().seal, b: key().seal, c: key().seal }, progress: '_INBOX.weave.abc.progress.1',
  },
  ran: {
    kind: 'ran', v: PROTOCOL_VERSION, outcome: 'done', fragment: -1, fragments: 3, result: new Uint8Array(8), execMs: 1234.5, yields: 99_000, maxYieldGapMs: 2.5,
    resumedAt: Date.now(), hub: 'a', sig: new Uint8Array(64), data: { localBytes: 0, remoteBytes: 0, remoteReads: 0, names: [] },
  },
  advert: {
    kind: 'advert', v: PROTOCOL_VERSION, id: 'a', state: 'ready', caps: { cores: 8, avx2: true, gpu: false, memoryMiB: 32000, node: 'v20', arch: 'x64', speed: 1.1 },
    load: { slots: 8, busy: 2, queue: 0, cpu: 0.3, jobs: 2, rssMiB: 300, heldMiB: 16, dataRemoteBytes: 0, gpuCalls: 0 }, datasets: ['points'], labels: { zone: 'eu' },
    running: ['j.0', 'k.1'], keys: key(), everyMs: 2000, startedAt: Date.now(), boot: '0a1b2c3d4e5f',
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median µs per call of `f`, over rounds of `n` calls. */
function time(f: () => unknown, n: number, rounds = 15): number {
  for (let i = 0; i < n; i++) f();
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    per.push(((performance.now() - t0) * 1000) / n);
  }
  return median(per);
}

const out: Record<string, number> = {};
for (const [name, msg] of Object.entries(samples)) {
  const bytes = encodeMessage(msg);
  const decoded = decodeMessage(bytes);
  // A fresh envelope each time: parsing must not profit from a map it saw before.
  const copies: Envelope[] = Array.from({ length: 64 }, () => ({ ...decoded }));
  let k = 0;
  out[`${name}_check_us`] = time(() => parseMessage(copies[k++ & 63]), 2000);
  out[`${name}_decode_us`] = time(() => decodeMessage(bytes), 2000);
  console.log(`${name}: ${bytes.byteLength} bytes framed; check ${out[`${name}_check_us`].toFixed(2)} µs, decode ${out[`${name}_decode_us`].toFixed(2)} µs`);
}
console.log(`bench protocol: ${Object.entries(out).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(' ')}`);
