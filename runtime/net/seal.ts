/**
 * Sealed checkpoints: AES-256-GCM, with a key only the two ends can derive.
 *
 * In flight (engine to hub, hub to hub, hub to engine) a checkpoint is sealed from one
 * identity to another: the key is HKDF-SHA256 of their X25519 shared secret, salted with
 * the job key and bound to the direction, so it differs per job and per pair, and only the
 * holder of the sender's private key could have sealed it (sender authentication). At
 * rest (the periodic checkpoints in JetStream) it is sealed to the job's client alone,
 * from a fresh ephemeral key, so the client (or an attach with the same identity) opens it
 * whichever hub stored it. Every seal uses a random 96-bit nonce, and the associated data
 * binds the format version, job, attempt, fragment, sequence, module hash and both ends:
 * a checkpoint altered, or replayed into another job, attempt, place or direction, does
 * not open.
 *   const box = sealTo(me, peer.seal, ctx, checkpoint);
 *   const checkpoint = openFrom(me, sender.seal, ctx, box);   // throws SealError
 *
 * Frame: 'S' (0x53), version 1, mode (0: from an identity, 1: anonymous, then the 32-byte
 * ephemeral public key), 12-byte nonce, ciphertext, 16-byte tag.
 */
import { diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import { gcmStream, openInPlace, sealInPlace } from './gcm.js';
import { publicKey, type Identity } from './identity.js';
import { CodedError } from '../protocol/index.js';
import { boundedMap, hex } from '../util/index.js';

export interface SealContext {
  /** The exec job key (`<job>.<attempt>`), and its attempt. */
  job: string;
  attempt: number;
  fragment: number;
  /** Hand-overs so far: a receiver takes each sequence number once per job key. */
  seq: number;
  /** The bundle (module) hash the checkpoint belongs to. */
  bundle: string;
  /** Who sealed it and for whom: hub ids, 'engine', or 'store'. */
  from: string;
  to: string;
}

export type SealErrorCode = 'tampered' | 'malformed' | 'replayed' | 'unsealed' | 'no-key';

/** A sealed checkpoint that must not be used. */
export class SealError extends CodedError<SealErrorCode> {
  constructor(code: SealErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'SealError';
  }
}

const MAGIC = 0x53;
const VERSION = 1;
const NONCE = 12;
const TAG = 16;
const MODE_FROM = 0;
const MODE_ANON = 1;
/** Not a frame mode: keys for result MACs (result-mac.ts) come from the same derivation, kept apart by it. */
const MODE_RESULT_MAC = 2;
/** Nor this: keys for ticket MACs (ticket-mac.ts), apart from the result MACs' by the mode. */
const MODE_TICKET_MAC = 3;
/** Bytes a sealed checkpoint has beyond its plaintext, at most. */
export const SEAL_OVERHEAD = 3 + 32 + NONCE + TAG;
/**
 * Room sealTo needs around its plaintext to seal it where it lies (`consume`): this many
 * bytes before it (the frame's mode byte and nonce), SEAL_TAIL after it (the tag).
 */
export const SEAL_HEAD = 3 + NONCE;
export const SEAL_TAIL = TAG;

export interface SealOptions {
  /** Free bytes to leave before the sealed frame, for the message frame (encodeMessage inPlace). @default 0 */
  headroom?: number;
  /**
   * The plaintext's bytes are the caller's to overwrite, and so are `headroom` + SEAL_HEAD
   * bytes before them and SEAL_TAIL after them in their buffer where present: the seal is
   * then written there, over the plaintext, with no buffer of its size allocated (a fresh
   * 16 MiB buffer costs more in page faults than the cipher does). Without that room it
   * is sealed into a new buffer, as without `consume`.
   */
  consume?: boolean;
}


function associated(ctx: SealContext): Buffer {
  return Buffer.from(`weave-seal-v${VERSION}\0${ctx.job}\0${ctx.attempt}\0${ctx.fragment}\0${ctx.seq}\0${ctx.bundle}\0${ctx.from}\0${ctx.to}`);
}

/** Derived keys by (pair, direction, job): an X25519 agreement costs more than a small seal. */
const keys = boundedMap<string, Buffer>(4096);

function derive(mine: Identity, peer: Uint8Array, job: string, sender: Uint8Array, receiver: Uint8Array, mode: number): Buffer {
  const id = `${mode}|${hex(sender)}|${hex(receiver)}|${job}`;
  let k = keys.get(id);
  if (!k) {
    const shared = diffieHellman({ privateKey: mine.sealKey, publicKey: publicKey('seal', peer) });
    k = Buffer.from(hkdfSync('sha256', shared, Buffer.from(job), Buffer.from(`weave-seal-v${VERSION}|${mode}|${hex(sender)}|${hex(receiver)}`), 32));
    keys.set(id, k);
  }
  return k;
}

/**
 * The key hub `hubSeal` and client `clientSeal` share for MACs of results (result-mac.ts),
 * one per pair: `me` is either of them, `peer` the other's sealing key. Throws
 * TransportError on a bad key.
 */
export function resultMacKey(me: Identity, peer: Uint8Array, hubSeal: Uint8Array, clientSeal: Uint8Array): Buffer {
  return derive(me, peer, 'result-mac', hubSeal, clientSeal, MODE_RESULT_MAC);
}

/**
 * The key client `clientSeal` and hub `hubSeal` share for MACs of the client's tickets to
 * that hub (ticket-mac.ts), one per pair: `me` is either of them, `peer` the other's
 * sealing key. Throws TransportError on a bad key.
 */
export function ticketMacKey(me: Identity, peer: Uint8Array, clientSeal: Uint8Array, hubSeal: Uint8Array): Buffer {
  return derive(me, peer, 'ticket-mac', clientSeal, hubSeal, MODE_TICKET_MAC);
}

/** The key of an anonymous seal: from the ephemeral-to-recipient secret, per job. */
function anonKey(shared: Buffer, ephPub: Uint8Array, recipient: Uint8Array, job: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.from(job), Buffer.from(`weave-seal-v${VERSION}|${MODE_ANON}|${hex(ephPub)}|${hex(recipient)}`), 32));
}

/** A frame laid out for `plain` (header and nonce written, the body still plaintext, the tag not yet). */
interface Layout { frame: Uint8Array; nonce: Uint8Array; body: Uint8Array; tag: Uint8Array }

function layout(plain: Uint8Array, header: Buffer, opts: SealOptions): Layout {
  const headroom = opts.headroom ?? 0;
  const nonce = randomBytes(NONCE);
  // One buffer, with `headroom` free bytes before it for the message frame (encodeMessage
  // inPlace). GCM is a stream mode: the ciphertext is as long as the plaintext.
  const prefix = header.length + NONCE;
  const length = headroom + prefix + plain.byteLength + TAG;
  const inPlace = opts.consume && plain.byteOffset >= headroom + prefix && plain.buffer.byteLength - plain.byteOffset - plain.byteLength >= TAG;
  const out = inPlace ? new Uint8Array(plain.buffer, plain.byteOffset - prefix - headroom, length) : new Uint8Array(length);
  let at = headroom;
  out.set(header, at); at += header.length;
  out.set(nonce, at); at += NONCE;
  const body = out.subarray(at, at + plain.byteLength);
  if (!inPlace) body.set(plain);
  return { frame: out.subarray(headroom), nonce, body, tag: out.subarray(at + plain.byteLength) };
}

function encrypt(key: Buffer, ctx: SealContext, plain: Uint8Array, header: Buffer, opts: SealOptions): Uint8Array {
  const { frame, nonce, body, tag } = layout(plain, header, opts);
  // Enciphered where it lies (gcm.ts): over the plaintext when consumed, else over its copy.
  try {
    sealInPlace(key, nonce, associated(ctx), body, tag);
  } catch (e) {
    // OpenSSL refusing valid arguments, or a cipher that held bytes back: nothing to send.
    throw new SealError('malformed', `cannot seal the checkpoint of ${ctx.job}: ${(e as Error).message}`, { cause: e });
  }
  return frame;
}

/**
 * A sealed frame whose body is enciphered later, a piece at a time (sealToLater): the
 * frame is final up to the bytes `upTo` has been called with, and only there.
 */
export interface DeferredSeal {
  /** The frame sealTo would give, once `upTo(frame.byteLength)` ran; before that its body is plaintext. */
  readonly frame: Uint8Array;
  /**
   * Make the frame final up to byte `end` (from its start): the body enciphered that far,
   * in order, each byte once; the tag written once the body is done and `end` passes it.
   * Never throws: if the cipher fails, every byte not yet final is zeroed (the frame then
   * does not open, and no plaintext can leave) and `failed` says why.
   */
  upTo(end: number): void;
  /** Why the cipher failed, if it did. */
  readonly failed: Error | undefined;
}

/**
 * sealTo, but the body is enciphered when `upTo` asks, not now (send-in-place.ts writes
 * each piece of a hand-over as soon as it is enciphered, so the cipher runs while the
 * pieces before are in flight). The frame must not leave this process before
 * `upTo(frame.byteLength)`: its body is plaintext until then.
 */
export function sealToLater(me: Identity, peer: Uint8Array, ctx: SealContext, plain: Uint8Array, opts: SealOptions = {}): DeferredSeal {
  const key = derive(me, peer, ctx.job, me.public.seal, peer, MODE_FROM);
  const { frame, nonce, body, tag } = layout(plain, Buffer.from([MAGIC, VERSION, MODE_FROM]), opts);
  const start = body.byteOffset - frame.byteOffset;
  const end = start + body.byteLength;
  const stream = gcmStream(key, nonce, associated(ctx), 'seal');
  // Its length now: a buffer transferred away later reads as 0 bytes.
  const total = frame.byteLength;
  let done = start;
  let failed: Error | undefined;
  return {
    frame,
    get failed() { return failed; },
    upTo(to: number) {
      if (done >= total) return;
      try {
        const upto = Math.min(to, end);
        if (upto > done) { stream.update(frame.subarray(done, upto)); done = upto; }
        if (to > end && done === end) { stream.finish(tag); done = total; }
      } catch (e) {
        failed = new SealError('malformed', `cannot seal the checkpoint of ${ctx.job}: ${(e as Error).message}`, { cause: e });
        try {
          frame.fill(0, done);
        } catch {
          // Its buffer was transferred away (detached): there is nothing left to send.
        }
        done = total;
      }
    },
  };
}

/**
 * The plaintext of `box` (frame header of `at` bytes). `consume`: the box is the caller's
 * to overwrite, and the plaintext is written over its ciphertext (a view of `box` comes
 * back; its bytes are garbage if this throws), else into a new buffer.
 */
function decrypt(key: Buffer, ctx: SealContext, box: Uint8Array, at: number, consume: boolean): Uint8Array {
  if (box.byteLength < at + NONCE + TAG) throw new SealError('malformed', 'a sealed checkpoint is too short');
  const nonce = box.subarray(at, at + NONCE);
  const sealed = box.subarray(at + NONCE, box.byteLength - TAG);
  const plain = consume ? sealed : sealed.slice();
  let authentic: boolean;
  try {
    authentic = openInPlace(key, nonce, associated(ctx), plain, box.subarray(box.byteLength - TAG));
  } catch (e) {
    // Never from a peer's bytes (every length here is checked): a refusal all the same, typed.
    throw new SealError('malformed', `cannot open the checkpoint of ${ctx.job}: ${(e as Error).message}`, { cause: e });
  }
  if (!authentic) {
    throw new SealError('tampered', `checkpoint of ${ctx.job} from ${ctx.from}: altered, or sealed for another job, attempt, place or peer`);
  }
  return plain;
}

function header(box: Uint8Array): number {
  if (box.byteLength < 3 || box[0] !== MAGIC) throw new SealError('malformed', 'not a sealed checkpoint');
  if (box[1] !== VERSION) throw new SealError('malformed', `sealed checkpoint version ${box[1]}; this build opens ${VERSION}`);
  return box[2];
}

/** Seal `plain` from `me` to the identity whose sealing key is `peer`. */
export function sealTo(me: Identity, peer: Uint8Array, ctx: SealContext, plain: Uint8Array, opts: SealOptions = {}): Uint8Array {
  const key = derive(me, peer, ctx.job, me.public.seal, peer, MODE_FROM);
  return encrypt(key, ctx, plain, Buffer.from([MAGIC, VERSION, MODE_FROM]), opts);
}

/**
 * Open what the identity with sealing key `sender` sealed to `me`. Throws SealError.
 * `consume`: `box` is the caller's to overwrite; the plaintext is then a view of it.
 */
export function openFrom(me: Identity, sender: Uint8Array, ctx: SealContext, box: Uint8Array, consume = false): Uint8Array {
  if (header(box) !== MODE_FROM) throw new SealError('malformed', 'expected a checkpoint sealed from a peer');
  return decrypt(derive(me, sender, ctx.job, sender, me.public.seal, MODE_FROM), ctx, box, 3, consume);
}

/** Seal `plain` to `recipient` from a fresh ephemeral key: only the recipient can open it. */
export function sealAnon(recipient: Uint8Array, ctx: SealContext, plain: Uint8Array): Uint8Array {
  const eph = generateKeyPairSync('x25519');
  const ephPub = eph.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: publicKey('seal', recipient) });
  return encrypt(anonKey(shared, ephPub, recipient, ctx.job), ctx, plain, Buffer.concat([Buffer.from([MAGIC, VERSION, MODE_ANON]), ephPub]), {});
}

/** Open what was sealed to `me` with sealAnon. Throws SealError. */
export function openAnon(me: Identity, ctx: SealContext, box: Uint8Array): Uint8Array {
  if (header(box) !== MODE_ANON || box.byteLength < 35) throw new SealError('malformed', 'expected an anonymously sealed checkpoint');
  const ephPub = box.subarray(3, 35);
  const shared = diffieHellman({ privateKey: me.sealKey, publicKey: publicKey('seal', ephPub) });
  return decrypt(anonKey(shared, ephPub, me.public.seal, ctx.job), ctx, box, 35, false);
}

/** What a stored checkpoint of job key `job` is sealed to (its place and yields are inside it). */
export function storedContext(job: string, attempt: number, bundle: string): SealContext {
  return { job, attempt, fragment: 0, seq: 0, bundle, from: 'store', to: 'engine' };
}

/** What a bundle served to hub `hub` is sealed to. */
export function bundleContext(hash: string, hub: string): SealContext {
  return { job: `bundle:${hash}`, attempt: 0, fragment: 0, seq: 0, bundle: hash, from: 'engine', to: hub };
}

/** True when `bytes` is a sealed checkpoint frame (not a plain one, whose magic differs). */
export function isSealed(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 3 && bytes[0] === MAGIC && bytes[1] === VERSION;
}
