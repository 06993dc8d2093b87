/** `weave build [source.ts…]`: compile AssemblyScript (asconfig.json as asc reads it) and weave it into a bundle. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AS_RUNTIMES, CAPABILITIES, GRANULARITIES, DEFAULT_YIELD_INTERVAL, type AsRuntime, type Capability, type Granularity } from '../../fragments/abi.js';
import { intOption, UsageError, type Command } from '../command.js';

export const build: Command = {
  name: 'build',
  summary: 'compile AssemblyScript into a woven bundle of fragments',
  passThrough: 'asc',
  help: `usage: weave build [source.ts …] [options] [-- asc options…]

Compiles AssemblyScript with asc and splits each exported function into fragments at
loop and branch boundaries. The output is one .wasm: still the whole program, plus a
'weave.manifest' section with the fragments, their control flow, metadata, the exports'
signatures, and a pruned module per fragment.

Settings come as asc takes them: asconfig.json (or --asconfig FILE) with its "extends" and
the --target's options, then the flags below, then asc options after '--' (e.g.
-- -O2 --noAssert --use Math=JSMath). Without a source file, the config's "entries" are
built. What nothing sets, weave sets: -O3 (optimizeLevel 3, shrinkLevel 0) and the
incremental runtime.

Every exported function is an entry. Its parameters and result may be numbers or bool,
string, Array<number>, StaticArray<number>, typed arrays or ArrayBuffer; an export taking
or returning anything else (a class instance, a function) is refused, with its file:line.

options:
  -o, --out FILE           output file (default: the target's outFile in asconfig.json,
                           else build/<source name>.wasm)
  --asconfig FILE          asc's config file (default: asconfig.json, if present)
  --target NAME            the config's target (default: release)
  --granularity G          function | loop | nested (default: loop)
  --yield-interval N       work (loop iterations, recursive calls) between yield points
                           (default: ${DEFAULT_YIELD_INTERVAL})
  --runtime R              AssemblyScript runtime: ${AS_RUNTIMES.join(' | ')} (default: the config's,
                           else incremental)
  --require CAP            run only on hubs with CAP: ${CAPABILITIES.join(' | ')} (repeatable). Without it,
                           simd calls prefer AVX2 hubs and gpu calls GPU hubs, and run
                           (bit-identically, or within the WIT's tolerance for gpu) anywhere
  -h, --help               show this help`,
  options: {
    out: { type: 'string', short: 'o' },
    asconfig: { type: 'string' },
    target: { type: 'string' },
    granularity: { type: 'string' },
    'yield-interval': { type: 'string' },
    runtime: { type: 'string' },
    require: { type: 'string', multiple: true },
  },
  async run(values, positionals) {
    const granularity = (values.granularity ?? 'loop') as Granularity;
    if (!GRANULARITIES.includes(granularity)) throw new UsageError(`--granularity must be one of ${GRANULARITIES.join(', ')}, got '${granularity}'`);
    const runtime = values.runtime as AsRuntime | undefined;
    if (runtime !== undefined && !AS_RUNTIMES.includes(runtime)) throw new UsageError(`--runtime must be one of ${AS_RUNTIMES.join(', ')}, got '${runtime}'`);
    const requires = ((values.require ?? []) as string[]).map((c) => {
      if (!CAPABILITIES.includes(c as Capability)) throw new UsageError(`--require must be one of ${CAPABILITIES.join(', ')}, got '${c}'`);
      return c as Capability;
    });
    for (const p of positionals) {
      if (!p.endsWith('.ts')) throw new UsageError(`${p}: weave build takes AssemblyScript sources (.ts); asc options go after --, e.g. weave build ${positionals.find((x) => x.endsWith('.ts')) ?? 'src/main.ts'} -- ${p}`);
    }
    const yieldInterval = intOption(values['yield-interval'], '--yield-interval', 1, 0x7fffffff);
    const t0 = performance.now();
    // The compiler (asc + Binaryen) loads only here, so `weave run` and `inspect` start fast.
    const { buildProgram } = await import('../../fragments/index.js');
    const { compiled, woven } = await buildProgram(positionals, {
      granularity, yieldInterval, runtime, requires, config: values.asconfig, target: values.target, ascArgs: values['--'] ?? [],
    });
    const { bundle, manifest } = woven;
    if (compiled.warnings) process.stderr.write(compiled.warnings + '\n');
    const first = compiled.entries[0];
    const out = values.out ?? compiled.outFile ?? path.join('build', path.basename(first).replace(/\.ts$/, '') + '.wasm');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, bundle);
    const entries = manifest.entries.map((e) => `${e.name}: ${e.fragments.length} fragment${e.fragments.length === 1 ? '' : 's'}`).join(', ');
    process.stderr.write(`built ${out} (${bundle.byteLength} bytes, ${Math.round(performance.now() - t0)} ms, runtime ${manifest.runtime}): ${entries}\n`);
    return 0;
  },
};
