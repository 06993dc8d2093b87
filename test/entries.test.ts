/**
 * Every export of a module is an entry: modules with several exports and module-level
 * state give plain asc's results for each one, resumed at every yield point; and the
 * fuel counter spans calls, so work spread over many short calls or recursion yields at
 * the configured rate.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { woven, runLocally, valueBytes, type Case } from './helpers/programs.js';
import { cachedPlain } from './helpers/build-cache.js';
import { FragmentTrap, FragmentExecutor } from '../runtime/exec/index.js';
import { newCheckpointId } from '../runtime/snapshot/index.js';
import binaryen from 'binaryen';
import { loadBundle } from '../runtime/exec/index.js';
import { START_EXPORT, MANIFEST_SECTION, ManifestError, decodeManifest, type Manifest } from '../fragments/index.js';
import { encodeManifest } from '../fragments/manifest.js';
import { appendCustomSection } from '../fragments/weave.js';

const test = suite('entries');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const FILE = 'test/programs/multi-export.ts';

/** plain asc -O3, a fresh instance per call, as weave runs each job. */
async function plain(file: string, entry: string, args: Array<number | bigint>, result: string): Promise<Uint8Array> {
  const mod = await WebAssembly.compile(await cachedPlain(file) as Uint8Array<ArrayBuffer>);
  const inst = await WebAssembly.instantiate(mod, { env: { abort: () => { throw new Error('abort'); }, seed: () => 0x5eed, trace: () => {} } });
  return valueBytes(result, (inst.exports[entry] as Function)(...args));
}

const calls: Array<{ entry: string; args: Array<number | bigint>; result: Case['result'] }> = [
  { entry: 'boom', args: [300], result: 'i32' },
  { entry: 'div', args: [-7, 2], result: 'i32' },
  { entry: 'grow', args: [10], result: 'i32' },
  { entry: 'grow', args: [700], result: 'i32' },
  { entry: 'mix', args: [200], result: 'i64' },
  { entry: 'words', args: [90], result: 'i32' },
];

for (const c of calls) {
  test(`${c.entry}(${c.args.join(', ')}) of a module with five exports equals plain asc, resumed at every yield point`, async () => {
    const b = await woven(FILE, { yieldInterval: 1 });
    const ref = await plain(FILE, c.entry, c.args, c.result);
    const whole = await runLocally(b, c.entry, c.args);
    assert.is(hex(whole.result), hex(ref), 'uninterrupted');
    const fuel = Math.max(1, Math.ceil(whole.yields / 300));
    const every = await runLocally(b, c.entry, c.args, { fuel, pauseAt: () => true, restoreAtBoundaries: true });
    assert.is(hex(every.result), hex(ref), `restored ${every.restores} times`);
  });
}

test('an entry other than the first traps where plain asc does, with its message', async () => {
  const b = await woven(FILE, { yieldInterval: 1 });
  try {
    await runLocally(b, 'div', [1, 0]);
    assert.unreachable('division by zero should trap');
  } catch (err) {
    assert.instance(err, FragmentTrap);
    assert.match((err as Error).message, /of 'div'.*divide by zero|of 'div'.*integer divide/i);
  }
});

test('a million calls of a function whose loop runs 10 times yield at the configured rate', async () => {
  const b = await woven('test/programs/many-calls.ts', { yieldInterval: 10_000 });
  const n = 1_000_000;
  const r = await runLocally(b, 'manyCalls', [n]);
  // Each call spends 10 units in its loop, the caller's loop 1 more: 11 units per call.
  const expected = (n * 11) / 10_000;
  assert.ok(r.yields >= expected * 0.9 && r.yields <= expected * 1.1, `${r.yields} yields, expected about ${expected}`);
});

test('bulk memory work in the runtime spends fuel: loop iterations that copy megabytes pass yield points, exactly', async () => {
  const file = 'test/programs/bulk-memory.ts';
  const b = await woven(file, { yieldInterval: 10_000, runtime: 'stub' });
  // 32 iterations: the stub runtime never frees, so at 64 the memory grew to 68 MB and
  // restoring it at each yield point took 24 s.
  const n = 32;
  // Iteration i copies the 32,768 i bytes built so far and 32 KiB more: from i = 19 on
  // that is over 10,000 units (a unit per 64 bytes), so each of those iterations passes a
  // yield point. Counting loop iterations alone, the 32 of them passed none.
  const whole = await runLocally(b, 'build', [n]);
  assert.ok(whole.yields >= n - 19, `${whole.yields} yields in ${n} iterations`);
  const inst = await WebAssembly.instantiate(await WebAssembly.compile(await cachedPlain(file, 'stub') as Uint8Array<ArrayBuffer>), { env: { abort: () => { throw new Error('abort'); } } });
  assert.is(hex(whole.result), hex(valueBytes('i32', (inst.exports.build as Function)(n))), 'uninterrupted');
  const every = await runLocally(b, 'build', [n], { pauseAt: () => true, restoreAtBoundaries: true });
  assert.is(hex(every.result), hex(whole.result), `restored ${every.restores} times`);
  assert.is(every.yields, whole.yields, 'a restored run yields where the uninterrupted one does');
});

for (const c of [
  { entry: 'splitWords', n: 40_000, why: 'a split of 40,000 words' },
  { entry: 'sortDescending', n: 30_000, why: 'a sort of 30,000 numbers through a comparator' },
]) {
  test(`one call of the standard library that runs long passes yield points, exactly: ${c.why}`, async () => {
    const file = 'test/programs/bulk-memory.ts';
    const b = await woven(file, { yieldInterval: 10_000 });
    // The program's own loops run at most n times (5 yield points at 10,000 a yield point
    // for the sort's fill, none for the split): the rest are in the library's loops.
    const whole = await runLocally(b, c.entry, [c.n]);
    assert.ok(whole.yields >= 20, `${whole.yields} yields`);
    const inst = await WebAssembly.instantiate(await WebAssembly.compile(await cachedPlain(file) as Uint8Array<ArrayBuffer>), { env: { abort: () => { throw new Error('abort'); } } });
    assert.is(hex(whole.result), hex(valueBytes('i32', (inst.exports[c.entry] as Function)(c.n))), 'uninterrupted');
    const every = await runLocally(b, c.entry, [c.n], { pauseAt: () => true, restoreAtBoundaries: true });
    assert.is(hex(every.result), hex(whole.result), `restored ${every.restores} times`);
    assert.is(every.yields, whole.yields, 'a restored run yields where the uninterrupted one does');
  });
}

test('recursion without loops spends fuel: a deep call chain reaches yield points and resumes exactly', async () => {
  const b = await woven('test/programs/many-calls.ts', { yieldInterval: 1 });
  const ref = await plain('test/programs/many-calls.ts', 'deep', [3000], 'i32');
  const whole = await runLocally(b, 'deep', [3000], { fuel: 100 });
  assert.ok(whole.yields >= 29, `${whole.yields} yields for 3001 calls at 100 per yield`);
  const every = await runLocally(b, 'deep', [3000], { fuel: 100, pauseAt: () => true });
  assert.is(hex(every.result), hex(ref));
  assert.is(every.yields, whole.yields);
});

test('top-level code runs once per job, not again in each instance a checkpoint is restored into', async () => {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync('build/test', { recursive: true });
  // The start function traces and sets state; a restore must bring that state, not rerun it.
  writeFileSync('build/test/start-once.ts', 'let base: i32 = 7;\ntrace("init", 1, <f64>base);\nbase += 5;\nexport function work(n: i32): i32 { let s = base; for (let i = 0; i < n; i++) s = s * 31 + i; return s; }\n');
  const b = await woven('build/test/start-once.ts', { yieldInterval: 1 });
  const traced: string[] = [];
  const hooks = { fuel: 1, trace: (line: string) => traced.push(line) };
  let x = await FragmentExecutor.create(await b.whole(), b.manifest, hooks);
  assert.is(traced.length, 0, 'instantiating runs no program code');
  x.start('work', [20]);
  let id = b.manifest.entries[0].fragments[0];
  let restores = 0;
  for (;;) {
    const o = x.run(id, { pauseAtYield: () => true });
    if (o.kind === 'done') break;
    id = o.kind === 'paused' ? o.fragment : o.next;
    const cp = x.capture({ id: newCheckpointId(), bundle: b.hash, entry: 'work', fragment: id, paused: o.kind === 'paused' });
    x = await FragmentExecutor.create(await b.fragmentModule(id), b.manifest, hooks);
    x.restore(cp);
    restores++;
  }
  assert.ok(restores >= 20, `${restores} restores`);
  assert.is(traced.length, 1, `traced: ${JSON.stringify(traced)}`);
  assert.match(traced[0], /^init 7\b/);
  assert.is(hex(x.result('work').bytes), hex(await plain('build/test/start-once.ts', 'work', [20], 'i32')));
});

/** The module without its weave.manifest section (the bundle's last section). */
function withoutManifest(bytes: Uint8Array): Uint8Array {
  let at = 8;
  for (;;) {
    const start = at++;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    const end = at + size;
    if (bytes[start] === 0 && new TextDecoder().decode(bytes.subarray(at + 1, at + 1 + bytes[at])) === MANIFEST_SECTION) return bytes.slice(0, start);
    at = end;
  }
}

test('a bundle of the manifest version before deferred starts (start at instantiation) still restores exactly', async () => {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync('build/test', { recursive: true });
  // No host call at the top level: before the start was deferred, one trapped there (the
  // instance's memory was not reachable from imports during instantiation).
  writeFileSync('build/test/start-v1.ts', 'let base: i32 = 7;\nconst table = new Array<i32>(4);\ntable[1] = 9;\nbase += table[1];\nexport function work(n: i32): i32 { let s = base; for (let i = 0; i < n; i++) s = s * 31 + table[i & 3] + i; return s; }\n');
  const b = await woven('build/test/start-v1.ts', { yieldInterval: 1 });
  // As the weave before it built it: the start function in the start section of every module, manifest version 1.
  const withStart = (bytes: Uint8Array) => {
    const m = binaryen.readBinary(bytes);
    try {
      m.setStart(m.getFunction(binaryen.getExportInfo(m.getExport(START_EXPORT)).value));
      m.removeExport(START_EXPORT);
      return m.emitBinary();
    } finally {
      m.dispose();
    }
  };
  const { instance: _, ...rest } = b.manifest;
  const v1: Manifest = { ...rest, version: 1, modules: b.manifest.modules.map(withStart) };
  const old = await loadBundle(appendCustomSection(withStart(withoutManifest(b.bytes)), MANIFEST_SECTION, encodeManifest(v1)));
  assert.is(old.manifest.version, 1);
  const r = await runLocally(old, 'work', [20], { fuel: 1, pauseAt: () => true });
  assert.ok(r.restores >= 20, `${r.restores} restores`);
  assert.is(hex(r.result), hex(await plain('build/test/start-v1.ts', 'work', [20], 'i32')));
});

test('a manifest whose fresh-instance range is malformed is refused, not trusted by restores', async () => {
  const b = await woven('build/test/start-v1.ts', { yieldInterval: 1 });
  for (const instance of [undefined, { dataStart: 9, dataEnd: 3 }, { dataStart: -1, dataEnd: 3 }, { dataStart: 0, dataEnd: 1.5 }, { dataStart: 0, dataEnd: 8, startExport: 7 }]) {
    const bytes = encodeManifest({ ...b.manifest, instance } as unknown as Manifest);
    assert.throws(() => decodeManifest(bytes), (err: Error) => err instanceof ManifestError && /field 'instance'/.test(err.message), JSON.stringify(instance));
  }
  assert.is(decodeManifest(encodeManifest(b.manifest)).instance?.dataEnd, b.manifest.instance!.dataEnd);
});

test('each entry\'s module keeps its own fragments and what they reach; other bodies are stubs, indices unchanged', async () => {
  const b = await woven(FILE, { yieldInterval: 1 });
  const whole = binaryen.readBinary(b.bytes);
  const count = whole.getNumFunctions();
  whole.dispose();
  for (const [i, entry] of b.manifest.entries.entries()) {
    const bytes = b.manifest.modules[i];
    assert.ok(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>), `${entry.name}'s module validates`);
    const m = binaryen.readBinary(bytes);
    try {
      assert.is(m.getNumFunctions(), count, 'no function removed: indices mean the same in every module');
      const fragments = new Set(entry.fragments.map((id) => b.manifest.fragments[id].exportName));
      const others = b.manifest.fragments.filter((f) => f.entry !== entry.name).map((f) => f.exportName);
      for (const name of fragments) assert.ok(m.getExport(name), `${entry.name}: keeps ${name}`);
      for (const name of others) assert.not.ok(m.getExport(name), `${entry.name}: drops ${name}`);
      let stubs = 0;
      for (let k = 0; k < m.getNumFunctions(); k++) {
        const f = binaryen.getFunctionInfo(m.getFunctionByIndex(k));
        if (f.module) continue;
        if (binaryen.getExpressionId(f.body) === binaryen.UnreachableId) stubs++;
      }
      assert.ok(stubs > 0, `${entry.name}: some bodies are stubs`);
    } finally {
      m.dispose();
    }
  }
});

test('a module with no loop and no recursion (nothing can pause) builds and runs', async () => {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync('build/test', { recursive: true });
  writeFileSync('build/test/no-loops.ts', 'let k: i32 = 3;\nexport function f(a: i32): i32 { return a * k + 1; }\nexport function g(a: f64): f64 { return a / 2; }\n');
  const b = await woven('build/test/no-loops.ts', { yieldInterval: 1 });
  assert.is(hex((await runLocally(b, 'f', [4])).result), hex(valueBytes('i32', 13)));
  assert.is(hex((await runLocally(b, 'g', [5])).result), hex(valueBytes('f64', 2.5)));
});

test.run();
