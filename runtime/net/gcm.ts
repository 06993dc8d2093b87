/**
 * AES-256-GCM over bytes where they lie: the ciphertext over the plaintext (seal) or the
 * plaintext over the ciphertext (open), the 16-byte tag apart.
 *
 * With the native addon (native/weave_seal.c, built at `npm install` beside the simd one)
 * OpenSSL works on the caller's buffer. Without it, node:crypto, whose `update` returns
 * each piece in a new buffer: enciphered in 64 KiB pieces, each copied back over the
 * bytes it came from (a piece that size the allocator reuses; one `update` of 16 MiB
 * faulted in a fresh 16 MiB buffer). Both give the same bytes for the same key, nonce
 * and associated data (test/seal.test.ts), so hubs with and without the addon read each
 * other's seals; the addon only saves the copy, the allocation, and the garbage
 * collections those buffers caused on every hand-over. WEAVE_NO_NATIVE=1 forces node:crypto.
 *   sealInPlace(key, nonce, aad, data, tag);          // data enciphered, tag written
 *   if (!openInPlace(key, nonce, aad, data, tag)) …   // not authentic: data is garbage
 *   const s = gcmStream(key, nonce, aad, 'seal');     // the same a piece at a time, in order:
 *   s.update(piece); s.update(next); s.finish(tag);   // seal: tag written; open: true when authentic
 */
import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type GcmFn = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array, tag: Uint8Array) => void;
interface GcmAddon {
  seal: GcmFn;
  open: (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array, tag: Uint8Array) => boolean;
  begin: (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, seal: boolean) => unknown;
  update: (stream: unknown, data: Uint8Array) => void;
  finish: (stream: unknown, tag: Uint8Array) => boolean;
}

/** Where scripts/build-native.mjs puts the addon; this file runs from dist/runtime/net/. */
const ADDON_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native', 'build', 'Release', 'weave_seal.node');
const PIECE = 64 << 10;

let addon: GcmAddon | null | undefined;

function native(): GcmAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.WEAVE_NO_NATIVE === '1' || !existsSync(ADDON_PATH)) return addon;
  try {
    const a = createRequire(import.meta.url)(ADDON_PATH) as Partial<GcmAddon>;
    // An addon built before the streams were added has no `begin`: node:crypto then.
    if (typeof a.seal === 'function' && typeof a.open === 'function' && typeof a.begin === 'function') addon = a as GcmAddon;
  } catch {
    // A build for another Node, or none: node:crypto gives the same bytes.
  }
  return addon;
}

/** Which implementation this process uses: 'openssl' (the addon, in place) or 'node:crypto'. */
export function gcmKind(): 'openssl' | 'node:crypto' {
  return native() ? 'openssl' : 'node:crypto';
}

/**
 * `data` through `c` piece by piece, each piece's output copied back over the bytes it
 * came from (the cipher has read them by then); false if the cipher gave back fewer bytes
 * than it took (GCM is a stream mode: it never should).
 */
function throughPieces(c: Cipher | Decipher, data: Uint8Array): boolean {
  let w = 0;
  for (let i = 0; i < data.byteLength; i += PIECE) {
    const body = c.update(data.subarray(i, i + PIECE));
    data.set(body, w); w += body.length;
  }
  return w === data.byteLength;
}

/** node:crypto's seal, piece by piece over `data`. Exported for the tests that compare the two. */
export function sealWithNodeCrypto(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array, tag: Uint8Array): void {
  const s = streamWithNodeCrypto(key, nonce, aad, 'seal');
  s.update(data);
  s.finish(tag);
}

/** node:crypto's open, piece by piece over `data`; false when not authentic. */
export function openWithNodeCrypto(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array, tag: Uint8Array): boolean {
  const s = streamWithNodeCrypto(key, nonce, aad, 'open');
  s.update(data);
  return s.finish(tag);
}

/** Encipher `data` where it lies and write its tag (16 bytes, apart from data). */
export function sealInPlace(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array, tag: Uint8Array): void {
  const a = native();
  if (a) a.seal(key, nonce, aad, data, tag);
  else sealWithNodeCrypto(key, nonce, aad, data, tag);
}

/** Decipher `data` where it lies; true when it is authentic (else its bytes are garbage). */
export function openInPlace(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array, tag: Uint8Array): boolean {
  const a = native();
  return a ? a.open(key, nonce, aad, data, tag) : openWithNodeCrypto(key, nonce, aad, data, tag);
}

/** AES-256-GCM over consecutive pieces, each where it lies (see gcmStream). */
export interface GcmStream {
  /** Encipher (or decipher) the next piece in place. Throws when the cipher fails (it is then finished). */
  update(data: Uint8Array): void;
  /** Seal: write the tag, true. Open: true when everything so far is authentic under `tag`. Once. */
  finish(tag: Uint8Array): boolean;
}

/**
 * A stream of pieces under one key, nonce and associated data: the same bytes and tag as
 * sealInPlace/openInPlace over the pieces joined. Lets a hand-over be enciphered a piece
 * at a time right before each piece goes to the socket (send-in-place.ts). An open
 * stream's plaintext is unauthenticated until `finish` says true.
 */
export function gcmStream(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, mode: 'seal' | 'open'): GcmStream {
  const a = native();
  if (!a) return streamWithNodeCrypto(key, nonce, aad, mode);
  const s = a.begin(key, nonce, aad, mode === 'seal');
  return { update: (data) => a.update(s, data), finish: (tag) => a.finish(s, tag) };
}

/** node:crypto's stream, each piece's output copied back over it. Exported for the tests that compare the two. */
export function streamWithNodeCrypto(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, mode: 'seal' | 'open'): GcmStream {
  if (mode === 'seal') {
    const c = createCipheriv('aes-256-gcm', key, nonce);
    c.setAAD(aad);
    return {
      // A cipher that held bytes back would leave the end unenciphered: refuse, not send them.
      update: (data) => { if (!throughPieces(c, data)) throw new Error(`the cipher did not encipher all ${data.byteLength} bytes`); },
      finish: (tag) => {
        if (c.final().length !== 0) throw new Error('the cipher held bytes back');
        tag.set(c.getAuthTag());
        return true;
      },
    };
  }
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(aad);
  let whole = true;
  return {
    update: (data) => { whole = throughPieces(d, data) && whole; },
    finish: (tag) => {
      d.setAuthTag(tag);
      try {
        return d.final().length === 0 && whole;
      } catch {
        return false;
      }
    },
  };
}
