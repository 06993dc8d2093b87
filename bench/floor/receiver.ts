/**
 * The receiving process of `bench floor` (bench/floor.ts): a NATS connection with the hubs'
 * presized receive, a main thread that opens each part in place (AES-256-GCM, the hubs'
 * cipher) and hands its buffer to a slot thread; on CHECK_SUBJECT, the SHA-256 of the slot's
 * memory. With `gather`, it holds a hand-over's parts until the last has come and only then
 * opens and hands on each: the receiving side overlaps nothing with the transfer, so a
 * run with and without says which side the parts' gain is on.
 *   node dist/bench/floor/receiver.js NATS_URL BYTES [gather]   (prints 'ready' once subscribed)
 */
import { Worker } from 'node:worker_threads';
import { connect } from 'nats';
import { openInPlace } from '../../runtime/net/gcm.js';
import { presizePayloads } from '../../runtime/net/presize.js';
import { ownsBuffer } from '../../runtime/net/wire.js';
import { CHECK_SUBJECT, FLOOR_KEY, FLOOR_SUBJECT, HEAD, TAG } from './wire.js';

const [url, bytes, gather] = [process.argv[2], Number(process.argv[3]), process.argv[4] === 'gather'];
presizePayloads();
const slot = new Worker(new URL('./slot.js', import.meta.url), { workerData: { role: 'receive', bytes } });
const nc = await connect({ servers: url });
slot.on('message', (m: { reply: string; at?: number; hash?: string }) => nc.publish(m.reply, new TextEncoder().encode(m.hash ?? String(m.at))));
nc.subscribe(CHECK_SUBJECT, { callback: (_e, msg) => slot.postMessage({ hash: true, reply: msg.reply }) });
/** A part as it came: its own bytes, where its pages go, whether it is the last. */
interface Part { own: Uint8Array; at: number; last: boolean; reply: string | undefined }
/** Parts held until the last (`gather`). */
const held: Part[] = [];
nc.subscribe(FLOOR_SUBJECT, {
  callback: (e, msg) => {
    if (e) throw e;
    // As the hubs do: a payload gathered in a buffer of its own (presize.ts) is transferred
    // to the slot; any other is a view of a socket read, copied (a Buffer's slice() would
    // be a view, and transferring its buffer pulls it from under the NATS parser).
    const own = ownsBuffer(msg.data) ? msg.data : new Uint8Array(msg.data);
    const dv = new DataView(own.buffer, own.byteOffset, HEAD);
    const part = { own, at: dv.getUint32(8), last: dv.getUint32(0) === dv.getUint32(4) - 1, reply: msg.reply };
    if (!gather) return openAndHandOn(part);
    held.push(part);
    if (part.last) for (const p of held.splice(0)) openAndHandOn(p);
  },
});

function openAndHandOn({ own, at, last, reply }: Part): void {
  const body = own.subarray(HEAD, own.byteLength - TAG);
  if (!openInPlace(FLOOR_KEY, own.subarray(12, 24), own.subarray(0, 12), body, own.subarray(own.byteLength - TAG))) throw new Error('bench floor: a part failed its tag');
  slot.postMessage({ buf: own.buffer as ArrayBuffer, off: HEAD, len: body.byteLength, at, last, reply }, [own.buffer as ArrayBuffer]);
}
await nc.flush();
process.stdout.write('ready\n');
