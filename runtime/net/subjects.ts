/**
 * NATS subjects, all in one place. A hub id is one subject token.
 *   weave.hub.<id>.exec      run a fragment (request/reply, chunked)
 *   weave.hub.<id>.ping      latency probe (request/reply, tiny)
 *   weave.hub.<id>.drain     drain and stop (request/reply; an operator's, not a client's)
 *   weave.hubs.advert        every hub's periodic advert (publish)
 *   weave.hubs.discover      ask every hub for its advert now (request, many replies)
 *   weave.client.<id>.bundle a client serves the bundles of its jobs (request/reply)
 *   weave.data.<name>        hubs serving dataset <name>, one queue group (request/reply)
 *   weave.jobs.fence         an attempt started: hubs drop older attempts of the job (publish)
 */
export const FENCE_SUBJECT = 'weave.jobs.fence';
export const ADVERT_SUBJECT = 'weave.hubs.advert';
export const DISCOVER_SUBJECT = 'weave.hubs.discover';
export const execSubject = (hub: string) => `weave.hub.${hub}.exec`;
/** Heartbeats of every hub: `weave.hubs.beat.<hub>`. */
export const HEARTBEAT_SUBJECTS = 'weave.hubs.beat.*';
export const heartbeatSubject = (hub: string) => `weave.hubs.beat.${hub}`;
export const pingSubject = (hub: string) => `weave.hub.${hub}.ping`;
export const drainSubject = (hub: string) => `weave.hub.${hub}.drain`;
export const bundleSubject = (client: string) => `weave.client.${client}.bundle`;
export const dataSubject = (name: string) => `weave.data.${name}`;
/** Queue group of dataset servers: one hub answers each read. */
export const DATA_QUEUE = 'weave-data';

/** True when `id` can be a hub or client id (one NATS subject token, no wildcards). */
export { isSubjectToken } from '../protocol/index.js';
