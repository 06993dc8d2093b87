/**
 * The receiving process of `bench floor` (bench/floor.ts): a NATS connection with the hubs'
 * presized receive, a main thread that opens each part in place (AES-256-GCM, the hubs'
 * cipher) and hands its buffer to a slot thread; on CHECK_SUBJECT, the SHA-256 of the slot's memory.
 *   node dist/bench/floor/receiver.js NATS_URL BYTES   (prints 'ready' once subscribed)
 */
import { Worker } from 'node:worker_threads';
import { connect } from 'nats';
import { openInPlace } from '../../runtime/net/gcm.js';
import { presizePayloads } from '../../runtime/net/presize.js';
import { ownsBuffer } from '../../runtime/net/wire.js';
import { CHECK_SUBJECT, FLOOR_KEY, FLOOR_SUBJECT, HEAD, TAG } from './wire.js';

const [url, bytes] = [process.argv[2], Number(process.argv[3])];
presizePayloads();
const slot = new Worker(new URL('./slot.js', import.meta.url), { workerData: { role: 'receive', bytes } });
const nc = await connect({ servers: url });
slot.on('message', (m: { reply: string; at?: number; hash?: string }) => nc.publish(m.reply, new TextEncoder().encode(m.hash ?? String(m.at))));
nc.subscribe(CHECK_SUBJECT, { callback: (_e, msg) => slot.postMessage({ hash: true, reply: msg.reply }) });
nc.subscribe(FLOOR_SUBJECT, {
  callback: (e, msg) => {
    if (e) throw e;
    const d = msg.data;
    const dv = new DataView(d.buffer, d.byteOffset, HEAD);
    const [i, n, at] = [dv.getUint32(0), dv.getUint32(4), dv.getUint32(8)];
    const body = d.subarray(HEAD, d.byteLength - TAG);
    if (!openInPlace(FLOOR_KEY, d.subarray(12, 24), d.subarray(0, 12), body, d.subarray(d.byteLength - TAG))) throw new Error('bench floor: a part failed its tag');
    // As the hubs do: a payload gathered in a buffer of its own (presize.ts) is transferred
    // to the slot; any other is a view of a socket read, copied (a Buffer's slice() would
    // be a view, and transferring its buffer pulls it from under the NATS parser).
    const own = ownsBuffer(d) ? d : new Uint8Array(d);
    slot.postMessage({ buf: own.buffer as ArrayBuffer, off: HEAD, len: body.byteLength, at, last: i === n - 1, reply: msg.reply }, [own.buffer as ArrayBuffer]);
  },
});
await nc.flush();
process.stdout.write('ready\n');
