/**
 * Typed expressions: `expr(f, t, depth)` writes an AssemblyScript expression of type `t`
 * from what is in scope, fully parenthesized, so that asc accepts it without implicit
 * conversions. Calls charge the callee's cost in yield points to the function's budget.
 *   const e = expr(fnCtx, 'f64', 3);     // e.g. "(sqrt<f64>(v3) + <f64>(p0))"
 *   const c = cond(fnCtx, 2);            // a bool
 */
import type { FnCtx, HeapVar } from './context.js';
import { literal, randomValue, isFloat, isInt, isSigned, is64, wasmType, type Scalar } from './types.js';
import { callHelper } from './helpers.js';

const NUMERIC: readonly Scalar[] = ['i32', 'i64', 'f32', 'f64', 'u32', 'u64', 'u8', 'i16'];

export function lit(f: FnCtx, t: Scalar): string {
  const v = randomValue(t, f.mod.rng);
  if (typeof v === 'number' && isFloat(t)) {
    if (Number.isNaN(v)) f.mod.use('num.nan');
    else if (!Number.isFinite(v)) f.mod.use('num.overflow');
  }
  return literal(t, v);
}

/** A variable of type t; else often another variable converted; else a literal. */
export function leaf(f: FnCtx, t: Scalar): string {
  const r = f.mod.rng;
  const vars = f.visible(t);
  if (vars.length && r.chance(0.75)) return r.pick(vars).name;
  const others = [...f.mod.globals, ...f.vars].filter((v) => v.t !== 'bool' && v.t !== t);
  if (t !== 'bool' && others.length && r.chance(0.5)) {
    f.mod.use('num.convert');
    return `(<${t}>(${r.pick(others).name}))`;
  }
  return lit(f, t);
}

/**
 * A value of type t that depends on much of the function's state: locals, parameters,
 * globals, a buffer word, heap sizes. An export returns it, so that what the code computed
 * is observed (and not removed as dead by the optimizer).
 */
export function digest(f: FnCtx, t: Scalar): { terms: string[]; sep: string } {
  const r = f.mod.rng;
  const own = f.vars.filter((v) => v.t !== 'bool');
  const pool = [...own.slice(-4), ...r.chance(0.7) ? f.mod.globals.filter((v) => v.t !== 'bool').slice(0, 2) : []];
  const parts = pool.map((v) => (v.t === t ? v.name : `(<${t}>(${v.name}))`));
  if (f.mod.buffers.length && r.chance(0.4)) parts.push(`(<${t}>(load<i64>(${f.mod.buffers[0].name})))`);
  if (f.mod.profile === 'heap') {
    const h = heapRead(f, 'i32', 1);
    if (h) parts.push(`(<${t}>(${h}))`);
  }
  if (t === 'bool') return { terms: [...parts.map((p) => `(${p} != 0)`), cond(f, 2)], sep: ' != ' };
  parts.push(expr(f, t, 2));
  return { terms: parts, sep: isFloat(t) ? ' + ' : r.pick([' ^ ', ' + ']) };
}

/** A small non-negative i32 (an index, a count) derived from the values in scope. */
export function smallIndex(f: FnCtx, mask: number): string {
  return `(${expr(f, 'i32', 1)} & ${mask})`;
}

export function expr(f: FnCtx, t: Scalar, d: number): string {
  const r = f.mod.rng;
  if (d <= 0 || r.chance(0.2)) return leaf(f, t);
  if (t === 'bool') return cond(f, d);
  const heap = f.mod.profile === 'heap';
  const kind = r.weighted({
    leaf: 2, bin: 5, un: 1, cast: 1.5, tern: 1, call: 1.5, builtin: 1.5,
    nanbits: isFloat(t) ? 0.7 : 0, reinterp: is64(t) || t === 'i32' ? 0.4 : 0,
    load: 0.5, heap: heap ? 2.5 : 0, random: t === 'f64' ? 0.2 : 0, size: t === 'i32' ? 0.2 : 0,
  });
  switch (kind) {
    case 'leaf': return leaf(f, t);
    case 'bin': return binary(f, t, d);
    case 'un': return unary(f, t, d);
    case 'cast': return cast(f, t, d);
    case 'tern': return `(${cond(f, d - 1)} ? ${expr(f, t, d - 1)} : ${expr(f, t, d - 1)})`;
    case 'call': return callHelper(f, t, d) ?? binary(f, t, d);
    case 'builtin': return builtin(f, t, d);
    case 'nanbits': {
      f.mod.use('num.nan');
      // A NaN with a payload (quiet or signalling, either sign): its bits must survive.
      const payload = r.int(1, 0xfff);
      if (t === 'f64') return `reinterpret<f64>(<i64>0x${r.pick(['7ff', 'fff'])}${r.pick(['8', '0', '4'])}${payload.toString(16).padStart(12, '0')})`;
      return `reinterpret<f32>(<i32>0x${r.pick(['7f', 'ff'])}${r.pick(['c', '8', 'a'])}${payload.toString(16).padStart(5, '0')})`;
    }
    case 'reinterp': {
      // Float bits as an integer: NaN payloads produced by arithmetic become visible.
      f.mod.use('num.nan', 'num.convert');
      const from = is64(t) ? 'f64' : 'f32';
      const w = is64(t) ? 'i64' : 'i32';
      const e = `reinterpret<${w}>(${expr(f, from, d - 1)})`;
      return w === t ? e : `<${t}>(${e})`;
    }
    case 'load': return load(f, t, d);
    case 'heap': return heapRead(f, t, d) ?? binary(f, t, d);
    case 'random': f.mod.use('math.random'); return '(Math.random())';
    case 'size': return `(<i32>memory.size())`;
  }
  return leaf(f, t);
}

/** A bool: comparisons of any number type (NaN compares false), logic, heap membership. */
export function cond(f: FnCtx, d: number): string {
  const r = f.mod.rng;
  if (d <= 0) {
    const bools = f.visible('bool');
    if (bools.length && r.chance(0.3)) return r.pick(bools).name;
    const t = scopeType(f);
    return compare(f, leaf(f, t), leaf(f, t));
  }
  const kind = r.weighted({ cmp: 6, not: 1, logic: 2, nan: 0.7, heap: f.mod.profile === 'heap' ? 1 : 0, var: 1 });
  switch (kind) {
    case 'cmp': {
      const t = scopeType(f);
      useType(f, t);
      return compare(f, expr(f, t, d - 1), expr(f, t, d - 1));
    }
    case 'not': return `(!${cond(f, d - 1)})`;
    case 'logic': return `(${cond(f, d - 1)} ${r.pick(['&&', '||'])} ${cond(f, d - 1)})`;
    case 'nan': {
      f.mod.use('num.nan');
      const t = r.pick(['f32', 'f64'] as Scalar[]);
      return `(${r.pick(['isNaN', 'isFinite'])}<${t}>(${expr(f, t, d - 1)}))`;
    }
    case 'heap': return heapCond(f, d) ?? cond(f, 0);
    default: return cond(f, 0);
  }
}

/** `a op b`. The left side is parenthesized: asc reads `name < (…<i32>…)` as type arguments. */
function compare(f: FnCtx, a: string, b: string): string {
  const left = a.startsWith('(') ? a : `(${a})`;
  return `(${left} ${f.mod.rng.pick(['<', '<=', '>', '>=', '==', '!='])} ${b})`;
}

/** A number type, most often one that variables in scope have, so expressions use them. */
export function scopeType(f: FnCtx): Scalar {
  const r = f.mod.rng;
  const have = [...f.mod.globals, ...f.vars].map((v) => v.t).filter((t) => t !== 'bool');
  return have.length && r.chance(0.8) ? r.pick(have) : r.pick(NUMERIC);
}

function useType(f: FnCtx, t: Scalar): void {
  if (t === 'i32') f.mod.use('num.i32');
  else if (t === 'i64') f.mod.use('num.i64');
  else if (t === 'f32') f.mod.use('num.f32');
  else if (t === 'f64') f.mod.use('num.f64');
  else if (t !== 'bool') f.mod.use('num.small-int');
}

function binary(f: FnCtx, t: Scalar, d: number): string {
  const r = f.mod.rng;
  useType(f, t);
  const a = expr(f, t, d - 1);
  if (isFloat(t)) {
    const op = r.pick(['+', '-', '*', '/', '%', '+', '*']);
    return `(${a} ${op} ${expr(f, t, d - 1)})`;
  }
  const op = r.weighted({ '+': 3, '-': 2, '*': 2, '&': 1, '|': 1, '^': 1, '<<': 1, '>>': 1, '>>>': 0.5, div: 1.2, rawdiv: !f.safe && (t === 'i32' || t === 'i64') ? 0.25 : 0 });
  const b = expr(f, t, d - 1);
  if (op === 'div') {
    // The divisor is in [1, 128]: never zero, never -1.
    return `(${a} ${r.pick(['/', '%'])} ((${b} & <${t}>0x7f) + <${t}>1))`;
  }
  if (op === 'rawdiv') {
    // May divide by zero, or MIN / -1: the trap is part of the result.
    f.mod.use('trap.div');
    return `(${a} ${r.pick(['/', '%'])} ${leaf(f, t)})`;
  }
  if ((op === '+' || op === '*' || op === '-') && r.chance(0.3)) {
    f.mod.use('num.overflow');
    const bound = t === 'i32' ? 'i32.MAX_VALUE' : t === 'i64' ? 'i64.MAX_VALUE' : t === 'u32' ? 'u32.MAX_VALUE' : t === 'u64' ? 'u64.MAX_VALUE' : null;
    if (bound) return `(${a} ${op} (${bound} ${op === '-' ? '+' : '-'} ${b}))`;
  }
  return `(${a} ${op} ${b})`;
}

function unary(f: FnCtx, t: Scalar, d: number): string {
  const a = expr(f, t, d - 1);
  if (isFloat(t) || isSigned(t)) return f.mod.rng.chance(0.6) ? `(-${a})` : isFloat(t) ? `(-(-${a}))` : `(~${a})`;
  return `(~${a})`;
}

function cast(f: FnCtx, t: Scalar, d: number): string {
  const r = f.mod.rng;
  const from = r.pick([...NUMERIC, 'bool'].filter((x) => x !== t) as Scalar[]);
  f.mod.use('num.convert');
  if (isFloat(from) && isInt(t)) f.mod.use('num.overflow'); // saturating at the bounds
  if (wasmType(from) !== wasmType(t) || from === 'u8' || t === 'u8' || from === 'i16' || t === 'i16') f.mod.use('num.small-int');
  const inner = from === 'bool' ? cond(f, d - 1) : expr(f, from, d - 1);
  return `(<${t}>(${inner}))`;
}

function builtin(f: FnCtx, t: Scalar, d: number): string {
  const r = f.mod.rng;
  const a = () => expr(f, t, d - 1);
  useType(f, t);
  if (isFloat(t)) {
    const fn = r.pick(['sqrt', 'abs', 'floor', 'ceil', 'trunc', 'nearest', 'min', 'max', 'copysign', 'math']);
    if (fn === 'min' || fn === 'max' || fn === 'copysign') return `${fn}<${t}>(${a()}, ${a()})`;
    if (fn === 'math') {
      const m = t === 'f64' ? 'Math' : 'Mathf';
      const g = r.pick(['sin', 'exp', 'log', 'pow', 'atan2', 'cbrt']);
      return g === 'pow' || g === 'atan2' ? `${m}.${g}(${a()}, ${a()})` : `${m}.${g}(${a()})`;
    }
    return `${fn}<${t}>(${a()})`;
  }
  if (t === 'u8' || t === 'i16') return `(<${t}>(${r.pick(['min', 'max'])}<i32>(<i32>${a()}, <i32>${a()})))`;
  const fn = r.pick(['clz', 'ctz', 'popcnt', 'rotl', 'rotr', 'min', 'max', ...(isSigned(t) ? ['abs'] : [])]);
  if (fn === 'rotl' || fn === 'rotr' || fn === 'min' || fn === 'max') return `${fn}<${t}>(${a()}, ${a()})`;
  return `${fn}<${t}>(${a()})`;
}

/** Raw memory: a load from a static buffer, from a fixed low address, or anywhere (may trap). */
function load(f: FnCtx, t: Scalar, d: number): string {
  const r = f.mod.rng;
  const bufs = f.mod.buffers;
  const w = t === 'bool' ? 'u8' : t === 'u64' ? 'i64' : t === 'u32' ? 'i32' : t === 'i16' ? 'i16' : t;
  // Always cast: asc gives `load<T>` the contextual type's width when that is wider (a
  // `load<u8>` under `<i64>(…)` loads an i64), so a bare load compared with a u8 became
  // `i64 < u8`, which asc rejects (campaign seed 5400382).
  const wrap = (e: string) => `(<${t}>(${e}))`;
  f.mod.use('mem.load-store');
  // Without static data a module may have no memory at all: a fixed address is then out
  // of bounds, which top-level code (the start function) must not be.
  const fixed = f.safe && !bufs.length && f.mod.profile === 'numeric' ? 0 : 1;
  if (!bufs.length && !fixed && f.safe) return leaf(f, t);
  const how = r.weighted({ buffer: bufs.length ? 6 : 0, fixed, wild: f.safe ? 0 : 0.25 });
  if (how === 'buffer') {
    const b = r.pick(bufs);
    return wrap(`load<${w}>(${b.name} + ${bufOffset(f, b.size, d)})`);
  }
  if (how === 'fixed') return wrap(`load<${w}>(<usize>${r.int(0, 255) * 8})`);
  // An address from the program's values: small ones read the data segment, large ones
  // (negative i32s) are out of bounds in both builds. Rebasing must not wrap them in.
  f.mod.use('trap.memory');
  return wrap(`load<${w}>(<usize>(<u32>(${expr(f, 'i32', Math.min(d - 1, 1))})))`);
}

/** An 8-aligned byte offset inside a buffer of `size` bytes, leaving 8 bytes to read. */
export function bufOffset(f: FnCtx, size: number, d: number): string {
  const r = f.mod.rng;
  const slots = size / 8;
  if (r.chance(0.5)) return `<usize>${r.int(0, slots - 1) * 8}`;
  return `(<usize>(${expr(f, 'i32', Math.min(d - 1, 1))} & ${slots - 1}) << 3)`;
}

/** Reads from heap objects in scope that give a value of type t. */
function heapRead(f: FnCtx, t: Scalar, d: number): string | null {
  const r = f.mod.rng;
  const options: Array<() => string | null> = [];
  const idx = () => smallIndex(f, 15);
  if (t === 'i32') {
    for (const s of f.heapOf('string')) {
      options.push(() => { f.mod.use('heap.string'); return `${s.name}.length`; });
      options.push(() => { f.mod.use('heap.string'); return `${s.name}.charCodeAt(${idx()})`; });
      options.push(() => { f.mod.use('heap.string'); return `${s.name}.indexOf(${stringExpr(f, 0)})`; });
    }
    for (const a of f.heapOf('array')) options.push(() => { f.mod.use('heap.array'); return `${a.name}.length`; });
    for (const m of f.heapOf('map')) options.push(() => { f.mod.use('heap.map'); return `${m.name}.size`; });
    for (const s of f.heapOf('set')) options.push(() => { f.mod.use('heap.set'); return `${s.name}.size`; });
  }
  for (const a of f.heapOf('array')) {
    if (a.kind.elem !== t) continue;
    options.push(() => {
      f.mod.use('heap.array');
      if (!f.safe && r.chance(0.15)) { f.mod.use('trap.bounds'); return `${a.name}[${idx()}]`; }
      return `(${a.name}.length > 0 ? ${a.name}[<i32>(<u32>(${expr(f, 'i32', 1)}) % <u32>${a.name}.length)] : ${lit(f, t)})`;
    });
  }
  for (const a of f.heapOf('typed')) {
    const elem = typedElem(a);
    if (elem !== t && !(t === 'i32' && elem === 'u8')) continue;
    options.push(() => {
      f.mod.use('heap.typed-array');
      const e = !f.safe && r.chance(0.15) ? (f.mod.use('trap.bounds'), `${a.name}[${smallIndex(f, 7)}]`) : `${a.name}[${smallIndex(f, 0x7fff)} % ${a.kind.len}]`;
      return elem === t ? e : `(<i32>${e})`;
    });
  }
  for (const m of f.heapOf('map')) {
    if (m.kind.val !== t) continue;
    options.push(() => {
      f.mod.use('heap.map');
      const k = mapKey(f, m.kind.key);
      if (!f.safe && r.chance(0.1)) { f.mod.use('trap.bounds'); return `${m.name}.get(${k})`; }
      return `(${m.name}.has(${k}) ? ${m.name}.get(${k}) : ${lit(f, t)})`;
    });
  }
  for (const o of f.heapOf('obj')) {
    for (const m of o.kind.cls.methods) {
      if (m.ret !== t || m.cost > f.left || f.safe) continue;
      options.push(() => { f.left -= m.cost; f.mod.use(o.kind.cls.isInterface ? 'class.interface' : 'class.inheritance'); return `${o.name}.${m.name}(${expr(f, m.param, d - 1)})`; });
    }
    if (!o.kind.cls.isInterface) for (const fl of o.kind.cls.fields) if (fl.t === t) options.push(() => `${o.name}.${fl.name}`);
  }
  for (const b of f.heapOf('box')) {
    if (b.kind.t !== t) continue;
    options.push(() => { f.mod.use('generic.class'); return `${b.name}.get()`; });
    options.push(() => { f.mod.use('generic.class'); return `${b.name}.add(${expr(f, t, d - 1)})`; });
  }
  return options.length ? r.pick(options)() : null;
}

function heapCond(f: FnCtx, d: number): string | null {
  const r = f.mod.rng;
  const options: Array<() => string> = [];
  for (const s of f.heapOf('set')) options.push(() => { f.mod.use('heap.set'); return `${s.name}.has(${s.kind.elem === 'i32' ? expr(f, 'i32', 1) : stringExpr(f, 1)})`; });
  for (const m of f.heapOf('map')) options.push(() => { f.mod.use('heap.map'); return `${m.name}.has(${mapKey(f, m.kind.key)})`; });
  for (const s of f.heapOf('string')) options.push(() => { f.mod.use('heap.string'); return `(${s.name} ${r.pick(['==', '!='])} ${stringExpr(f, d - 1)})`; });
  for (const a of f.heapOf('array')) options.push(() => { f.mod.use('heap.array'); return `${a.name}.includes(${expr(f, a.kind.elem, 1)})`; });
  for (const o of f.heapOf('obj')) {
    const sub = o.kind.cls.concrete.filter((c) => !c.isInterface);
    if (sub.length) options.push(() => { f.mod.use('class.inheritance'); return `(${o.name} instanceof ${r.pick(sub).name})`; });
  }
  return options.length ? r.pick(options)() : null;
}

export function typedElem(a: HeapVar): Scalar {
  const k = a.kind as { ctor: string };
  return ({ Int32Array: 'i32', Uint8Array: 'u8', Int64Array: 'i64', Float32Array: 'f32', Float64Array: 'f64' } as Record<string, Scalar>)[k.ctor];
}

export function mapKey(f: FnCtx, key: 'i32' | 'string'): string {
  return key === 'i32' ? smallIndex(f, 7) : `("k" + ${smallIndex(f, 7)}.toString())`;
}

/** A string: literals, variables, concatenation, numbers printed, substrings. */
export function stringExpr(f: FnCtx, d: number): string {
  const r = f.mod.rng;
  f.mod.use('heap.string');
  const vars = f.heapOf('string');
  if (d <= 0 || r.chance(0.3)) return vars.length && r.chance(0.6) ? r.pick(vars).name : `"${r.pick(['a', 'bc', 'xyz', '', 'k1', 'héllo', '0'])}"`;
  switch (r.int(0, 4)) {
    case 0: return `(${stringExpr(f, d - 1)} + ${stringExpr(f, d - 1)})`;
    case 1: {
      const t = r.pick(['i32', 'i64', 'f64', 'u8'] as Scalar[]);
      return `(${expr(f, t, 1)}).toString()`;
    }
    case 2: return `${stringExpr(f, d - 1)}.substring(${smallIndex(f, 7)}, ${smallIndex(f, 15)})`;
    case 3: return `${stringExpr(f, d - 1)}.repeat(${smallIndex(f, 2)})`;
    default: return `String.fromCharCode(${smallIndex(f, 0x3f)} + 48)`;
  }
}
