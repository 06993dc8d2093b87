/**
 * Heap objects: arrays, typed arrays, strings, Map, Set, class instances and the generic
 * box; their declarations (module-level and local) and the statements that change them.
 * Sizes stay small: AssemblyScript's std library has no yield points, so its loops
 * (copying, hashing, sorting) must stay short.
 *   heapLocal(f)       // [let/const declaration, …]
 *   heapStatement(f)   // e.g. [`a3.push(v1);`]
 */
import type { FnCtx, HeapKind, HeapVar, ModuleCtx, TypedCtor, ArrayElem } from './context.js';
import { TYPED_ELEM } from './context.js';
import { node, kept, type Node } from './tree.js';
import { expr, cond, lit, smallIndex, stringExpr, mapKey } from './expr.js';
import { statements, loop } from './stmt.js';
import { classFamily, newObject, boxClass } from './classes.js';
import type { Scalar } from './types.js';

const ARRAY_ELEMS: readonly ArrayElem[] = ['i32', 'i64', 'f64'];
const TYPED: readonly TypedCtor[] = ['Int32Array', 'Uint8Array', 'Int64Array', 'Float32Array', 'Float64Array'];

type Made = { nodes: Node[]; v: HeapVar } | null;

/** A new heap object of a random kind; `literalsOnly` for module-level initializers. */
/** Characters a string variable keeps when appended to (32 KiB: still spans pages). */
const STRING_CAP = 16384;

function make(f: FnCtx, mod: ModuleCtx, literalsOnly: boolean, prefix: string): Made {
  const r = mod.rng;
  const val = (t: Scalar) => (literalsOnly ? lit(f, t) : expr(f, t, 2));
  const w = { array: 3, typed: 2, string: 2, map: 2, set: 1.5, obj: 2.5, box: 1 };
  const kind = r.weighted(Object.fromEntries(Object.entries(w).filter(([k]) => mod.allows(k as HeapKind['k']))) as Partial<typeof w>);
  const name = mod.name(prefix + kind[0]);
  switch (kind) {
    case 'array': {
      mod.use('heap.array');
      const elem = r.pick(ARRAY_ELEMS);
      const items = Array.from({ length: r.int(0, 3) }, () => val(elem));
      return { nodes: [node(`const ${name}: Array<${elem}> = [${items.join(', ')}];`)], v: { name, kind: { k: 'array', elem } } };
    }
    case 'typed': {
      mod.use('heap.typed-array');
      const ctor = r.pick(TYPED);
      const len = r.int(2, 8);
      return { nodes: [node(`const ${name} = new ${ctor}(${len});`)], v: { name, kind: { k: 'typed', ctor, len } } };
    }
    case 'string':
      mod.use('heap.string');
      return { nodes: [node(`let ${name}: string = ${literalsOnly ? `"${r.pick(['s', 'ab', 'start', ''])}"` : stringExpr(f, 2)};`)], v: { name, kind: { k: 'string' } } };
    case 'map': {
      mod.use('heap.map');
      const key = mod.allows('string') ? r.pick(['i32', 'string'] as const) : 'i32';
      const v = r.pick(ARRAY_ELEMS);
      return { nodes: [node(`const ${name} = new Map<${key}, ${v}>();`)], v: { name, kind: { k: 'map', key, val: v } } };
    }
    case 'set': {
      mod.use('heap.set');
      const elem = mod.allows('string') ? r.pick(['i32', 'string'] as const) : 'i32';
      return { nodes: [node(`const ${name} = new Set<${elem}>();`)], v: { name, kind: { k: 'set', elem } } };
    }
    case 'obj': {
      const fam = classFamily(mod);
      if (!fam) return null;
      const declared = fam.iface && r.chance(0.5) ? fam.iface : r.chance(0.6) ? fam.base : fam.derived;
      const concrete = declared.concrete.filter((c) => !c.isInterface);
      const ctor = (c: typeof concrete[number]) => (literalsOnly ? `new ${c.name}(${c.ctor.map((t) => lit(f, t)).join(', ')})` : newObject(f, c));
      const nodes = [node(`let ${name}: ${declared.name} = ${ctor(r.pick(concrete))};`)];
      if (!literalsOnly && concrete.length > 1) nodes.push(node(`if (${cond(f, 1)}) ${name} = ${ctor(r.pick(concrete))};`));
      return { nodes, v: { name, kind: { k: 'obj', cls: declared } } };
    }
    case 'box': {
      const box = boxClass(mod);
      const t = r.pick(['i32', 'f64'] as const);
      const uses = mod.genericUses.get('box') ?? new Set<string>();
      uses.add(t);
      mod.genericUses.set('box', uses);
      if (uses.size >= 2) mod.use('generic.class');
      return { nodes: [node(`const ${name} = new ${box}<${t}>(${val(t)});`)], v: { name, kind: { k: 'box', generic: box, t } } };
    }
  }
  return null;
}

export function heapLocal(f: FnCtx): Node[] | null {
  const m = make(f, f.mod, false, '');
  if (!m) return null;
  f.heap.push(m.v);
  return m.nodes;
}

/** A module-level heap object (initialized with literals only; top-level code fills it). */
export function heapGlobal(mod: ModuleCtx, top: FnCtx): Node[] {
  const m = make(top, mod, true, 'g');
  if (!m) return [];
  mod.heapGlobals.push(m.v);
  return m.nodes;
}

export function heapStatement(f: FnCtx): Node[] | null {
  const r = f.mod.rng;
  const all = [...f.mod.heapGlobals, ...f.heap];
  if (!all.length || r.chance(0.15)) return heapLocal(f);
  const h = r.pick(all);
  const k = h.kind;
  switch (k.k) {
    case 'array': return arrayOp(f, h.name, k.elem);
    case 'typed': return typedOp(f, h.name, k);
    case 'string': {
      f.mod.use('heap.string');
      // Cut back now and then: strings grow inside loops.
      if (r.chance(0.3)) return [node(`${h.name} = ${h.name}.substring(${smallIndex(f, 3)}, ${r.int(4, 16)});`)];
      // Capped: `s = s + (s + "x")` in a loop doubles s each time, and seed 5400453's string
      // reached a gigabyte (6 s a plain run, then the sandbox's memory limit). The cap's text
      // takes no draw from the generator, so every other choice stays as it was.
      return [node(`${h.name} = (${h.name} + ${stringExpr(f, 1)}).substring(0, ${STRING_CAP});`)];
    }
    case 'map': {
      f.mod.use('heap.map');
      const key = mapKey(f, k.key);
      if (r.chance(0.2) && f.left >= 1) {
        // Iterate over the values: an array the map hands out.
        const vs = f.mod.name('vs');
        return [node(`const ${vs} = ${h.name}.values();`), ...forEach(f, vs, k.val)];
      }
      if (r.chance(0.25)) return [node(`${h.name}.delete(${key});`)];
      return [node(`${h.name}.set(${key}, ${expr(f, k.val, 2)});`)];
    }
    case 'set': {
      f.mod.use('heap.set');
      const x = k.elem === 'i32' ? smallIndex(f, 15) : stringExpr(f, 1);
      return [node(`${h.name}.${r.chance(0.25) ? 'delete' : 'add'}(${x});`)];
    }
    case 'obj': return objectOp(f, h.name, k);
    case 'box':
      f.mod.use('generic.class');
      return [node(`${h.name}.put(${expr(f, k.t, 2)});`)];
  }
}

function arrayOp(f: FnCtx, a: string, elem: ArrayElem): Node[] {
  const r = f.mod.rng;
  f.mod.use('heap.array');
  switch (r.weighted({ push: 4, pop: 1.5, set: 2, reverse: 0.5, sort: 0.5, each: f.left >= 1 ? 1.2 : 0 })) {
    case 'push': return [node(`${a}.push(${expr(f, elem, 2)});`)];
    case 'pop': return [node(`if (${a}.length > 0) ${a}.pop();`)];
    // An index past the end grows the array (by at most 8 elements): not a trap for Array.
    case 'set': return [node(`${a}[${smallIndex(f, 7)}] = ${expr(f, elem, 2)};`)];
    case 'reverse': return [node(`${a}.reverse();`)];
    case 'sort': return [node(`${a}.sort();`)];
    default: return forEach(f, a, elem);
  }
}

/** A for loop over an array's elements, bounded by the budget as any loop. */
function forEach(f: FnCtx, a: string, elem: Scalar): Node[] {
  return loop(f, 'for', (i) => {
    const e = f.mod.name('el');
    const first = kept(`const ${e}: ${elem} = ${a}[${i}];`);
    f.declare({ name: e, t: elem, mutable: false });
    return [first, ...statements(f, 2)];
  }, { also: (i) => `${i} < ${a}.length` });
}

function typedOp(f: FnCtx, t: string, k: Extract<HeapKind, { k: 'typed' }>): Node[] {
  const r = f.mod.rng;
  f.mod.use('heap.typed-array');
  const elem = TYPED_ELEM[k.ctor];
  if (!f.safe && r.chance(0.12)) {
    f.mod.use('trap.bounds');
    return [node(`${t}[${smallIndex(f, 15)}] = ${expr(f, elem, 2)};`)];
  }
  if (r.chance(0.2) && f.left >= 1) return forEach(f, t, elem);
  return [node(`${t}[${smallIndex(f, 0x7fff)} % ${k.len}] = ${expr(f, elem, 2)};`)];
}

function objectOp(f: FnCtx, o: string, k: Extract<HeapKind, { k: 'obj' }>): Node[] {
  const r = f.mod.rng;
  const cls = k.cls;
  f.mod.use(cls.isInterface ? 'class.interface' : 'class.inheritance');
  const bump = cls.methods.find((m) => m.ret === 'void' && m.cost <= f.left);
  const choice = r.weighted({ field: cls.isInterface ? 0 : 2, bump: bump ? 2 : 0, call: 1, renew: 0.6 });
  if (choice === 'field') {
    const fl = r.pick(cls.fields);
    return [node(`${o}.${fl.name} = ${expr(f, fl.t, 2)};`)];
  }
  if (choice === 'bump' && bump) {
    f.left -= bump.cost;
    return [node(`${o}.${bump.name}(${expr(f, bump.param, 2)});`)];
  }
  const m = cls.methods.find((x) => x.ret !== 'void' && x.cost <= f.left);
  if (choice === 'call' && m) {
    f.left -= m.cost;
    return [node(`${o}.${m.name}(${expr(f, m.param, 2)});`)];
  }
  const concrete = cls.concrete.filter((c) => !c.isInterface);
  return [node(`${o} = ${newObject(f, r.pick(concrete))};`)];
}
