/**
 * Values at the boundary between weave and a program: arguments in, the result out.
 *
 * Numbers cross as Wasm values. Strings and arrays cross as asc's JS bindings pass them:
 * the hub allocates the object in the instance (`__new`, pinned until every argument is
 * in) before the call, and reads the result object out of memory after it. On the wire
 * and in job records an argument is a number, a bigint, raw bytes (a string's UTF-16
 * code units, an array's elements little-endian) or null, so every value is exact.
 *   const args = parseArgs(['some text'], entry);          // CLI strings -> ArgValue[]
 *   x.start('count', args);                                 // lowered into the instance
 *   formatResult(decodeResult(resultType(entry), bytes));   // "4" / "[1,2]" / "text"
 */
import type { BoundaryType, EntryInfo, EntrySignature, ScalarType, ValType } from '../../fragments/abi.js';
import { ExecError } from './errors.js';

/** An argument as it travels: numbers, bytes of a string or array, or null (defined with the protocol). */
import type { ArgValue } from '../protocol/index.js';
export type { ArgValue };

/** A result as users see it. */
export type ResultValue = number | bigint | boolean | string | null | undefined | Array<number | bigint | boolean>;

/** What the runtime needs of an instance to pass objects (asc's exported runtime). */
export interface InstanceAccess {
  memory: () => WebAssembly.Memory;
  /** Bytes weave's rebase moved the program up by: program address + reserved = memory offset. */
  reserved: number;
  exports: Record<string, unknown>;
}

const ARRAYBUFFER_ID = 1;
const STRING_ID = 2;
/** Bytes per element, by AssemblyScript type. */
const SIZES: Record<ScalarType, number> = {
  bool: 1, i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, i64: 8, u64: 8, f32: 4, f64: 8, isize: 4, usize: 4,
};
const WASM_TYPE: Record<ScalarType, ValType> = {
  bool: 'i32', i8: 'i32', u8: 'i32', i16: 'i32', u16: 'i32', i32: 'i32', u32: 'i32', isize: 'i32', usize: 'i32', i64: 'i64', u64: 'i64', f32: 'f32', f64: 'f64',
};
const RANGES: Partial<Record<ScalarType, [bigint, bigint]>> = {
  i8: [-128n, 127n], u8: [0n, 255n], i16: [-32768n, 32767n], u16: [0n, 65535n],
  i32: [-(1n << 31n), (1n << 32n) - 1n], u32: [0n, (1n << 32n) - 1n], isize: [-(1n << 31n), (1n << 32n) - 1n], usize: [0n, (1n << 32n) - 1n],
  i64: [-(1n << 63n), (1n << 64n) - 1n], u64: [0n, (1n << 64n) - 1n],
};
const INT = /^[+-]?\d+$/;

/** The parameter types of an entry: its AssemblyScript signature, or its Wasm types. */
export function paramTypes(e: EntryInfo): BoundaryType[] {
  return e.signature?.params ?? e.params.map((t) => ({ kind: 'scalar', type: t === 'v128' ? 'i32' : t }) as BoundaryType);
}

/** The result type of an entry: its AssemblyScript signature's, or its Wasm type. */
export function resultType(e: EntryInfo): BoundaryType {
  if (e.signature) return e.signature.result;
  return e.result === 'none' ? { kind: 'void' } : { kind: 'scalar', type: e.result === 'v128' ? 'i32' : e.result };
}

/** A type as users read it: `i32`, `string`, `Array<f64> | null`, `void`. */
export function typeName(t: BoundaryType): string {
  switch (t.kind) {
    case 'void': return 'void';
    case 'scalar': return t.type;
    case 'string': return t.nullable ? 'string | null' : 'string';
    case 'arraybuffer': return t.nullable ? 'ArrayBuffer | null' : 'ArrayBuffer';
    default: return t.nullable ? `${t.name} | null` : t.name;
  }
}

/**
 * Command-line arguments for an entry. A string parameter takes the text as is; an array
 * takes JSON (`[1,2,3]`), a byte array or ArrayBuffer also `@FILE` (the file's bytes);
 * `null` passes null where the type allows it. Parameters with defaults may be left out.
 * Throws ExecError naming the argument, its type and what to pass instead.
 */
export function parseArgs(raw: string[], e: EntryInfo, readFile: (p: string) => Uint8Array = () => { throw new Error('no files'); }): ArgValue[] {
  const types = paramTypes(e);
  const required = e.signature?.required ?? types.length;
  const names = e.signature?.names ?? [];
  if (raw.length < required || raw.length > types.length) {
    const want = required === types.length ? `${types.length}` : `${required} to ${types.length}`;
    throw new ExecError(`'${e.name}' takes ${want} argument(s) (${types.map((t, i) => (names[i] ? `${names[i]}: ${typeName(t)}` : typeName(t))).join(', ') || 'none'}), got ${raw.length}`);
  }
  return raw.map((s, i) => {
    const t = types[i];
    const bad = (why: string) => new ExecError(`argument ${i + 1}${names[i] ? ` (${names[i]})` : ''} of '${e.name}' is ${typeName(t)}: '${s.length > 60 ? s.slice(0, 57) + '...' : s}' ${why}`);
    // `null` is text for a string that cannot be null, and null for one that can.
    if (s === 'null' && t.kind !== 'scalar' && t.kind !== 'void' && (t.kind !== 'string' || t.nullable)) {
      if (!t.nullable) throw bad('cannot be null');
      return null;
    }
    switch (t.kind) {
      case 'scalar': return parseScalar(s, t.type, bad);
      case 'string': return utf16(s);
      case 'void': throw bad('cannot be passed');
      default: {
        const elem = t.kind === 'arraybuffer' ? 'u8' : t.elem;
        if (s.startsWith('@')) {
          if (SIZES[elem] !== 1) throw bad('reads @FILE only into byte arrays (u8, i8); give a JSON array');
          try {
            return new Uint8Array(readFile(s.slice(1)));
          } catch (err) {
            throw bad(`names a file that cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
          }
        }
        // Elements are read as text, not through JSON.parse: an i64 beyond 2^53 or a -0
        // would not survive a JavaScript number.
        const m = /^\s*\[(.*)\]\s*$/s.exec(s);
        if (!m) throw bad('is not a JSON array (e.g. [1,2,3])');
        const items = m[1].trim() ? m[1].split(',').map((x) => x.trim().replace(/^"(.*)"$/, '$1')) : [];
        const out = new Uint8Array(items.length * SIZES[elem]);
        const view = new DataView(out.buffer);
        items.forEach((x, k) => writeScalar(view, k * SIZES[elem], elem, parseScalar(x, elem, (why) => bad(`has element ${k} '${x}' that ${why}`))));
        return out;
      }
    }
  });
}

function parseScalar(s: string, t: ScalarType, bad: (why: string) => Error): number | bigint {
  if (t === 'bool') {
    if (s === 'true' || s === '1') return 1;
    if (s === 'false' || s === '0') return 0;
    throw bad('is not true or false');
  }
  if (t === 'f32' || t === 'f64') {
    const n = Number(s);
    if (s.trim() === '' || (Number.isNaN(n) && s !== 'NaN')) throw bad('is not a number');
    return t === 'f32' ? Math.fround(n) : n;
  }
  if (!INT.test(s)) throw bad('is not an integer');
  const n = BigInt(s);
  const [lo, hi] = RANGES[t]!;
  if (n < lo || n > hi) throw bad(`is out of the ${t} range`);
  if (t === 'i64' || t === 'u64') return BigInt.asIntN(64, n);
  return Number(BigInt.asIntN(32, n));
}

function utf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

function writeScalar(view: DataView, at: number, t: ScalarType, v: number | bigint): void {
  switch (SIZES[t]) {
    case 1: view.setUint8(at, Number(v) & 0xff); return;
    case 2: view.setUint16(at, Number(v) & 0xffff, true); return;
    case 4: if (t === 'f32') view.setFloat32(at, Number(v), true); else view.setInt32(at, Number(v) | 0, true); return;
    default: if (t === 'f64') view.setFloat64(at, Number(v), true); else view.setBigInt64(at, BigInt.asIntN(64, BigInt(v)), true);
  }
}

/**
 * Turn arguments into the Wasm values of the entry's parameters, allocating strings and
 * arrays in the instance. Objects stay pinned until `release()` (call it once every value
 * is in the entry's frame: nothing can collect them after that before the entry runs).
 * Throws ExecError for a value that does not fit its parameter.
 */
export function lowerArgs(inst: InstanceAccess, e: EntryInfo, args: ArgValue[]): { values: Array<number | bigint>; release: () => void } {
  const types = paramTypes(e);
  const pinned: number[] = [];
  const fn = (name: string) => {
    const f = inst.exports[name];
    if (typeof f !== 'function') throw new ExecError(`'${e.name}' takes objects, but the module does not export asc's runtime (${name}); rebuild it with weave build`, { code: 'bad-module' });
    return f as (...a: number[]) => number;
  };
  const release = () => { for (const p of pinned.splice(0)) fn('__unpin')(p); };
  const bytesAt = (ptr: number, len: number) => new Uint8Array(inst.memory().buffer, ptr + inst.reserved, len);
  const alloc = (bytes: Uint8Array, id: number) => {
    const ptr = fn('__new')(bytes.byteLength, id) >>> 0;
    bytesAt(ptr, bytes.byteLength).set(bytes);
    return ptr;
  };
  const u32 = (ptr: number, off: number, v: number) => new DataView(inst.memory().buffer).setUint32(ptr + inst.reserved + off, v, true);
  try {
    const values = types.map((t, i): number | bigint => {
      const a = i < args.length ? args[i] : zeroOf(t);
      const bad = (why: string) => new ExecError(`argument ${i + 1} of '${e.name}' (${typeName(t)}) ${why}`);
      if (t.kind === 'scalar') {
        if (typeof a !== 'number' && typeof a !== 'bigint') throw bad('must be a number');
        const w = WASM_TYPE[t.type];
        if (w === 'i64') return BigInt.asIntN(64, BigInt(a));
        if (typeof a !== 'number') throw bad('must not be a bigint');
        return w === 'i32' ? a | 0 : w === 'f32' ? Math.fround(a) : a;
      }
      if (t.kind === 'void') throw bad('cannot be passed');
      if (a === null) {
        if (!t.nullable) throw bad('must not be null');
        return 0;
      }
      if (!(a instanceof Uint8Array)) throw bad('must be bytes');
      let ptr: number;
      if (t.kind === 'string') {
        if (a.byteLength % 2) throw bad('must be UTF-16 code units (an even number of bytes)');
        ptr = alloc(a, STRING_ID);
      } else if (t.kind === 'arraybuffer') {
        ptr = alloc(a, ARRAYBUFFER_ID);
      } else {
        const size = SIZES[t.elem];
        if (a.byteLength % size) throw bad(`must be whole ${t.elem} elements (${size} bytes each)`);
        if (t.kind === 'staticarray') {
          ptr = alloc(a, t.id);
        } else {
          // An Array or typed array is a header pointing at an ArrayBuffer: the buffer is
          // pinned while the header is allocated, as asc's bindings do.
          const buffer = alloc(a, ARRAYBUFFER_ID);
          fn('__pin')(buffer);
          try {
            ptr = fn('__new')(t.kind === 'array' ? 16 : 12, t.id) >>> 0;
          } finally {
            fn('__unpin')(buffer);
          }
          u32(ptr, 0, buffer);
          u32(ptr, 4, buffer);
          u32(ptr, 8, a.byteLength);
          if (t.kind === 'array') u32(ptr, 12, a.byteLength / size);
        }
      }
      fn('__pin')(ptr);
      pinned.push(ptr);
      return ptr;
    });
    // A function with optional parameters is exported as a trampoline that reads how
    // many arguments the caller passed from a global asc's runtime sets.
    const setLength = inst.exports.__setArgumentsLength;
    if (typeof setLength === 'function') setLength(Math.min(args.length, types.length));
    return { values, release };
  } catch (err) {
    release();
    if (err instanceof ExecError) throw err;
    throw new ExecError(`cannot pass the arguments of '${e.name}' into the instance: ${(err as Error)?.message ?? err}`, { cause: err, code: 'memory-limit' });
  }
}

function zeroOf(t: BoundaryType): ArgValue {
  return t.kind === 'scalar' ? (WASM_TYPE[t.type] === 'i64' ? 0n : 0) : null;
}

/**
 * The result's exact bytes: a number's little-endian bytes as the frame holds them; for
 * an object, a tag byte (0: null, 1: present) and then its contents (a string's UTF-16
 * code units, an array's elements), read from the instance's memory.
 */
export function liftResult(inst: Pick<InstanceAccess, 'memory' | 'reserved'>, t: BoundaryType, slot: Uint8Array, maxBytes: number): Uint8Array {
  if (t.kind === 'void' || t.kind === 'scalar') return slot;
  const ptr = new DataView(slot.buffer, slot.byteOffset, 4).getUint32(0, true);
  if (ptr === 0) return new Uint8Array([0]);
  const buf = inst.memory().buffer;
  const view = new DataView(buf);
  const at = (p: number) => p + inst.reserved;
  const read = (p: number, len: number) => {
    if (len > maxBytes) throw new ExecError(`the result of ${len} bytes is larger than the ${maxBytes} allowed`, { code: 'result-too-large' });
    if (at(p) + len > buf.byteLength || at(p) < inst.reserved) throw new ExecError('the result points outside the program\'s memory');
    const out = new Uint8Array(len + 1);
    out[0] = 1;
    out.set(new Uint8Array(buf, at(p), len), 1);
    return out;
  };
  // asc's object header: the payload's size is the u32 just before the object.
  const rtSize = (p: number) => view.getUint32(at(p) - 4, true);
  switch (t.kind) {
    case 'string': case 'arraybuffer': case 'staticarray': return read(ptr, rtSize(ptr));
    // An Array's byteLength is its buffer's capacity; its length is the elements in use.
    case 'array': return read(view.getUint32(at(ptr) + 4, true), view.getUint32(at(ptr) + 12, true) * SIZES[t.elem]);
    default: return read(view.getUint32(at(ptr) + 4, true), view.getUint32(at(ptr) + 8, true));
  }
}

/** The value users see, from the bytes liftResult (or a frame slot) gave. */
export function decodeResult(t: BoundaryType, bytes: Uint8Array): ResultValue {
  if (t.kind === 'void') return undefined;
  if (t.kind === 'scalar') return readScalar(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, t.type, true);
  if (!bytes.byteLength || bytes[0] === 0) return null;
  const body = bytes.subarray(1);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (t.kind === 'string') {
    let s = '';
    for (let i = 0; i + 1 < body.byteLength; i += 2) s += String.fromCharCode(view.getUint16(i, true));
    return s;
  }
  const elem = t.kind === 'arraybuffer' ? 'u8' : t.elem;
  const out: Array<number | bigint | boolean> = [];
  for (let i = 0; i + SIZES[elem] <= body.byteLength; i += SIZES[elem]) out.push(readScalar(view, i, elem, false) as number | bigint | boolean);
  return out;
}

/** A scalar read as asc's bindings lift it: bool as a boolean, unsigned types unsigned. */
function readScalar(view: DataView, at: number, t: ScalarType, wide: boolean): number | bigint | boolean {
  // In a frame slot small ints are whole i32 words; in an array they are their own size.
  const size = wide && SIZES[t] < 4 ? 4 : SIZES[t];
  switch (t) {
    case 'bool': return (size === 1 ? view.getUint8(at) : view.getInt32(at, true)) !== 0;
    case 'i8': return size === 1 ? view.getInt8(at) : view.getInt32(at, true);
    case 'u8': return size === 1 ? view.getUint8(at) : view.getInt32(at, true) >>> 0;
    case 'i16': return size === 2 ? view.getInt16(at, true) : view.getInt32(at, true);
    case 'u16': return size === 2 ? view.getUint16(at, true) : view.getInt32(at, true) >>> 0;
    case 'i32': case 'isize': return view.getInt32(at, true);
    case 'u32': case 'usize': return view.getUint32(at, true);
    case 'i64': return view.getBigInt64(at, true);
    case 'u64': return view.getBigUint64(at, true);
    case 'f32': return view.getFloat32(at, true);
    case 'f64': return view.getFloat64(at, true);
  }
}

/**
 * The printed form: numbers as JavaScript prints them (i64 as a decimal integer), a
 * string as its text, arrays as JSON (NaN and infinities as strings, which JSON lacks),
 * null as `null`, nothing for void.
 */
export function formatResult(r: { value: ResultValue }): string {
  const v = r.value;
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatElement).join(',')}]`;
  return String(v);
}

function formatElement(x: number | bigint | boolean): string {
  if (typeof x === 'number' && !Number.isFinite(x)) return `"${x}"`;
  if (typeof x === 'number' && Object.is(x, -0)) return '-0';
  return String(x);
}

/** Bytes an argument list holds (for bounds on what a request may carry). */
export function argBytes(args: readonly ArgValue[]): number {
  let n = 0;
  for (const a of args) n += a instanceof Uint8Array ? a.byteLength : 8;
  return n;
}

export type { EntrySignature };

/** Arguments as a trace or a log shows them: strings as text, arrays as JSON, cut at 200 characters. */
export function describeArgs(e: EntryInfo, args: readonly ArgValue[]): string[] {
  const types = paramTypes(e);
  return args.map((a, i) => {
    const t = types[i];
    if (!(a instanceof Uint8Array) || !t || t.kind === 'scalar' || t.kind === 'void') return String(a);
    const s = formatResult({ value: decodeResult(t, Uint8Array.of(1, ...a.subarray(0, 512))) });
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
  });
}
