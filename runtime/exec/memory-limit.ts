/**
 * Caps a module's memory at load: rewrites the memory section's maximum so that the
 * engine itself refuses memory.grow past the sandbox limit (it returns -1). The module's
 * code is untouched, so a bundle's hash and its checkpoints mean what they did.
 *   const capped = capMemory(bytes, 1024);   // at most 64 MiB
 *   const mod = await WebAssembly.compile(capped);
 */
import { ExecError } from './errors.js';

const MEMORY_SECTION = 5;

/**
 * `bytes` with every defined memory's maximum lowered to `maxPages` (a copy; the input is
 * untouched). Bytes that do not parse as far as the memory section come back unchanged:
 * compiling them reports what is wrong.
 *
 * # Errors
 * ExecError 'memory-limit' when a memory's initial size is above `maxPages`;
 * 'bad-module' for a shared or 64-bit memory (weave runs neither).
 */
export function capMemory(bytes: Uint8Array, maxPages: number): Uint8Array {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return bytes;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const size = readLeb(bytes, at + 1);
    if (!size) return bytes;
    const start = size.end;
    const end = start + size.value;
    if (end > bytes.length) return bytes;
    if (id === MEMORY_SECTION) {
      const body = rewriteMemories(bytes.subarray(start, end), maxPages);
      if (!body) return bytes;
      const head = [MEMORY_SECTION, ...leb(body.length)];
      const out = new Uint8Array(at + head.length + body.length + (bytes.length - end));
      out.set(bytes.subarray(0, at), 0);
      out.set(head, at);
      out.set(body, at + head.length);
      out.set(bytes.subarray(end), at + head.length + body.length);
      return out;
    }
    at = end;
  }
  return bytes;
}

function rewriteMemories(section: Uint8Array, maxPages: number): Uint8Array | undefined {
  const count = readLeb(section, 0);
  if (!count) return undefined;
  const out: number[] = [...leb(count.value)];
  let at = count.end;
  for (let i = 0; i < count.value; i++) {
    const flags = section[at++];
    if (flags === undefined) return undefined;
    if (flags & ~1) throw new ExecError(`the module declares a ${flags & 4 ? '64-bit' : 'shared'} memory (limits flags 0x${flags.toString(16)}); weave runs only plain 32-bit memories`, { code: 'bad-module' });
    const min = readLeb(section, at);
    if (!min) return undefined;
    at = min.end;
    let max = maxPages;
    if (flags & 1) {
      const declared = readLeb(section, at);
      if (!declared) return undefined;
      at = declared.end;
      max = Math.min(declared.value, maxPages);
    }
    if (min.value > maxPages) {
      throw new ExecError(`the module's initial memory of ${min.value} pages (${min.value * 64} KiB) exceeds the sandbox limit of ${maxPages} pages (maxMemoryPages, ${maxPages * 64} KiB)`, { code: 'memory-limit' });
    }
    out.push(1, ...leb(min.value), ...leb(max));
  }
  if (at !== section.length) return undefined;
  return Uint8Array.from(out);
}

/** An unsigned LEB128 of at most 5 bytes (u32), or undefined past the end or when longer. */
function readLeb(bytes: Uint8Array, at: number): { value: number; end: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = bytes[at + i];
    if (b === undefined) return undefined;
    value += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) return value > 0xffffffff ? undefined : { value, end: at + i + 1 };
  }
  return undefined;
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}
