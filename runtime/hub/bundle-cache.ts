/**
 * Bundles by content hash: fetched once per hub however many slots and jobs ask (a fetch
 * in flight is shared), from the client that submitted the job, or, for a job with a
 * record whose client is gone, from the job store. Only bytes that hash to what was asked
 * are kept, in buffers of their own.
 *   const bundles = new BundleCache('a', { ask, fromRecords: (h) => records.bundle(h), open }, log);
 *   const bytes = await bundles.get(req);   // throws TransportError
 */
import { createHash } from 'node:crypto';
import { PROTOCOL_VERSION, TransportError, decodeMessage, encodeMessage, parseMessage, type ExecRequest } from '../protocol/index.js';
import { boundedMap } from '../util/index.js';
import type { Logger } from './log.js';

/** Bundles kept; a bundle is a few hundred KiB, so a count bound is enough. */
const MAX_CACHED_BUNDLES = 64;
/** A client that does not send a bundle in this time is passed over. */
const FETCH_TIMEOUT_MS = 30_000;

export interface BundleSources {
  /** A request/reply to a subject (Wire.request). */
  ask: (subject: string, bytes: Uint8Array, timeoutMs: number) => Promise<Uint8Array>;
  /** The job store's copy of a bundle. */
  fromRecords: (hash: string) => Promise<Uint8Array | undefined>;
  /** Open a bundle sealed to this hub (SealGate.openBundle). */
  open: (hash: string, bytes: Uint8Array, sealed: boolean) => Uint8Array;
}

export class BundleCache {
  private readonly bundles = boundedMap<string, Uint8Array>(MAX_CACHED_BUNDLES);
  private readonly fetching = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly hub: string, private readonly from: BundleSources, private readonly log: Logger) {}

  /** The bundle `req` names. Throws TransportError when it cannot be had or does not match its hash. */
  get(req: ExecRequest): Promise<Uint8Array> {
    const cached = this.bundles.get(req.bundle);
    if (cached) return Promise.resolve(cached);
    let p = this.fetching.get(req.bundle);
    if (!p) {
      p = this.fetch(req).finally(() => this.fetching.delete(req.bundle));
      this.fetching.set(req.bundle, p);
    }
    return p;
  }

  /**
   * From the client that submitted the job; for a job with a record, from the job store
   * when that client is gone (it may have detached, or died).
   */
  private async fetch(req: ExecRequest): Promise<Uint8Array> {
    const t0 = performance.now();
    let got: Uint8Array | undefined;
    let why = 'the request names no origin';
    if (req.origin) {
      try {
        const ask = encodeMessage({ kind: 'bundle', v: PROTOCOL_VERSION, hash: req.bundle, hub: this.hub });
        const reply = parseMessage(decodeMessage(await this.from.ask(req.origin, ask, FETCH_TIMEOUT_MS)), ['bundle-bytes', 'error'], 'a hub fetching a bundle');
        if (reply.kind === 'bundle-bytes') got = this.from.open(req.bundle, reply.bytes, !!reply.sealed);
        else why = `origin ${req.origin} did not send it: ${reply.message}`;
      } catch (e) {
        if (req.record === undefined) throw e;
        why = `origin ${req.origin}: ${(e as Error).message}`;
      }
    }
    if (!got && req.record !== undefined) {
      // The store fails as NATS does (a TIMEOUT while its cluster elects a leader): said as
      // a transport failure, which the engine retries elsewhere, not as the hub's own fault.
      try {
        got = await this.from.fromRecords(req.bundle);
        if (!got) why += '; the job store has none';
      } catch (e) {
        why += `; the job store: ${(e as Error).message}`;
      }
    }
    if (!got) throw new TransportError(`bundle ${req.bundle.slice(0, 12)} is not cached here and cannot be fetched: ${why}`, { code: 'transport' });
    const hash = createHash('sha256').update(got).digest('hex');
    if (hash !== req.bundle) throw new TransportError(`the bundle fetched for ${req.bundle.slice(0, 12)} hashes to ${hash.slice(0, 12)}`);
    this.log.info('fetched bundle', { job: req.job, fragment: req.fragment, bundle: req.bundle.slice(0, 12), bytes: got.byteLength, ms: Math.round(performance.now() - t0) });
    // In a buffer of its own: the reply is a view of a socket buffer that would otherwise stay alive with it.
    const bytes = new Uint8Array(got);
    this.bundles.set(req.bundle, bytes);
    return bytes;
  }
}
