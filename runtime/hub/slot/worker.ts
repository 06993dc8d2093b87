/**
 * The worker side of a HubThread: serves protocol requests with a HubCore, one at a time.
 * Messages are { id, req, notify } in, { id, restored } (the state is in, the fragment
 * runs: only when `notify`) and { id, reply } out; checkpoint bytes are transferred, not
 * copied. `workerData.preempt` holds the shared cells read at every yield point (pause
 * flags, the throttle); `workerData.headroom` and `tailroom` the free bytes left before and
 * after each checkpoint returned (HubCoreOptions).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HubCore } from './core.js';
import { Datasets } from './datasets.js';
import { callMain } from './blocking.js';
import { mainThreadGpu } from './gpu-access.js';
import { createLogger } from '../log.js';

const flag = workerData.preempt as Int32Array;
// [0]: Date.now() when the request being served began (0: idle), [1]: its id; for the
// HubThread's watchdog. [2]: the running job's yield count, every 256 yield points (progress). Set before the bundle loads: a start function can loop forever too.
const runSince = workerData.runSince as Float64Array;
// Datasets the hub serves are read here; others through the main thread, which asks
// the hubs that serve them.
const datasets = new Datasets(workerData.datasets ?? {}, (name, offset, into) => {
  const r = callMain(parentPort!, { kind: 'data-read', name, offset, length: into.byteLength }, into);
  return { status: r.status, total: r.total ?? -1 };
});
// Cell 0 pauses whatever runs (a drain); cell 1 only the run with that tag (a move, a fence).
// Polled at every yield point: cell 3 counts them for the hub's heartbeat thread.
const hub = new HubCore(workerData.hubId as string, (tag) => {
  Atomics.add(flag, 3, 1);
  return Atomics.load(flag, 0) !== 0 || (tag !== 0 && Atomics.load(flag, 1) === tag);
}, {
  headroom: workerData.headroom as number, tailroom: workerData.tailroom as number, datasets, gpu: workerData.gpu ? mainThreadGpu(parentPort!) : undefined,
  log: createLogger({ hub: workerData.hubId }),
  // Cell 2: the throttle in hundredths, changed by the main thread while a fragment runs.
  throttle: () => Atomics.load(flag, 2) / 100,
  sandbox: workerData.sandbox,
  // Requests' checkpoints come transferred: theirs to reuse.
  recycleInput: true,
});
parentPort!.on('message', async (msg: { id: number; req: any; notify?: boolean }) => {
  runSince[1] = msg.id;
  runSince[0] = Date.now();
  runSince[2] = 0;
  const reply = await hub.handle(msg.req, {
    onYields: (n) => { runSince[2] = n; },
    ...(msg.notify ? { onRestored: (at: number) => parentPort!.postMessage({ id: msg.id, restored: at }) } : {}),
    onStored: (checkpoint, yields) => parentPort!.postMessage({ id: msg.id, stored: checkpoint, yields }, [checkpoint.buffer as ArrayBuffer]),
  });
  runSince[0] = 0;
  const transfer: ArrayBuffer[] = [];
  if (reply.kind === 'ran') {
    if (reply.checkpoint) transfer.push(reply.checkpoint.buffer as ArrayBuffer);
    if (reply.result) transfer.push(reply.result.buffer as ArrayBuffer);
    if (reply.output) transfer.push(reply.output.buffer as ArrayBuffer);
  } else if (reply.kind === 'need-bundle' && reply.checkpoint) {
    transfer.push(reply.checkpoint.buffer as ArrayBuffer);
  }
  parentPort!.postMessage({ id: msg.id, reply }, transfer);
  // The reply is on its way: what it did not need to wait for (the base's copy).
  hub.afterReply();
});
