/**
 * One embedded hub: a worker thread that serves protocol requests with a HubCore.
 * Started by startEmbeddedMesh; messages are { id, req } in and { id, reply } out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HubCore } from './hub.js';

const hub = new HubCore(workerData.hubId as string);
parentPort!.on('message', async (msg: { id: number; req: any }) => {
  const reply = await hub.handle(msg.req);
  const transfer: ArrayBuffer[] = [];
  if (reply.kind === 'ran') {
    transfer.push(reply.checkpoint.buffer as ArrayBuffer);
    if (reply.result) transfer.push(reply.result.buffer as ArrayBuffer);
  }
  parentPort!.postMessage({ id: msg.id, reply }, transfer);
});
