/**
 * Request/reply of arbitrary-size byte payloads over a NATS connection.
 *
 * NATS refuses a message above the server's `max_payload` (1 MiB by default), and a
 * checkpoint can be far larger. A payload that fits goes as one plain message; a larger one
 * goes as parts, each carrying `Weave-Xfer` (transfer id) and `Weave-Part` (i/n) headers.
 * NATS delivers the messages of one connection to one subscriber in order, so a receiver
 * only appends parts; the request's last part carries the reply subject. Replies come back
 * the same way to one shared inbox subscription, told apart by a token in the subject.
 *
 * Failures are typed: no subscriber on the subject (`no-responders`, fail fast and place
 * elsewhere) is told apart from no answer in time (`timeout`, retry with backoff).
 *   const wire = new Wire(nc);
 *   wire.serve('svc.echo', async (bytes) => bytes);
 *   const back = await wire.request('svc.echo', new Uint8Array(5 << 20), { timeoutMs: 5000 });
 */
import { randomBytes } from 'node:crypto';
import { headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';
import { TransportError } from '../protocol/index.js';
import { inboxRoot } from './connect.js';
import { prepareAll } from './send-in-place.js';

const XFER = 'Weave-Xfer';
const PART = 'Weave-Part';
/** Room left in each part for the headers and the protocol line. */
const HEADER_ROOM = 1024;
/** A receiver drops a transfer that has not completed in this time. */
const PART_TTL_MS = 60_000;
/** ... or that has had no new part for this long (a sender sends its parts back to back). */
const PART_IDLE_MS = 10_000;
/** @default bound on the bytes of all unfinished transfers a Wire holds at once. */
export const DEFAULT_MAX_PARTIAL_BYTES = 32 << 20;
/** @default bound on one reassembled payload, so a peer cannot make a receiver buffer without end. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1 << 30;

export interface WireOptions {
  /** Largest payload accepted after reassembly. @default 1 GiB */
  maxPayloadBytes?: number;
  /** Part size; the server's max_payload (less room for headers) when absent. */
  partBytes?: number;
  /**
   * Bytes of all unfinished transfers held at once (every subject this Wire serves and its
   * inbox together); a part beyond it is refused (`too-large`) and its transfer dropped,
   * so peers that start many transfers and never finish them cannot grow the receiver.
   * A transfer in progress alone may still grow to maxPayloadBytes.
   * @default DEFAULT_MAX_PARTIAL_BYTES (32 MiB)
   */
  maxPartialBytes?: number;
}

export interface RequestOptions {
  /** Give up with a `timeout` TransportError after this long. @default no limit */
  timeoutMs?: number;
  /** Rejects the request early (e.g. when the peer is known to be gone). */
  signal?: AbortSignal;
}

/** What a handler gets besides the payload. */
export interface ServeContext {
  subject: string;
  /** Where the requester waits for the answer (absent for a plain publish). */
  reply?: string;
  /**
   * The payload's ArrayBuffer holds nothing anyone else uses, so the handler may keep
   * it or transfer it to a worker instead of copying it (see `ownsBuffer`).
   */
  owned: boolean;
}

/** Resolves with the reply, or undefined to send none (someone else will answer `ctx.reply`). */
export type Handler = (payload: Uint8Array, ctx: ServeContext) => Promise<Uint8Array | undefined>;

interface Pending {
  resolve: (b: Uint8Array) => void;
  reject: (e: Error) => void;
}

interface Partial { parts: Uint8Array[]; bytes: number; started: number; last: number }

export class Wire {
  /** Where replies to this Wire's requests come (`<inbox>.<token>`): engines sign it into tickets. */
  readonly inbox: string;
  private readonly inboxSub: Subscription;
  private readonly pending = new Map<string, Pending>();
  private readonly prefix = randomBytes(6).toString('hex');
  private seq = 0;
  private readonly maxPayload: number;
  private readonly maxPartial: number;
  /** Every map of unfinished transfers (one per served subject, one for the inbox), and their bytes together. */
  private readonly partialMaps = new Set<Map<string, Partial>>();
  private partialBytes = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(readonly nc: NatsConnection, private readonly opts: WireOptions = {}) {
    this.maxPayload = opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.maxPartial = opts.maxPartialBytes ?? DEFAULT_MAX_PARTIAL_BYTES;
    // Unfinished transfers age out even when no new part arrives to notice them.
    this.sweeper = setInterval(() => this.sweep(Date.now()), PART_IDLE_MS / 2);
    this.sweeper.unref();
    this.inbox = `${inboxRoot(nc)}.weave.${this.prefix}`;
    const partials = new Map<string, Partial>();
    this.partialMaps.add(partials);
    this.inboxSub = nc.subscribe(`${this.inbox}.*`, {
      callback: (err, msg) => {
        if (err) return;
        const token = msg.subject.slice(this.inbox.length + 1);
        const p = this.pending.get(token);
        if (!p) return;
        if (msg.data.length === 0 && msg.headers?.code === 503) {
          p.reject(new TransportError('no hub is listening on that subject', { code: 'no-responders' }));
          return;
        }
        try {
          const whole = this.collect(partials, token, msg);
          if (whole) p.resolve(whole);
        } catch (e) {
          p.reject(e as Error);
        }
      },
    });
  }

  /** Largest part this connection may publish. */
  partBytes(): number {
    const server = this.nc.info?.max_payload ?? 1 << 20;
    return Math.max(4096, Math.min(this.opts.partBytes ?? server, server) - HEADER_ROOM);
  }

  /** Send `payload` to `subject` and wait for the (reassembled) reply. Rejects with TransportError. */
  request(subject: string, payload: Uint8Array, opts: RequestOptions = {}): Promise<Uint8Array> {
    const token = (this.seq++).toString(36);
    return new Promise<Uint8Array>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => done.reject(new TransportError(String(opts.signal?.reason ?? 'request aborted'), { code: 'aborted' }));
      const cleanup = () => {
        this.pending.delete(token);
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const done: Pending = {
        resolve: (b) => { cleanup(); resolve(b); },
        reject: (e) => { cleanup(); reject(e); },
      };
      this.pending.set(token, done);
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(() => done.reject(new TransportError(`no reply on ${subject} within ${opts.timeoutMs} ms`, { code: 'timeout' })), opts.timeoutMs);
      }
      if (opts.signal) {
        if (opts.signal.aborted) return onAbort();
        opts.signal.addEventListener('abort', onAbort, { once: true });
      }
      try {
        this.send(subject, payload, `${this.inbox}.${token}`);
      } catch (e) {
        done.reject(e instanceof TransportError ? e : new TransportError(`cannot send on ${subject}: ${(e as Error).message}`, { code: 'send', cause: e }));
      }
    });
  }

  /** Publish without waiting for anything (events). */
  publish(subject: string, payload: Uint8Array): void {
    this.send(subject, payload);
  }

  /**
   * Answer requests on `subject` with `handler`. A handler that throws gets nothing sent
   * back (the requester's timeout or liveness check decides), so handlers reply with typed
   * error messages instead of throwing.
   */
  serve(subject: string, handler: Handler, opts: { queue?: string; onDrop?: (why: string) => void; onError?: (err: Error) => void } = {}): Subscription {
    const partials = new Map<string, Partial>();
    this.partialMaps.add(partials);
    return this.nc.subscribe(subject, {
      queue: opts.queue,
      callback: (err, msg) => {
        // The subscription itself failed (the server refused it: permissions).
        if (err) { opts.onError?.(err); return; }
        let whole: Uint8Array | undefined;
        let owned = false;
        try {
          whole = this.collect(partials, msg.headers?.get(XFER) ?? '', msg);
          owned = whole !== msg.data || ownsBuffer(msg.data);
        } catch (e) {
          opts.onDrop?.((e as Error).message);
          return;
        }
        if (!whole) return;
        const reply = msg.reply;
        handler(whole, { subject: msg.subject, reply, owned }).then(
          (out) => { if (reply && out) this.send(reply, out); },
          (e) => opts.onDrop?.(`handler failed: ${(e as Error).message}`),
        ).catch((e) => opts.onDrop?.(`cannot reply: ${(e as Error).message}`));
      },
    });
  }

  /** Bytes of unfinished transfers held now. */
  heldPartialBytes(): number {
    return this.partialBytes;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.inboxSub.unsubscribe();
    for (const p of this.pending.values()) p.reject(new TransportError('connection closed', { code: 'closed' }));
  }

  private send(subject: string, payload: Uint8Array, reply?: string): void {
    const part = this.partBytes();
    if (payload.byteLength <= part) {
      this.nc.publish(subject, payload, reply ? { reply } : undefined);
      return;
    }
    // Parts are new views, sent as nats.js always sends: the payload must be final first
    // (a hand-over enciphered as it is written is not, until then: send-in-place.ts).
    prepareAll(payload);
    const n = Math.ceil(payload.byteLength / part);
    const xfer = `${this.prefix}.${(this.seq++).toString(36)}`;
    for (let i = 0; i < n; i++) {
      const h: MsgHdrs = natsHeaders();
      h.set(XFER, xfer);
      h.set(PART, `${i}/${n}`);
      const chunk = payload.subarray(i * part, Math.min(payload.byteLength, (i + 1) * part));
      this.nc.publish(subject, chunk, i === n - 1 && reply ? { reply, headers: h } : { headers: h });
    }
  }

  private unfinished(): number {
    let n = 0;
    for (const m of this.partialMaps) n += m.size;
    return n;
  }

  /** Drop unfinished transfer `id` of `partials`, and its bytes from the total. */
  private forget(partials: Map<string, Partial>, id: string): void {
    const p = partials.get(id);
    if (!p) return;
    partials.delete(id);
    this.partialBytes -= p.bytes;
  }

  /** Drop transfers older than PART_TTL_MS or idle for PART_IDLE_MS. */
  private sweep(now: number): void {
    for (const partials of this.partialMaps) {
      for (const [k, v] of partials) if (now - v.started > PART_TTL_MS || now - v.last > PART_IDLE_MS) this.forget(partials, k);
    }
  }

  /** Add one message to its transfer; returns the whole payload when complete. Throws on bad framing. */
  private collect(partials: Map<string, Partial>, id: string, msg: Msg): Uint8Array | undefined {
    const part = msg.headers?.get(PART);
    if (!part) return msg.data;
    const m = /^(\d+)\/(\d+)$/.exec(part);
    if (!m) throw new TransportError(`bad ${PART} header '${part}'`, { code: 'framing' });
    const i = Number(m[1]);
    const n = Number(m[2]);
    const now = Date.now();
    this.sweep(now);
    let p = partials.get(id);
    if (i === 0) {
      if (p) this.forget(partials, id);
      p = { parts: [], bytes: 0, started: now, last: now };
      partials.set(id, p);
    }
    if (!p || p.parts.length !== i || i >= n) {
      this.forget(partials, id);
      throw new TransportError(`transfer ${id}: part ${i}/${n} out of order`, { code: 'framing' });
    }
    if (p.bytes + msg.data.byteLength > this.maxPayload) {
      this.forget(partials, id);
      throw new TransportError(`transfer ${id} exceeds ${this.maxPayload} bytes`, { code: 'too-large' });
    }
    // One transfer alone may grow to maxPayload (a large checkpoint); transfers at once
    // share maxPartial, so many started and never finished cannot add up.
    if (i < n - 1 && this.partialBytes + msg.data.byteLength > this.maxPartial && this.unfinished() > 1) {
      this.forget(partials, id);
      throw new TransportError(`transfer ${id}: unfinished transfers here already hold ${this.partialBytes} bytes (at most ${this.maxPartial})`, { code: 'too-large' });
    }
    // A part that is a view into a socket read would keep that whole read alive while the
    // transfer waits: copied, the held bytes are the counted bytes.
    p.parts.push(ownsBuffer(msg.data) ? msg.data : msg.data.slice());
    p.bytes += msg.data.byteLength;
    p.last = now;
    if (i < n - 1) { this.partialBytes += msg.data.byteLength; return undefined; }
    partials.delete(id);
    this.partialBytes -= p.bytes - msg.data.byteLength;
    const out = new Uint8Array(p.bytes);
    let at = 0;
    for (const c of p.parts) { out.set(c, at); at += c.byteLength; }
    return out;
  }
}

/**
 * Whether a message payload from nats.js sits in a buffer of its own. nats.js (2.x) hands
 * a payload that arrived in one socket read as a view into that read's chunk, after the
 * MSG line, so at an offset above 0 and beside other messages; one that spanned reads is
 * assembled in a buffer allocated for it alone, and handed over from offset 0. Only the
 * latter is the receiver's to keep or transfer. Checked in test/wire.test.ts, so a
 * nats.js upgrade that changes this fails a test instead of corrupting a checkpoint.
 */
export function ownsBuffer(data: Uint8Array): boolean {
  return data.byteOffset === 0 && data.byteLength >= OWNED_MIN_BYTES;
}

/** Below this a copy costs nothing worth saving (and a socket read is at most 64 KiB). */
const OWNED_MIN_BYTES = 64 * 1024;
