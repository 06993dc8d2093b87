/**
 * Host imports a woven AssemblyScript module may use, and nothing else.
 *
 * The functions of wit/weave-host.wit (runtime/host), `control.yield` among them; and
 * `env.abort`, `env.trace` and `env.seed`, which asc emits.
 * Strings are read at program addresses moved up by the reserved area. `env.seed` returns
 * a fixed value so Math.random is the same on every hub and after every restore.
 *   const imports = makeHostImports(module, { memory: () => mem, reserved, onYield, output: () => out, hooks: () => hooks });
 */
import { ExecError, AbortSignalError } from './errors.js';
import { hostImports, simdKernels, HOST_ABI, type HostServices, type OutputBuffer } from '../host/index.js';
import { HOST_MODULE_PREFIX } from '../../fragments/abi.js';

export interface HostHooks {
  /** Receives `trace()` output from the program. @default stderr */
  trace?: (line: string) => void;
  /** Observes every yield point (after counting). */
  onYield?: (yields: number) => void;
  /** Seed for AssemblyScript's Math.random. @default 0x5eed */
  seed?: number;
  /**
   * Loop iterations granted at each yield point. Any value keeps runs exact (the count is
   * deterministic either way); it only changes how often the host is asked.
   * @default the bundle's yield interval
   */
  fuel?: number;
  /** What the hub lends the host calls of wit/weave-host.wit. @default simd kernels only */
  services?: HostServices;
}

interface HostContext {
  memory: () => WebAssembly.Memory;
  reserved: number;
  onYield: () => number;
  output: () => OutputBuffer;
  /** The instance's hooks now (an executor renewed for another job has that job's). */
  hooks: () => HostHooks;
}

/** Read an AssemblyScript string (UTF-16, byte length in the header word before it). */
export function readAsString(mem: WebAssembly.Memory, reserved: number, ptr: number): string {
  if (!ptr) return '';
  const buf = mem.buffer;
  const at = ptr + reserved;
  if (at < 4 || at > buf.byteLength) return `<bad string pointer ${ptr}>`;
  const len = new DataView(buf).getUint32(at - 4, true);
  if (at + len > buf.byteLength || len % 2) return `<bad string at ${ptr}>`;
  return Buffer.from(buf, at, len).toString('utf16le');
}

/** What asc emits besides the WIT imports; `env.seed` is fixed (see above). */
const ENV_IMPORTS = ['abort', 'trace', 'seed'];

/** Every import weave offers, as `module.name`: the functions of wit/weave-host.wit, then env's. */
export function allowedImports(): string[] {
  const wit = Object.entries(HOST_ABI).flatMap(([iface, fns]) => Object.keys(fns).map((n) => `${HOST_MODULE_PREFIX}${iface}.${n}`));
  return [...wit, ...ENV_IMPORTS.map((n) => `env.${n}`)];
}

/**
 * Refuse a module that imports anything weave does not offer, before it is instantiated.
 *
 * # Errors
 * ExecError 'import-denied' naming the first such import and listing the allowed ones.
 */
export function checkImports(module: WebAssembly.Module): void {
  const allowed = new Set(allowedImports());
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function' || !allowed.has(`${imp.module}.${imp.name}`)) throw deniedImport(imp);
  }
}

function deniedImport(imp: WebAssembly.ModuleImportDescriptor): ExecError {
  return new ExecError(`the module imports ${imp.kind} '${imp.module}.${imp.name}', which weave does not provide; allowed imports: ${allowedImports().join(', ')}`, { code: 'import-denied' });
}

export function makeHostImports(module: WebAssembly.Module, ctx: HostContext): WebAssembly.Imports {
  // By name against the WIT list first: a lookup in `offered` alone would also find
  // Object.prototype's functions ('env.toString', '__proto__.valueOf').
  checkImports(module);
  const defaults: HostServices = { simd: simdKernels().kernels };
  const now = () => ctx.hooks().services ?? defaults;
  // Read at each call, not kept: a renewed instance serves another job (its input, its log).
  const services = {
    get simd() { return now().simd; },
    get input() { return now().input; },
    get data() { return now().data; },
    get gpu() { return now().gpu; },
    get onProgress() { return now().onProgress; },
    get onLog() { return now().onLog; },
  } satisfies Record<keyof HostServices, unknown>;
  const offered: Record<string, Record<string, Function>> = {
    ...hostImports({
      memory: ctx.memory, reserved: ctx.reserved, onYield: ctx.onYield,
      services,
      // The executor replaces its output buffer on restore: always append to the current one.
      output: { append: (b: Uint8Array) => ctx.output().append(b) } as OutputBuffer,
    }),
    env: {
      abort: (msg: number, file: number, line: number, col: number) => {
        const mem = ctx.memory();
        const text = readAsString(mem, ctx.reserved, msg) || 'abort';
        const where = file ? ` at ${readAsString(mem, ctx.reserved, file)}:${line}:${col}` : '';
        throw new AbortSignalError(`${text}${where}`);
      },
      trace: (msg: number, n: number, ...vals: number[]) => {
        const text = readAsString(ctx.memory(), ctx.reserved, msg);
        const line = n > 0 ? `${text} ${vals.slice(0, n).join(', ')}` : text;
        (ctx.hooks().trace ?? ((l: string) => process.stderr.write(`trace: ${l}\n`)))(line);
      },
      seed: () => ctx.hooks().seed ?? 0x5eed,
    },
  };
  const imports: WebAssembly.Imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const fn = offered[imp.module]?.[imp.name];
    if (imp.kind !== 'function' || !fn) throw deniedImport(imp);
    (imports[imp.module] ??= {})[imp.name] = fn as any;
  }
  return imports;
}
