/**
 * The NATS adapter: the only part that imports `nats`. Connections with weave's settings,
 * any-size request/reply (`Wire`), subject names, JetStream stores (job records, stored
 * checkpoints, shared values), and who is who (identities, sealing). It speaks the
 * protocol of runtime/protocol and knows nothing of hubs or engines.
 *   const nc = await connectNats(resolveNatsUrl(flag), { name: 'weave client' });
 *   const wire = new Wire(nc);
 *   const reply = decodeMessage(await wire.request(pingSubject('a'), encodeMessage(ping)));
 */
export { connectNats, inboxPrefixOf, inboxRoot, resolveNatsUrl, resolveNatsAuth, natsAuthOf, NATS_AUTH_ENV, DEFAULT_NATS_URL, type ConnectOptions, type NatsAuth } from './connect.js';
export { recycleReceiveBuffer } from './presize.js';
export { sendInPlace } from './send-in-place.js';
export { gcmKind } from './gcm.js';
export { Wire, DEFAULT_MAX_PAYLOAD_BYTES, type WireOptions, type RequestOptions, type Handler, type ServeContext } from './wire.js';
export { FENCE_SUBJECT, ADVERT_SUBJECT, DISCOVER_SUBJECT, HEARTBEAT_SUBJECTS, DATA_QUEUE, heartbeatSubject, execSubject, pingSubject, drainSubject, bundleSubject, dataSubject, isSubjectToken } from './subjects.js';
export { sharedValue, keyedBucket, type KeyedBucket, checkpointStore, storedName, storedDiffName, storedHub, CHECKPOINT_BUCKET, type SharedValue, type CheckpointStore } from './kv.js';
export { openJobStore, JobStore, JobRecordMissing, JOBS_BUCKET, JOB_DATA_BUCKET, type JobRecord, type JobState, type CommitOutcome, type JobResultFields } from './jobs.js';
export { createIdentity, loadOrCreateIdentity, defaultIdentityPath, sign, verify, verifyResult, resultStatement, ticketStatement, fenceStatement, heartbeatStatement, type ExecTicket, type Identity, type PublicIdentity, type HubKeys, type ResultFields } from './identity.js';
export { resultMac, checkResultMac } from './result-mac.js';
export { ticketMacs, checkTicketMac, clientBinding, checkClientBinding, MAX_MAC_ROUTE } from './ticket-mac.js';
export { sealTo, sealToLater, openFrom, sealAnon, openAnon, isSealed, storedContext, bundleContext, SealError, SEAL_OVERHEAD, SEAL_HEAD, SEAL_TAIL, type SealContext, type DeferredSeal, type SealErrorCode, type SealOptions } from './seal.js';
export type { NatsConnection, Subscription } from 'nats';
