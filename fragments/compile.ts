/**
 * AssemblyScript to Wasm through asc's API (no child process, no temp files), configured
 * as asc configures itself: `asconfig.json` (entries, targets, options, `extends`), then
 * weave's flags, then asc options the user passes through. What asc does not get told
 * weave defaults: `-O3` (`--optimizeLevel 3 --shrinkLevel 0`) and the incremental runtime.
 * One departure from asc: source files on the command line replace the config's entries
 * (asc would compile both into one module), so `weave build src/tool.ts` builds that file
 * with the project's settings.
 *
 * Diagnostics are asc's own, as it prints them (error codes and code frames). Usage:
 *   const p = await compileProgram(['examples/matmul.ts'], { ascArgs: ['--noAssert'] });
 *   p.binary; p.signatures.get('matmul'); p.runtime;   // throws CompileError
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileError } from './errors.js';
import { SignatureReader } from './signatures.js';
import { AS_RUNTIMES, type AsRuntime } from './abi.js';
import type { EntrySignature } from './manifest.js';

export { AS_RUNTIMES, type AsRuntime } from './abi.js';

export interface CompileOptions {
  /** AssemblyScript runtime. @default asconfig.json's, else 'incremental' */
  runtime?: AsRuntime;
  /** Binaryen optimize level. @default asconfig.json's, else 3 */
  optimizeLevel?: number;
  /** Binaryen shrink level. @default asconfig.json's, else 0 */
  shrinkLevel?: number;
  /** false compiles without assertions (`--noAssert`). @default asconfig.json's, else true */
  asserts?: boolean;
  /** The asc config file. @default asconfig.json in the working directory, if there is one */
  config?: string;
  /** The config's target to use. @default 'release' (asc's default) */
  target?: string;
  /** More asc options, as on asc's command line (`-O2`, `--use Math=JSMath`, …). */
  ascArgs?: string[];
}

export interface CompiledProgram {
  /** The module as asc emits it: also the plain reference build of the program. */
  binary: Uint8Array;
  /** AssemblyScript signatures of the exports (how strings and arrays cross). */
  signatures: Map<string, EntrySignature>;
  runtime: AsRuntime;
  /** The entry files compiled (from the command line and asconfig.json). */
  entries: string[];
  /** The config target's `outFile`, when it names one. */
  outFile?: string;
  /** asc's warnings, as it prints them (empty when none). */
  warnings: string;
}

/** Holds the `weave` AssemblyScript package (lib/weave/index.ts). */
const AS_LIB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'lib');

type Asc = typeof import('assemblyscript/asc') & { configToArguments(options: Record<string, unknown>, argv?: string[]): string[] };
type MemoryStream = ReturnType<Asc['createMemoryStream']>;

/**
 * Compile AssemblyScript entry files (none: the config's entries) into one module.
 *
 * # Errors
 * CompileError when a file cannot be read, there is no entry at all, asc rejects an option
 * or the config, the program does not compile (asc's diagnostics), or an export has a
 * signature weave cannot pass (file:line and what to do).
 */
export async function compileProgram(files: string[], opts: CompileOptions = {}): Promise<CompiledProgram> {
  for (const f of files) {
    try {
      await access(path.resolve(f));
    } catch (err) {
      throw new CompileError(`${f}: cannot read source file (${(err as NodeJS.ErrnoException).code ?? err})`, { cause: err });
    }
  }
  if (opts.runtime && !AS_RUNTIMES.includes(opts.runtime)) throw new CompileError(`runtime '${opts.runtime}' is not one of ${AS_RUNTIMES.join(', ')}`);
  // asc is large; load it only when a build actually happens.
  const asc: Asc = (await import('assemblyscript/asc')).default as unknown as Asc;
  // Relative to the working directory, so trap locations read like the paths users typed.
  const baseDir = process.cwd();
  const flags = [
    ...(opts.config ? ['--config', opts.config] : []),
    ...(opts.target ? ['--target', opts.target] : []),
    ...(opts.runtime ? ['--runtime', opts.runtime] : []),
    ...(opts.optimizeLevel !== undefined ? ['--optimizeLevel', String(opts.optimizeLevel)] : []),
    ...(opts.shrinkLevel !== undefined ? ['--shrinkLevel', String(opts.shrinkLevel)] : []),
    ...(opts.asserts === false ? ['--noAssert'] : []),
    ...(opts.ascArgs ?? []),
  ];
  const given = files.map((f) => path.relative(baseDir, path.resolve(f)));
  // Given files go to asc here too: without any entry it prints its usage, not the config.
  const config = await mergedConfig(asc, [...given, ...flags], baseDir);
  const entries = given.length ? given : config.entries.map((e) => path.relative(baseDir, path.resolve(baseDir, e)));
  if (!entries.length) {
    throw new CompileError('no entry file: give one (weave build src/main.ts), or list "entries" in asconfig.json');
  }
  const o = config.options;
  // The merged settings go to asc as flags, with its own config reading turned off (a
  // config file that does not exist): it would add the config's entries to ours.
  const user = [...entries, '--config', NO_CONFIG, ...asc.configToArguments(settingsOnly(o))];
  const defaults = [
    ...(o.optimizeLevel === undefined && !o.optimize ? ['--optimizeLevel', '3'] : []),
    ...(o.shrinkLevel === undefined && !o.optimize ? ['--shrinkLevel', '0'] : []),
  ];
  const reader = new SignatureReader();
  const stderr = asc.createMemoryStream();
  let binary: Uint8Array | null = null;
  const result = await asc.main([
    ...user, ...defaults, '--outFile', 'out.wasm', '--noColors', '--baseDir', baseDir,
    // `import { simd } from "weave"` resolves to lib/weave (the host ABI's AS library),
    // also for programs outside this package.
    '--path', AS_LIB_DIR,
    // __new/__pin/__unpin: the hub allocates string and array arguments with them. Only
    // where an export passes such objects: asc's bindings mode exports the runtime just
    // then (the bindings file it also writes is dropped below). `--exportRuntime` put the
    // collector in every module, numeric ones too, for asc -O3 and weave to compile and
    // weave for nothing (a generated numeric module: about half its build).
    '--bindings', 'raw',
    // The name section only (the code is byte for byte the same): without it every
    // function is `$N`, weave cannot tell AssemblyScript's runtime (`~lib/…`) from user
    // code, and the allocator, the GC and string code got yield points and Asyncify.
    '--debug',
  ], {
    stderr,
    stdout: asc.createMemoryStream(),
    transforms: [reader],
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
  } as never);
  const printed = ascOutput(stderr);
  if (result.error) {
    throw new CompileError(printed.errors || `${entries.join(', ')}: ${result.error.message}`, { cause: result.error });
  }
  if (reader.refusals.length) {
    throw new CompileError(reader.refusals.map((r) => `${r.where}: error: ${r.message}`).join('\n'));
  }
  if (!binary) throw new CompileError(`${entries.join(', ')}: the compiler produced no binary`);
  const runtime = (typeof o.runtime === 'string' && AS_RUNTIMES.includes(o.runtime as AsRuntime) ? o.runtime : 'incremental') as AsRuntime;
  return {
    binary, signatures: reader.signatures, runtime, entries, warnings: printed.warnings,
    ...(typeof o.outFile === 'string' && o.outFile ? { outFile: o.outFile } : {}),
  };
}

/** A config file name that never exists: asc then reads no asconfig.json of its own. */
const NO_CONFIG = '.weave-settings-given-as-flags.json';

/** Options that are about asc's invocation or its outputs, which weave sets itself. */
const NOT_SETTINGS = new Set(['showConfig', 'baseDir', 'noColors', 'outFile', 'textFile', 'bindings', 'sourceMap', 'config', 'target', 'noEmit', 'stats', 'help', 'version']);

function settingsOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => !NOT_SETTINGS.has(k) && v !== false && v !== undefined && v !== null));
}

/** Compile one AssemblyScript file to a Wasm binary. Throws CompileError (see compileProgram). */
export async function compileAssemblyScript(entry: string, opts: CompileOptions = {}): Promise<Uint8Array> {
  return (await compileProgram([entry], opts)).binary;
}

/**
 * asc's own view of the settings (`--showConfig`): the config file merged with its
 * `extends`, the target and the command line, exactly as the compile will see them.
 */
async function mergedConfig(asc: Asc, user: string[], baseDir: string): Promise<{ options: Record<string, unknown>; entries: string[] }> {
  const stderr = asc.createMemoryStream();
  let r: { error: Error | null };
  try {
    r = await asc.main([...user, '--showConfig', '--noColors', '--baseDir', baseDir], { stderr, stdout: asc.createMemoryStream() } as never);
  } catch (err) {
    // asc throws (not returns) on an unreadable config file.
    throw new CompileError(`asconfig: ${(err as Error).message}`, { cause: err });
  }
  const text = stderr.toString();
  const unknown = [...text.matchAll(/Unknown option '([^']*)'/g)].map((m) => m[1]);
  if (unknown.length) {
    throw new CompileError(`asc does not know the option${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; asc options go after --, as asc spells them (weave build m.ts -- -O2 --noAssert; npx asc --help lists them)`);
  }
  if (r.error) throw new CompileError(`asc: ${r.error.message}`, { cause: r.error });
  const start = text.indexOf('{');
  if (start < 0) {
    // No entries anywhere: asc printed its usage instead of a config.
    return { options: {}, entries: [] };
  }
  try {
    const parsed = JSON.parse(text.slice(start)) as { options: Record<string, unknown>; entries: string[] };
    return { options: parsed.options ?? {}, entries: parsed.entries ?? [] };
  } catch (err) {
    throw new CompileError(`asc printed a configuration weave cannot read:\n${text}`, { cause: err });
  }
}

/**
 * asc's printed diagnostics, split into errors and warnings, each as asc prints it (code
 * and code frame) under a `file:line:column: error TS2304: message` line that editors and
 * terminals can jump to (asc itself ends a frame with `in file(line,column)`).
 */
function ascOutput(stream: MemoryStream): { errors: string; warnings: string } {
  const blocks = stream.toString().split(/\n\s*\n/).map((b) => b.trimEnd()).filter((b) => b.trim());
  const located = (b: string) => {
    const [first, ...frame] = b.trimStart().split('\n');
    const at = /in (\S+)\((\d+),(\d+)\)\s*$/.exec(b);
    const head = first.replace(/^(ERROR|WARNING)/, (w) => w.toLowerCase());
    return at ? [`${at[1]}:${at[2]}:${at[3]}: ${head}`, ...frame].join('\n') : [head, ...frame].join('\n');
  };
  const errors = blocks.filter((b) => /^(ERROR|FAILURE)/.test(b.trimStart()) && !/^FAILURE \d+ [\w ]+error\(s\)$/.test(b.trim()));
  const warnings = blocks.filter((b) => /^WARNING/.test(b.trimStart()) && !/Unknown option/.test(b));
  return { errors: errors.map(located).join('\n\n'), warnings: warnings.map(located).join('\n\n') };
}
