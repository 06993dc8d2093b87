/**
 * The host ABI (wit/weave-host.wit) against its three implementations:
 * - the host's lowering table (runtime/host/abi.ts) must give every function the core
 *   signature that jco's wit-component derives from the WIT;
 * - the AssemblyScript library (lib/weave) must import exactly those signatures;
 * - a program calling everything runs bit-exactly when it moves between hubs at every
 *   yield point, with input, output and a dataset.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';
import { HOST_ABI, coreTypes, hostImports, OutputBuffer, simdKernels } from '../runtime/host/index.js';
import { buildBundle, HOST_MODULE_PREFIX } from '../fragments/index.js';
import { FragmentExecutor, loadBundle, type LoadedBundle } from '../runtime/exec/index.js';
import { runJob } from '../runtime/engine/index.js';
import { startEmbeddedMesh } from '../runtime/hub/index.js';

const test = suite('host abi');
const TYPE_NAMES = new Map<number, string>([[binaryen.i32, 'i32'], [binaryen.i64, 'i64'], [binaryen.f32, 'f32'], [binaryen.f64, 'f64']]);
type Sig = string;
const sigOf = (params: number, results: number): Sig =>
  `(${binaryen.expandType(params).map((t) => TYPE_NAMES.get(t)).join(',')})->(${binaryen.expandType(results).map((t) => TYPE_NAMES.get(t)).join(',')})`;

/** Imported functions of a module: "module.name" -> core signature. */
function importsOf(bytes: Uint8Array, rename: (mod: string) => string = (m) => m): Map<string, Sig> {
  const m = binaryen.readBinary(bytes);
  try {
    const out = new Map<string, Sig>();
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (f.module) out.set(`${rename(f.module)}.${f.base}`, sigOf(f.params, f.results));
    }
    return out;
  } finally {
    m.dispose();
  }
}

function tableSigs(): Map<string, Sig> {
  const out = new Map<string, Sig>();
  for (const [iface, fns] of Object.entries(HOST_ABI)) {
    for (const [name, sig] of Object.entries(fns)) {
      const params = (sig.params as readonly string[]).flatMap((t) => coreTypes(t as never));
      const result = 'result' in sig && sig.result ? coreTypes(sig.result) : [];
      out.set(`${HOST_MODULE_PREFIX}${iface}.${name}`, `(${params.join(',')})->(${result.join(',')})`);
    }
  }
  return out;
}

let hostBundle: LoadedBundle;

test.before(async () => {
  hostBundle = await loadBundle((await buildBundle('test/programs/host-calls.ts', { yieldInterval: 7 })).bundle);
});

test('the lowering table matches the signatures jco derives from the WIT', async () => {
  const { componentEmbed } = await import('@bytecodealliance/jco');
  const dummy = await componentEmbed({ dummy: true, witSource: readFileSync('wit/weave-host.wit', 'utf8'), world: 'fragment', stringEncoding: 'utf16' });
  // wit-component names imports `cm32p2|weave:host/simd@0.1`; ours are `weave:host/simd`.
  const fromWit = importsOf(dummy, (mod) => mod.replace(/^cm32p2\|/, '').replace(/@[\d.]+$/, ''));
  const fromTable = tableSigs();
  assert.equal([...fromTable.entries()].sort(), [...fromWit.entries()].sort());
});

test('the AssemblyScript library imports exactly the WIT signatures', () => {
  const table = tableSigs();
  const used = [...importsOf(hostBundle.bytes).entries()].filter(([k]) => k.startsWith(HOST_MODULE_PREFIX));
  assert.ok(used.length >= Object.values(HOST_ABI).reduce((n, f) => n + Object.keys(f).length, 0) - 1, `the test program calls (nearly) every host function: ${used.length}`);
  for (const [name, sig] of used) assert.is(sig, table.get(name), name);
});

test('the host offers every function of the table, and nothing else under weave:host', () => {
  const imports = hostImports({
    memory: () => new WebAssembly.Memory({ initial: 1 }), reserved: 0, onYield: () => 1,
    services: { simd: simdKernels().kernels }, output: new OutputBuffer(),
  });
  const offered = Object.entries(imports).flatMap(([m, fns]) => Object.keys(fns).map((n) => `${m}.${n}`)).sort();
  assert.equal(offered, [...tableSigs().keys()].sort());
  for (const [m, fns] of Object.entries(imports)) for (const [n, fn] of Object.entries(fns)) assert.type(fn, 'function', `${m}.${n}`);
});

test('a program calling every host function gives the same bits moving between hubs at every yield', async () => {
  mkdirSync('build/test', { recursive: true });
  const file = 'build/test/host-bytes.bin';
  writeFileSync(file, Uint8Array.from({ length: 300 }, (_, i) => (i * 31) & 255));
  const input = Uint8Array.from({ length: 50 }, (_, i) => i * 3);
  // Reference: one instance, start to finish, no checkpoints.
  const x = await FragmentExecutor.create(await hostBundle.whole(), hostBundle.manifest, {
    services: { simd: simdKernels().kernels, input, data: { length: () => 300, read: (_n, off, into) => { const src = readFileSync(file).subarray(off, off + into.byteLength); into.set(src); return src.byteLength; } } },
  });
  const ref = x.call('everything', [37, 6]);
  const refOutput = Buffer.from(x.outputBytes()).toString();
  assert.match(refOutput, /^acc=/);
  const mesh = await startEmbeddedMesh({ hubs: 2, datasets: { bytes: file } });
  try {
    const r = await runJob(mesh, hostBundle, { entry: 'everything', args: [37, 6], migrateEvery: 1, input });
    assert.ok(r.migrations > 5, `moved ${r.migrations} times`);
    assert.is(Buffer.from(r.resultBytes).toString('hex'), Buffer.from(ref.bytes).toString('hex'));
    assert.is(Buffer.from(r.output).toString(), refOutput, 'output written before migrations is kept, once');
    assert.ok(r.data.localBytes >= 300 && r.data.names.includes('bytes'), JSON.stringify(r.data));
  } finally {
    await mesh.close();
  }
});

test('a range outside the program memory traps with the call named', async () => {
  const kernels = simdKernels().kernels;
  const mem = new WebAssembly.Memory({ initial: 1 });
  const imports = hostImports({ memory: () => mem, reserved: 0, onYield: () => 1, services: { simd: kernels }, output: new OutputBuffer() });
  assert.throws(() => imports['weave:host/simd']['dot-f32'](65530, 0, 4), /simd\.dot-f32: bytes 65530\.\.65546 are outside/);
  assert.throws(() => imports['weave:host/simd']['matmul-f32'](0, 0, 0, 2, 2, 2), /overlaps an input/);
  assert.is(imports['weave:host/gpu']['map-f32'](9, 0, 0, 0, 4), 0, 'unknown op: false, nothing written');
});

test.run();
