/**
 * The reference: the plain asc build, a fresh instance for every call (weave runs each job
 * on a fresh instance too, after the start function), with the imports weave gives it:
 * `env.abort` raising the AssemblyScript message, `env.seed` fixed at 0x5eed. Its start
 * function is called just after instantiation (compilePlain, plain-start.ts), so an abort
 * in top-level code reads its message as one anywhere else does.
 *   const o = await runPlain(await compilePlain(core), sig, [3, -1n]);
 */
import { readAsString } from '../../runtime/exec/index.js';
import { exactCaller, callExactly } from './exact-call.js';
import { jsArgs } from './args.js';
import { valueOutcome, trapOutcome, type Outcome } from './outcome.js';
import { wasmType, type Value } from './types.js';
import { exposeStart, PLAIN_START } from './plain-start.js';
import type { ExportSig } from './generate.js';

class AbortCalled extends Error {}

/** The reference module of asc's output `core`, its start function exported (plain-start.ts). */
export function compilePlain(core: Uint8Array): Promise<WebAssembly.Module> {
  return WebAssembly.compile(exposeStart(core) as Uint8Array<ArrayBuffer>);
}

/** Filled by runPlain when given: the instance's memory size when the call ended. */
export interface PlainProbe { memoryBytes: number }

export async function runPlain(module: WebAssembly.Module, sig: ExportSig, args: Value[], probe?: PlainProbe): Promise<Outcome> {
  let memory: WebAssembly.Memory | undefined;
  const env = {
    abort: (msg: number, file: number, line: number, col: number) => {
      // Before the start function returns there is no memory export to read from: only in
      // a module not made with compilePlain, whose start function runs at instantiation.
      if (!memory) throw new AbortCalled('abort');
      const text = readAsString(memory, 0, msg) || 'abort';
      const where = file ? ` at ${readAsString(memory, 0, file)}:${line}:${col}` : '';
      throw new AbortCalled(`${text}${where}`);
    },
    seed: () => 0x5eed,
    trace: () => {},
  };
  let inst: WebAssembly.Instance;
  try {
    inst = await WebAssembly.instantiate(module, { env });
    memory = inst.exports.memory as WebAssembly.Memory;
    const start = inst.exports[PLAIN_START];
    if (typeof start === 'function') start();
  } catch (err) {
    return trapOutcome(new Error(`the module's start function trapped: ${(err as Error).message}`));
  }
  const fn = inst.exports[sig.name];
  if (typeof fn !== 'function') return { kind: 'error', message: `the plain build has no export '${sig.name}'` };
  const result = wasmType(sig.result);
  try {
    const bytes = callExactly(exactCaller(sig.params.map(wasmType), result), fn as Function, jsArgs(sig.params, args), result === 'i64' || result === 'f64' ? 8 : 4);
    return valueOutcome(result, bytes);
  } catch (err) {
    return trapOutcome(err);
  } finally {
    if (probe) probe.memoryBytes = memory.buffer.byteLength;
  }
}
