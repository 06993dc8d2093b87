/**
 * The wire under the hubs, against a real nats-server whose max_payload lets large
 * payloads travel as single messages:
 * - `owned` (a payload whose buffer the receiver may keep or transfer) must never be
 *   claimed for bytes nats.js still uses: every owned buffer is detached here, as a
 *   transfer to a worker would, and every later payload must still arrive intact.
 * - with the parser wrapped (presize.ts), large payloads land in buffers of their own size,
 *   and all of the above still holds.
 * - messages framed in place around a checkpoint (no copy) decode to the same message.
 * - with the flush wrapped (send-in-place.ts), marked payloads go to the socket without
 *   nats.js joining them into a copy, and everything queued around them keeps its order.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { startNatsServer, type NatsServer } from './helpers/nats-server.js';
import { Wire } from '../runtime/net/index.js';
import { presizePayloads, recycleReceiveBuffer } from '../runtime/net/presize.js';
import { installSendInPlace, sendInPlace } from '../runtime/net/send-in-place.js';
import { createRequire } from 'node:module';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION } from '../runtime/protocol/index.js';
import { encodeCheckpoint, decodeCheckpoint, type Checkpoint } from '../runtime/snapshot/index.js';

const test = suite('wire');
let ns: NatsServer;
let a: NatsConnection;
let b: NatsConnection;

const sha = (x: Uint8Array) => createHash('sha256').update(x).digest('hex');

test.before(async () => {
  ns = await startNatsServer({ maxPayload: 8 << 20 });
  a = await connect({ servers: ns.url });
  b = await connect({ servers: ns.url });
});

test.after(async () => {
  await a.close();
  await b.close();
  await ns.stop();
});

/**
 * Hashes of the payloads `subject` receives (on connection b, served by a Wire), and a
 * wait for the first `n` of them that fails after 20 s saying how many came.
 */
async function receiving(subject: string, n: number): Promise<{ got: string[]; arrived: () => Promise<void> }> {
  const got: string[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => { done = r; });
  new Wire(b).serve(subject, async (payload) => {
    got.push(sha(payload));
    if (got.length === n) done();
    return undefined;
  });
  await b.flush();
  const arrived = async () => {
    let timer!: NodeJS.Timeout;
    const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`only ${got.length} of ${n} payloads arrived in 20 s`)), 20_000); });
    try {
      await Promise.race([all, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { got, arrived };
}

/** Six rounds of payloads of many sizes, back to back; each owned buffer detached on arrival. */
async function detachOwned(subject: string): Promise<Array<{ hash: string; owned: boolean; bytes: number; capacity: number }>> {
  const sizes = [10, 700, 40_000, 65_000, 70_000, 200_000, 1 << 20, 3 << 20, 5, 90_000];
  const sent: string[] = [];
  const got: Array<{ hash: string; owned: boolean; bytes: number; capacity: number }> = [];
  let done!: () => void;
  const all = new Promise<void>((r) => { done = r; });
  const total = sizes.length * 6;
  new Wire(b).serve(subject, async (payload, ctx) => {
    got.push({ hash: sha(payload), owned: ctx.owned, bytes: payload.byteLength, capacity: payload.buffer.byteLength });
    // What a hub does with an owned payload: transfer its buffer away (detaching it here).
    if (ctx.owned) structuredClone(payload.buffer, { transfer: [payload.buffer as ArrayBuffer] });
    if (got.length === total) done();
    return undefined;
  });
  await b.flush();
  const wire = new Wire(a);
  // Back to back, so that small messages share socket reads with the tails of large ones.
  for (let round = 0; round < 6; round++) {
    for (const n of sizes) {
      const p = new Uint8Array(n);
      for (let i = 0; i < n; i += 997) p[i] = (i + round + n) & 255;
      sent.push(sha(p));
      wire.publish(subject, p);
    }
  }
  await a.flush();
  // A buffer detached from under nats.js stalls or garbles its parser: fail, don't hang.
  let timer!: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`only ${got.length} of ${total} payloads arrived in 20 s`)), 20_000); });
  try {
    await Promise.race([all, late]);
  } finally {
    clearTimeout(timer);
  }
  assert.equal(got.map((g) => g.hash), sent, 'every payload arrived intact, in order');
  for (const g of got) if (g.bytes >= 1 << 20) assert.ok(g.owned, `a ${g.bytes}-byte payload is assembled in a buffer of its own`);
  for (const g of got) if (g.bytes < 64 * 1024) assert.not.ok(g.owned, `a ${g.bytes}-byte payload is not claimed`);
  return got;
}

test('owned payloads can be detached without harming any other message', async () => {
  await detachOwned('t.owned');
});

// After the test above: installed, the wrapper stays for the rest of the process.
test('with presizePayloads, a large payload is gathered in a buffer of exactly its size', async () => {
  assert.ok(presizePayloads(), 'the nats.js parser has the layout presize.ts expects');
  const got = await detachOwned('t.presized');
  const large = got.filter((g) => g.bytes >= 1 << 20);
  assert.ok(large.length >= 12);
  for (const g of large) assert.is(g.capacity, g.bytes, `a ${g.bytes}-byte payload in a ${g.capacity}-byte buffer`);
});

test('a buffer given back (recycleReceiveBuffer) gathers the next large payload that fits it', async () => {
  assert.ok(presizePayloads());
  const got: Uint8Array[] = [];
  let arrived!: () => void;
  let all = new Promise<void>((r) => { arrived = r; });
  new Wire(b).serve('t.recycled', async (payload) => { got.push(payload); arrived(); return undefined; });
  await b.flush();
  const wire = new Wire(a);
  const send = async (n: number, seed: number) => {
    all = new Promise<void>((r) => { arrived = r; });
    const p = new Uint8Array(n).map((_, i) => (i * 31 + seed) & 255);
    wire.publish('t.recycled', p);
    await a.flush();
    await all;
    return p;
  };
  const given = new ArrayBuffer(3 << 20);
  new Uint8Array(given).fill(0xee);
  recycleReceiveBuffer(given);
  const sent = await send(2 << 20, 1);
  assert.is(got[0].buffer, given, 'gathered in the buffer given back');
  assert.is(got[0].byteLength, sent.byteLength);
  assert.equal(sha(got[0]), sha(sent), 'and intact');
  // Too small, or more than twice the payload: a fresh buffer instead.
  recycleReceiveBuffer(new ArrayBuffer(1 << 20));
  await send(1536 << 10, 2);
  assert.is.not(got[1].buffer.byteLength, 1 << 20);
  // One transferred away since (detached) is never used.
  const gone = new ArrayBuffer(2 << 20);
  recycleReceiveBuffer(gone);
  structuredClone(gone, { transfer: [gone] });
  const last = await send(1 << 20, 3);
  assert.equal(sha(got[2]), sha(last));
});

test('with installSendInPlace, marked payloads are written from where they lie, in order with the rest', async () => {
  assert.ok(installSendInPlace(), 'nats.js has the layout send-in-place.ts expects');
  // What nats.js joins into copies while the marked payloads go out: none of their bytes.
  const { DataBuffer } = createRequire(import.meta.url)('nats/lib/nats-base-client/databuffer.js');
  const concat = DataBuffer.concat;
  const pack = DataBuffer.prototype.pack;
  let joined = 0;
  DataBuffer.concat = (...bufs: Uint8Array[]) => { for (const x of bufs) joined += x.byteLength; return concat(...bufs); };
  DataBuffer.prototype.pack = function (this: { buffers: Uint8Array[]; byteLength: number }) { if (this.buffers.length > 1) joined += this.byteLength; return pack.call(this); };
  const sizes: Array<[number, boolean]> = [[10, false], [1 << 20, true], [700, false], [3 << 20, true], [2 << 20, false], [5, false], [1 << 20, true], [90_000, false]];
  const { got, arrived } = await receiving('t.inplace', sizes.length * 3);
  const wire = new Wire(a);
  const sent: string[] = [];
  let markedBytes = 0, unmarkedLarge = 0;
  try {
    for (let round = 0; round < 3; round++) {
      for (const [n, mark] of sizes) {
        const p = new Uint8Array(n).map((_, i) => (i * 7 + n + round) & 255);
        sent.push(sha(p));
        if (mark) markedBytes += n; else if (n >= 1 << 20) unmarkedLarge += n;
        wire.publish('t.inplace', mark ? sendInPlace(p) : p);
      }
    }
    await a.flush();
  } finally {
    DataBuffer.concat = concat;
    DataBuffer.prototype.pack = pack;
  }
  await arrived();
  assert.equal(got, sent, 'every payload arrived intact, in the order published');
  // The unmarked ones were joined as nats.js always does; the marked ones were not.
  assert.ok(joined >= unmarkedLarge, `unmarked payloads copied as before (${joined} bytes joined)`);
  assert.ok(joined < unmarkedLarge + (1 << 20), `no marked payload was copied (${joined} bytes joined, ${markedBytes} marked)`);
});

test('a marked payload with a prepare is made final piece by piece before it is written: the receiver gets only prepared bytes', async () => {
  assert.ok(installSendInPlace());
  const sizes = [3 << 20, 100, 1 << 20, 65_536, 65_537];
  const { got, arrived } = await receiving('t.prepared', sizes.length);
  const wire = new Wire(a);
  const want: string[] = [];
  const ends: number[][] = [];
  for (const n of sizes) {
    const p = new Uint8Array(n).map((_, i) => (i * 5 + n) & 255);
    // What prepare makes of it (every byte XORed), as the receiver must see it.
    want.push(sha(p.map((x) => x ^ 0x5a)));
    let done = 0;
    const seen: number[] = [];
    ends.push(seen);
    wire.publish('t.prepared', sendInPlace(p, (end) => {
      seen.push(end);
      for (; done < end; done++) p[done] ^= 0x5a;
    }));
  }
  await a.flush();
  await arrived();
  assert.equal(got, want, 'every payload arrived prepared, whole, in order');
  for (const [k, seen] of ends.entries()) {
    assert.is(seen.at(-1), sizes[k], 'the last prepare covers all of it');
    assert.ok(seen.every((e, i) => i === 0 || e > seen[i - 1]), `ends grow: ${seen.join(', ')}`);
  }
  assert.ok(ends[0].length > 1, 'a 3 MiB payload was prepared in pieces');
});

test('a prepared payload above the part size goes in parts, prepared first: no part leaves unprepared', async () => {
  assert.ok(installSendInPlace());
  const { got, arrived } = await receiving('t.prepared.parts', 1);
  const p = new Uint8Array(300_000).map((_, i) => (i * 11) & 255);
  const want = sha(p.map((x) => x ^ 0x33));
  let prepared = 0;
  new Wire(a, { partBytes: 64 << 10 }).publish('t.prepared.parts', sendInPlace(p, (end) => { for (; prepared < end; prepared++) p[prepared] ^= 0x33; }));
  assert.is(prepared, p.byteLength, 'prepared whole before the parts were cut');
  await a.flush();
  await arrived();
  assert.equal(got, [want], 'the receiver got the prepared bytes, reassembled');
});

test('a message framed in place around a checkpoint decodes to the same message', () => {
  const memory = new Uint8Array(3 * 65536);
  for (let i = 0; i < memory.length; i += 13) memory[i] = i & 255;
  const cp: Checkpoint = { kind: 'full', id: '0123456789abcdef', bundle: 'a'.repeat(64), entry: 'main', fragment: 2, paused: true, yields: 7, memory };
  const checkpoint = encodeCheckpoint(cp, { headroom: 4096 });
  assert.is(checkpoint.byteOffset, 4096);
  const msg = { kind: 'exec', v: PROTOCOL_VERSION, job: 'j', route: ['a', 'b'], checkpoint };
  const framed = encodeMessage(msg, { inPlace: 'checkpoint' });
  assert.ok(framed.buffer === checkpoint.buffer, 'framed in the checkpoint\'s own buffer');
  const copied = encodeMessage({ ...msg, checkpoint: encodeCheckpoint(cp) });
  assert.is(sha(framed), sha(copied), 'same bytes as the copying encoder');
  const back = decodeMessage(framed);
  assert.equal(decodeCheckpoint(back.checkpoint as Uint8Array), cp);

  // No room before the field, or a second attachment: an ordinary copy, same bytes.
  const tight = encodeCheckpoint(cp, { headroom: 8 });
  const fallback = encodeMessage({ ...msg, checkpoint: tight }, { inPlace: 'checkpoint' });
  assert.ok(fallback.buffer !== tight.buffer);
  assert.is(sha(fallback), sha(copied));
  const two = encodeMessage({ ...msg, checkpoint, extra: new Uint8Array(1000) }, { inPlace: 'checkpoint' });
  assert.ok(two.buffer !== checkpoint.buffer);
});

test.run();
