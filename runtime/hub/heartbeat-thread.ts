/**
 * The heartbeat thread: a worker that only beats. It has a NATS connection of its own and
 * publishes a `heartbeat` every `everyMs` with each slot's yield count, read from shared
 * memory, so neither a fragment running for minutes nor a main thread busy with sealing,
 * JetStream or GC delays it; only the process stopping (killed, SIGSTOPped) does. Started
 * by heartbeat.ts with workerData { nats, auth, hub, boot, everyMs, cells }.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { connectNats, heartbeatStatement, heartbeatSubject, type NatsAuth } from '../net/index.js';
import { PROTOCOL_VERSION, encodeMessage } from '../protocol/index.js';

const d = workerData as { nats: string; auth: NatsAuth; hub: string; boot: string; everyMs: number; cells: Int32Array[]; signKey: Uint8Array };
// The hub's result-signing key (PKCS#8 DER): engines take only beats signed with the key the hub advertises.
const key = createPrivateKey({ key: Buffer.from(d.signKey), format: 'der', type: 'pkcs8' });
// Back within tens of ms when its server goes (a cluster node lost): a pause in beats is what engines judge by.
const nc = await connectNats(d.nats, { ...d.auth, name: `weave hub heartbeat ${d.hub}`, reconnectWaitMs: 50 });
const subject = heartbeatSubject(d.hub);
let seq = 0;
const beat = () => {
  if (nc.isClosed()) return;
  const yields = d.cells.map((c) => Atomics.load(c, 3) & 0x7fffffff);
  const b = { hub: d.hub, boot: d.boot, seq: seq++, everyMs: d.everyMs, yields };
  nc.publish(subject, encodeMessage({ kind: 'heartbeat', v: PROTOCOL_VERSION, ...b, sig: new Uint8Array(sign(null, heartbeatStatement(b), key)) }));
};
beat();
setInterval(beat, d.everyMs);
// The first beat is at the server: the hub may now advertise (an engine that sees a hub's
// advert before any beat of this process would judge it by the beats of the one before).
await nc.flush();
parentPort?.postMessage('beating');
