/**
 * Pass: one pruned module per entry (all of its fragments).
 *
 * Each module is the final woven binary with only the entry's fragment exports (plus the
 * state exports every fragment module shares), and with the body of every function those
 * exports cannot reach replaced by `unreachable`. Function indices, types, globals, the
 * table and the data stay as they are and no kept body changes, so Asyncify's saved stacks
 * and the frames mean the same in every module of the bundle, and a checkpoint moves
 * between them freely.
 *
 * Why bodies and not functions: removing functions renumbers them, which needs a module
 * parsed and written again per entry (Binaryen's remove-unused-module-elements took 40-50
 * ms per entry: about half of weaving a 30-export module). Here the binary is read once,
 * and each entry's module is its sections copied with the export and code sections
 * rewritten. Reachability is the call graph's (direct calls, `ref.func`, and an indirect
 * call reaching every table function of its signature: any other traps on its signature,
 * in a stub as in the original).
 *   const modules = pruneEach(m, finalBinary, [new Set(['__weave_frag:main:0', …]), …]);
 */
import binaryen from 'binaryen';
import { CallGraph } from './call-graph.js';
import { WeaveBuildError } from '../errors.js';

/** A function body of no locals that traps: `unreachable end`. */
const STUB = Uint8Array.of(3, 0x00, 0x00, 0x0b);

/** `m` must be the module `finalBinary` was emitted from, unchanged since. */
export function pruneEach(m: binaryen.Module, finalBinary: Uint8Array, keeps: Array<Set<string>>): Uint8Array[] {
  const layout = new BinaryLayout(finalBinary);
  const graph = CallGraph.of(m);
  const { indexOf, names } = functionIndex(m, layout.importedFunctions);
  const start = m.getStart() ? [binaryen.getFunctionInfo(m.getStart()).name] : [];
  // The binary's export section must name the functions this index says (Binaryen writes
  // imports first, then definitions in module order): checked, so a change there cannot
  // stub the wrong bodies silently.
  for (const ex of layout.exports) {
    if (ex.kind !== 0) continue;
    const internal = binaryen.getExportInfo(m.getExport(ex.name)).value;
    if (indexOf.get(internal) !== ex.index) throw new WeaveBuildError(`internal error: prune: export '${ex.name}' is function ${ex.index} in the binary, but ${indexOf.get(internal)} by the module`);
  }
  return keeps.map((keep) => {
    const kept = layout.exports.filter((ex) => ex.kind === 0 && keep.has(ex.name)).map((ex) => names[ex.index]);
    const live = graph.usedFrom([...start, ...kept]);
    return layout.rewrite(
      layout.exports.filter((ex) => ex.kind !== 0 || keep.has(ex.name)),
      (definedIndex) => live.has(names[layout.importedFunctions + definedIndex]),
    );
  });
}

/** The binary index of every function. */
function functionIndex(m: binaryen.Module, imported: number) {
  const names: string[] = [];
  const defined: string[] = [];
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
    (f.module ? names : defined).push(f.name);
  }
  if (names.length !== imported) throw new WeaveBuildError(`internal error: prune: ${names.length} imported functions in the module, ${imported} in the binary`);
  names.push(...defined);
  return { names, indexOf: new Map(names.map((n, i) => [n, i])) };
}

interface Export { name: string; kind: number; index: number; bytes: Uint8Array }

/** Where a Wasm binary's sections are, its exports and its function bodies (read once). */
class BinaryLayout {
  readonly sections: Array<{ id: number; start: number; end: number; payload: number }> = [];
  readonly exports: Export[] = [];
  importedFunctions = 0;
  /** Each defined function's body, with its size prefix. */
  private bodies: Uint8Array[] = [];

  constructor(private readonly bytes: Uint8Array) {
    let at = 8;
    while (at < bytes.length) {
      const start = at;
      const id = bytes[at++];
      const [size, next] = leb(bytes, at);
      this.sections.push({ id, start, end: next + size, payload: next });
      at = next + size;
    }
    for (const s of this.sections) {
      if (s.id === 2) this.readImports(s.payload);
      else if (s.id === 7) this.readExports(s.payload);
      else if (s.id === 10) this.readCode(s.payload);
    }
  }

  /** The binary with these exports, and a stub for every body `keep` says no to. */
  rewrite(exports: Export[], keep: (definedIndex: number) => boolean): Uint8Array {
    const parts: Uint8Array[] = [this.bytes.subarray(0, 8)];
    for (const s of this.sections) {
      if (s.id === 7) parts.push(section(7, [uleb(exports.length), ...exports.map((e) => e.bytes)]));
      else if (s.id === 10) parts.push(section(10, [uleb(this.bodies.length), ...this.bodies.map((body, i) => (keep(i) ? body : STUB))]));
      else parts.push(this.bytes.subarray(s.start, s.end));
    }
    return concat(parts);
  }

  private readImports(at: number): void {
    let n;
    [n, at] = leb(this.bytes, at);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 2; k++) { let len; [len, at] = leb(this.bytes, at); at += len; } // module, name
      const kind = this.bytes[at++];
      if (kind === 0) { this.importedFunctions++; [, at] = leb(this.bytes, at); }
      else if (kind === 1) { at++; at = skipLimits(this.bytes, at); } // table: reftype, limits
      else if (kind === 2) at = skipLimits(this.bytes, at); // memory
      else if (kind === 3) at += 2; // global: valtype, mut
      else throw new WeaveBuildError(`internal error: prune: import kind ${kind}`);
    }
  }

  private readExports(at: number): void {
    let n;
    [n, at] = leb(this.bytes, at);
    for (let i = 0; i < n; i++) {
      const start = at;
      let len;
      [len, at] = leb(this.bytes, at);
      const name = new TextDecoder().decode(this.bytes.subarray(at, at + len));
      at += len;
      const kind = this.bytes[at++];
      let index;
      [index, at] = leb(this.bytes, at);
      this.exports.push({ name, kind, index, bytes: this.bytes.subarray(start, at) });
    }
  }

  private readCode(at: number): void {
    let n;
    [n, at] = leb(this.bytes, at);
    for (let i = 0; i < n; i++) {
      const [size, next] = leb(this.bytes, at);
      this.bodies.push(this.bytes.subarray(at, next + size));
      at = next + size;
    }
  }
}

function skipLimits(bytes: Uint8Array, at: number): number {
  const flags = bytes[at++];
  [, at] = leb(bytes, at);
  if (flags & 1) [, at] = leb(bytes, at);
  return at;
}

/** An unsigned LEB128 at `at`: its value and where the next field starts. */
function leb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [value, at];
  }
}

function uleb(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Uint8Array.from(out);
}

function section(id: number, parts: Uint8Array[]): Uint8Array {
  const body = concat(parts);
  return concat([Uint8Array.of(id), uleb(body.length), body]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
