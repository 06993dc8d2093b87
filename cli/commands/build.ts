/** `weave build <source.ts>`: compile AssemblyScript and weave it into a bundle. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AS_RUNTIMES, CAPABILITIES, GRANULARITIES, DEFAULT_YIELD_INTERVAL, type AsRuntime, type Capability, type Granularity } from '../../fragments/abi.js';
import { intOption, UsageError, type Command } from '../command.js';

export const build: Command = {
  name: 'build',
  summary: 'compile an AssemblyScript file into a woven bundle of fragments',
  help: `usage: weave build <source.ts> [options]

Compiles AssemblyScript (asc -O3) and splits each exported function into fragments at
loop and branch boundaries. The output is one .wasm: still the whole program, plus a
'weave.manifest' section with the fragments, their control flow, metadata, and a pruned
module per fragment.

options:
  -o, --out FILE           output file (default: build/<name>.wasm)
  --granularity G          function | loop | nested (default: loop)
  --yield-interval N       loop iterations between yield points (default: ${DEFAULT_YIELD_INTERVAL})
  --runtime R              AssemblyScript runtime: ${AS_RUNTIMES.join(' | ')} (default: incremental)
  --require CAP            run only on hubs with CAP: ${CAPABILITIES.join(' | ')} (repeatable). Without it,
                           simd calls prefer AVX2 hubs and gpu calls GPU hubs, and run
                           (bit-identically, or within the WIT's tolerance for gpu) anywhere
  -h, --help               show this help`,
  options: {
    out: { type: 'string', short: 'o' },
    granularity: { type: 'string' },
    'yield-interval': { type: 'string' },
    runtime: { type: 'string' },
    require: { type: 'string', multiple: true },
  },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('weave build takes one source file, e.g. weave build examples/matmul.ts');
    const source = positionals[0];
    const granularity = (values.granularity ?? 'loop') as Granularity;
    if (!GRANULARITIES.includes(granularity)) throw new UsageError(`--granularity must be one of ${GRANULARITIES.join(', ')}, got '${granularity}'`);
    const runtime = (values.runtime ?? 'incremental') as AsRuntime;
    if (!AS_RUNTIMES.includes(runtime)) throw new UsageError(`--runtime must be one of ${AS_RUNTIMES.join(', ')}, got '${runtime}'`);
    const requires = ((values.require ?? []) as string[]).map((c) => {
      if (!CAPABILITIES.includes(c as Capability)) throw new UsageError(`--require must be one of ${CAPABILITIES.join(', ')}, got '${c}'`);
      return c as Capability;
    });
    const yieldInterval = intOption(values['yield-interval'], '--yield-interval', 1, 0x7fffffff);
    const out = values.out ?? path.join('build', path.basename(source).replace(/\.ts$/, '') + '.wasm');
    const t0 = performance.now();
    // The compiler (asc + Binaryen) loads only here, so `weave run` and `inspect` start fast.
    const { buildBundle } = await import('../../fragments/index.js');
    const { bundle, manifest } = await buildBundle(source, { granularity, yieldInterval, runtime, requires });
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, bundle);
    const entries = manifest.entries.map((e) => `${e.name}(${e.params.join(', ')}) -> ${e.result}: ${e.fragments.length} fragments`).join('; ');
    process.stderr.write(`built ${out} (${bundle.byteLength} bytes, ${Math.round(performance.now() - t0)} ms): ${entries}\n`);
    return 0;
  },
};
