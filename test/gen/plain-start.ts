/**
 * The reference build with its start function exported instead of run at instantiation,
 * so the harness can call it with the instance's memory in hand. Run at instantiation, an
 * `abort` in top-level code cannot read its message (no export exists until the start
 * function returns): plain gave a bare `abort` where weave, which defers the start
 * function the same way, gave the program's own words (fuzz:weave seed 604731642: "gen: g3
 * hit an edge at <program>:26:5"). Called right after instantiation it does the same work
 * in the same order; only the harness sees more.
 *
 * Written on the binary's sections directly (no weave code): the start section (id 8) is
 * dropped and its function exported under PLAIN_START, in the export section (id 7), made
 * where there is none. A binary without a start section comes back as it is.
 *   const inst = await WebAssembly.instantiate(await WebAssembly.compile(exposeStart(core)), imports);
 *   (inst.exports[PLAIN_START] as Function | undefined)?.();
 */

export const PLAIN_START = '__plain_start';

const EXPORT = 7;
const START = 8;

interface Section { id: number; from: number; payload: number; end: number }

function readLeb(bytes: Uint8Array, at: number): [value: number, length: number] {
  let value = 0;
  let shift = 0;
  let n = 0;
  for (;;) {
    if (at + n >= bytes.length) throw new Error('exposeStart: truncated LEB128');
    const b = bytes[at + n++];
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [value, n];
    shift += 7;
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

function sections(bytes: Uint8Array): Section[] {
  const out: Section[] = [];
  let at = 8;
  while (at < bytes.length) {
    const from = at;
    const id = bytes[at++];
    const [size, n] = readLeb(bytes, at);
    at += n;
    out.push({ id, from, payload: at, end: at + size });
    at += size;
  }
  if (at !== bytes.length) throw new Error('exposeStart: a section runs past the end of the binary');
  return out;
}

function section(id: number, payload: number[]): number[] {
  return [id, ...leb(payload.length), ...payload];
}

/** `bytes` with its start function exported as PLAIN_START and no start section. */
export function exposeStart(bytes: Uint8Array): Uint8Array {
  const all = sections(bytes);
  const start = all.find((s) => s.id === START);
  if (!start) return bytes;
  const [fn] = readLeb(bytes, start.payload);
  const name = [...Buffer.from(PLAIN_START)];
  const entry = [...leb(name.length), ...name, 0x00, ...leb(fn)];
  const exports = all.find((s) => s.id === EXPORT);
  let exportSection: number[];
  if (exports) {
    const [count, n] = readLeb(bytes, exports.payload);
    exportSection = section(EXPORT, [...leb(count + 1), ...bytes.subarray(exports.payload + n, exports.end), ...entry]);
  } else {
    exportSection = section(EXPORT, [...leb(1), ...entry]);
  }
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const s of all) {
    // Sections keep their order; a new export section goes where the start section was
    // (after globals, before elements and code, as the binary format orders them).
    if (s.id === START) { if (!exports) parts.push(Uint8Array.from(exportSection)); continue; }
    parts.push(s.id === EXPORT ? Uint8Array.from(exportSection) : bytes.subarray(s.from, s.end));
  }
  return Uint8Array.from(Buffer.concat(parts));
}
