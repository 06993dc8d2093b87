/**
 * Export signatures at the AssemblyScript level, read from asc's program by a transform.
 *
 * At the Wasm level a string, an array and an i32 all look alike; asc's own JS bindings
 * know which is which from the program, and so does this reader: it records, per export,
 * how weave lowers arguments into an instance and lifts the result out of it (as asc's
 * bindings do), and the exports weave cannot pass (class instances, function references,
 * arrays of references), which the build refuses with their file:line.
 *   const reader = new SignatureReader();
 *   await asc.main(argv, { transforms: [reader] });
 *   reader.signatures.get('count');  // { params: [{ kind: 'string', nullable: false }], … }
 */
import type { BoundaryType, EntrySignature, ScalarType } from './manifest.js';

/** An export weave cannot pass at the boundary, with where it is declared. */
export interface Refusal {
  where: string;
  message: string;
}

// asc's compiler objects, as far as this reader uses them (the package has no stable
// typings for its program API; these shapes are asc 0.28's).
interface AsType {
  kind: number;
  classReference: AsClass | null;
  signatureReference: unknown;
  isNullableReference: boolean;
  toString(): string;
}
interface AsClass {
  id: number;
  internalName: string;
  base: AsClass | null;
  prototype: { internalName: string };
  getArrayValueType(): AsType;
}
interface AsFunction {
  signature: { parameterTypes: AsType[]; returnType: AsType; requiredParameters: number };
  prototype: { functionTypeNode: { parameters: Array<{ name: { text: string } }> } };
  declaration: { range: AsRange };
}
interface AsRange { start: number; source: { normalizedPath: string; text: string } }
interface AsElement { kind: number; instances?: Map<string, AsFunction>; members?: Map<string, AsElement> | null; declaration?: { range: AsRange } }
interface AsFile { source: { sourceKind: number }; exports: Map<string, AsElement> | null; exportsStar?: AsFile[] | null }
interface AsProgram { filesByName: Map<string, AsFile> }

// asc's enums (src/program.ts ElementKind, src/ast.ts SourceKind, src/types.ts TypeKind).
const FUNCTION_PROTOTYPE = 4;
const NAMESPACE = 12;
const USER_ENTRY = 1;
const SCALARS: Record<number, ScalarType> = {
  0: 'bool', 1: 'i8', 2: 'i16', 3: 'i32', 4: 'i64', 5: 'isize', 6: 'u8', 7: 'u16', 8: 'u32', 9: 'u64', 10: 'usize', 11: 'f32', 12: 'f64',
};
const VOID = 25;

const TYPED_ARRAYS = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Int64Array', 'Uint64Array', 'Float32Array', 'Float64Array']);

const PASSABLE = 'numbers and bool, string, Array<number>, StaticArray<number>, typed arrays (Int32Array, Float64Array, …) or ArrayBuffer';

export class SignatureReader {
  readonly signatures = new Map<string, EntrySignature>();
  readonly refusals: Refusal[] = [];
  private program: AsProgram | undefined;

  /** asc transform hook: the program, before it compiles. */
  afterInitialize(program: unknown): void {
    this.program = program as AsProgram;
  }

  /** asc transform hook: every export is resolved now. */
  afterCompile(): void {
    if (!this.program) return;
    for (const file of this.program.filesByName.values()) {
      if (file.source.sourceKind === USER_ENTRY) this.visitFile(file, '', new Set());
    }
  }

  private visitFile(file: AsFile, prefix: string, seen: Set<AsFile>): void {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [name, el] of file.exports ?? []) this.visitElement(prefix + name, el);
    for (const star of file.exportsStar ?? []) this.visitFile(star, prefix, seen);
  }

  private visitElement(name: string, el: AsElement): void {
    if (el.kind === FUNCTION_PROTOTYPE) {
      for (const f of el.instances?.values() ?? []) this.visitFunction(name, f);
    } else if (el.kind === NAMESPACE) {
      for (const [member, m] of el.members ?? []) this.visitElement(`${name}.${member}`, m);
    }
  }

  private visitFunction(name: string, f: AsFunction): void {
    const names = f.prototype.functionTypeNode.parameters.map((p) => p.name.text);
    const params: BoundaryType[] = [];
    let ok = true;
    f.signature.parameterTypes.forEach((t, i) => {
      const b = boundaryType(t);
      if (b && b.kind !== 'void') { params.push(b); return; }
      ok = false;
      this.refuse(f, `export '${name}' takes parameter '${names[i] ?? i}' of type ${t.toString()}, which weave cannot pass to a job; a job's entry takes ${PASSABLE} (or drop \`export\` to keep the function internal)`);
    });
    const result = boundaryType(f.signature.returnType);
    if (!result) {
      ok = false;
      this.refuse(f, `export '${name}' returns ${f.signature.returnType.toString()}, which weave cannot pass back from a job; a job's entry returns ${PASSABLE} (or drop \`export\` to keep the function internal)`);
    }
    if (ok) this.signatures.set(name, { params, result: result!, required: f.signature.requiredParameters, names });
  }

  private refuse(f: AsFunction, message: string): void {
    const { start, source } = f.declaration.range;
    const before = source.text.slice(0, start);
    const line = before.split('\n').length;
    const column = start - before.lastIndexOf('\n');
    this.refusals.push({ where: `${source.normalizedPath}:${line}:${column}`, message });
  }
}

/** How a value of AssemblyScript type `t` crosses the boundary, or null if it cannot. */
function boundaryType(t: AsType): BoundaryType | null {
  if (t.kind === VOID) return { kind: 'void' };
  const c = t.classReference;
  if (!c) {
    if (t.signatureReference) return null;
    const scalar = SCALARS[t.kind];
    return scalar ? { kind: 'scalar', type: scalar } : null;
  }
  const nullable = t.isNullableReference;
  const proto = c.prototype.internalName;
  if (proto === '~lib/string/String') return { kind: 'string', nullable };
  if (proto === '~lib/arraybuffer/ArrayBuffer') return { kind: 'arraybuffer', nullable };
  const short = proto.slice(proto.lastIndexOf('/') + 1);
  let kind: 'array' | 'staticarray' | 'typedarray';
  if (proto === '~lib/array/Array') kind = 'array';
  else if (proto === '~lib/staticarray/StaticArray') kind = 'staticarray';
  else if (proto.startsWith('~lib/typedarray/') && TYPED_ARRAYS.has(short)) kind = 'typedarray';
  else return null;
  const elem = boundaryType(c.getArrayValueType());
  if (!elem || elem.kind !== 'scalar') return null;
  return { kind, elem: elem.type, id: c.id, name: t.toString().replace(/^~lib\/\w+\//, '').replace(/ \| null$/, ''), nullable };
}
