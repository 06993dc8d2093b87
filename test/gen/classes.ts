/**
 * Class families: a base class with fields, a constructor and methods; a subclass that
 * adds a field and overrides a method calling `super`; sometimes an interface the base
 * and an unrelated class implement. Also the module's generic class `Box<T>`.
 *   const fam = classFamily(mod);           // declares them, once per family
 *   newObject(f, fam.base)                  // "new D12(<i32>3, …)"
 */
import type { ClassInfo, FnCtx, MethodInfo, ModuleCtx } from './context.js';
import { node, kept, type Node } from './tree.js';
import { expr, lit } from './expr.js';
import { statements } from './stmt.js';
import type { Scalar } from './types.js';

const FIELD_TYPES: readonly Scalar[] = ['i32', 'i64', 'f64', 'f32', 'i32'];
const METHOD_TYPES: readonly Scalar[] = ['i32', 'i64', 'f64', 'f32'];

export interface Family {
  base: ClassInfo;
  derived: ClassInfo;
  /** The interface, when the family has one: variables of this type hold any of its classes. */
  iface?: ClassInfo;
}

/** A new family (or, when the module has two, one of those), declared in the module. */
export function classFamily(mod: ModuleCtx): Family | null {
  const r = mod.rng;
  // A method body being generated may want an object too: it gets an existing family.
  if (mod.buildingFamily) return mod.families.length ? r.pick(mod.families) : null;
  if (mod.families.length >= mod.opts.maxFamilies || (mod.families.length && r.chance(0.6))) return r.pick(mod.families);
  mod.buildingFamily = true;
  try {
    return newFamily(mod);
  } finally {
    mod.buildingFamily = false;
  }
}

function newFamily(mod: ModuleCtx): Family {
  const r = mod.rng;
  const budget = Math.max(0, Math.floor(mod.opts.maxYields / 6));
  const fields = Array.from({ length: r.int(1, 3) }, () => ({ name: mod.name('f'), t: r.pick(FIELD_TYPES) }));
  const ret = r.pick(METHOD_TYPES);
  const param = r.pick(METHOD_TYPES);
  const mName = mod.name('m');
  const bumpName = mod.name('bump');
  const bumpParam = r.pick(METHOD_TYPES);
  const withIface = r.chance(0.5);
  const ifaceName = mod.name('I');
  const baseName = mod.name('C');
  const derivedName = mod.name('D');

  const members = (own: typeof fields, inherited: typeof fields, f: FnCtx) => {
    for (const fl of [...inherited, ...own]) f.declare({ name: `this.${fl.name}`, t: fl.t, mutable: true });
  };
  // The base: fields, constructor, the value method and a void one.
  const baseM = method(mod, mName, param, ret, budget, (f) => members(fields, [], f));
  const baseBump = method(mod, bumpName, bumpParam, 'void', budget, (f) => members(fields, [], f));
  const baseNode = node(
    `class ${baseName}${withIface ? ` implements ${ifaceName}` : ''} {`,
    [
      ...fields.map((fl) => kept(`${fl.name}: ${fl.t};`)),
      kept(`constructor(${fields.map((fl) => `${fl.name}: ${fl.t}`).join(', ')}) {`, fields.map((fl) => kept(`this.${fl.name} = ${fl.name};`)), '}'),
      baseM.node, baseBump.node,
    ],
    '}',
  );
  // The subclass: one more field, an override that starts from super's value.
  const extra = { name: mod.name('f'), t: r.pick(FIELD_TYPES) };
  const superVar = mod.name('s');
  const derivedM = method(mod, mName, param, ret, budget, (f, x) => {
    members([extra], fields, f);
    f.declare({ name: superVar, t: ret, mutable: true });
    return [kept(`let ${superVar}: ${ret} = super.${mName}(${x});`)];
  });
  const all = [...fields, extra];
  const derivedNode = node(
    `class ${derivedName} extends ${baseName} {`,
    [
      kept(`${extra.name}: ${extra.t};`),
      kept(`constructor(${all.map((fl) => `${fl.name}: ${fl.t}`).join(', ')}) {`, [kept(`super(${fields.map((fl) => fl.name).join(', ')});`), kept(`this.${extra.name} = ${extra.name};`)], '}'),
      derivedM.node,
    ],
    '}',
  );
  const methods = (cost: number): MethodInfo[] => [{ name: mName, ret, param, cost }, { name: bumpName, ret: 'void', param: bumpParam, cost: baseBump.cost }];
  const base: ClassInfo = { name: baseName, fields, methods: methods(Math.max(baseM.cost, baseM.cost + derivedM.cost)), ctor: fields.map((x) => x.t), concrete: [] };
  const derived: ClassInfo = { name: derivedName, fields: all, methods: methods(baseM.cost + derivedM.cost), ctor: all.map((x) => x.t), concrete: [] };
  base.concrete = [base, derived];
  derived.concrete = [derived];
  mod.decls.push(baseNode, derivedNode);
  const fam: Family = { base, derived };
  if (withIface) {
    const altName = mod.name('E');
    const altField = { name: mod.name('f'), t: r.pick(FIELD_TYPES) };
    const altM = method(mod, mName, param, ret, budget, (f) => members([altField], [], f));
    mod.decls.push(
      node(`interface ${ifaceName} {`, [kept(`${mName}(x: ${param}): ${ret};`)], '}'),
      node(`class ${altName} implements ${ifaceName} {`, [kept(`${altField.name}: ${altField.t} = ${lit(mod.fn('void', 0, 9), altField.t)};`), altM.node], '}'),
    );
    const alt: ClassInfo = { name: altName, fields: [altField], methods: [{ name: mName, ret, param, cost: altM.cost }], ctor: [], concrete: [] };
    alt.concrete = [alt];
    const iface: ClassInfo = { name: ifaceName, fields: [], methods: [{ name: mName, ret, param, cost: Math.max(base.methods[0].cost, altM.cost) }], ctor: [], concrete: [base, derived, alt], isInterface: true };
    fam.iface = iface;
  }
  mod.families.push(fam);
  return fam;
}

/** A method `name(x: param): ret` with a generated body; `prelude` declares what it may use. */
function method(mod: ModuleCtx, name: string, param: Scalar, ret: Scalar | 'void', budget: number, prelude: (f: FnCtx, x: string) => Node[] | void): { node: Node; cost: number } {
  const f = mod.fn(ret, budget, 2);
  f.nest = 1; // methods stay shallower than exports
  const x = mod.name('x');
  f.declare({ name: x, t: param, mutable: true });
  const first = prelude(f, x) ?? [];
  const body = [...first, ...statements(f, 2)];
  if (ret !== 'void') body.push(kept(`return ${expr(f, ret, 2)};`));
  return { node: node(`${name}(${x}: ${param}): ${ret} {`, body, '}'), cost: budget - f.left };
}

/** `new C(args)` for a concrete class, arguments from the values in scope. */
export function newObject(f: FnCtx, cls: ClassInfo): string {
  return `new ${cls.name}(${cls.ctor.map((t) => expr(f, t, 1)).join(', ')})`;
}

/** The module's generic class, declared on first use. */
export function boxClass(mod: ModuleCtx): string {
  if (mod.box) return mod.box;
  mod.box = mod.name('Box');
  mod.decls.push(node(`class ${mod.box}<T> {`, [
    kept('v: T;'),
    kept('constructor(v: T) {', [kept('this.v = v;')], '}'),
    kept('get(): T {', [kept('return this.v;')], '}'),
    kept('add(x: T): T {', [kept('this.v = this.v + x;'), kept('return this.v;')], '}'),
    kept('put(x: T): void {', [kept('this.v = x;')], '}'),
  ], '}'));
  return mod.box;
}
