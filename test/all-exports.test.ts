/**
 * Every export of every example and test program exact with migrations at every yield.
 * test/programs/exports.json lists each file's exports with small argument sets; each
 * call runs on plain asc (a fresh instance, the reference), on the woven build
 * uninterrupted, and restored into a fresh fragment module at every yield point. An
 * export missing from exports.json fails, so a new export cannot go untested.
 *   WEAVE_CONFIG=none node node_modules/uvu/bin.js dist/test 'all-exports\.test\.js$'
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { woven, runLocally, valueBytes } from './helpers/programs.js';
import { cachedPlain } from './helpers/build-cache.js';
import { FragmentExecutor, FragmentTrap, AbortSignalError, ExecError, makeHostImports, type LoadedBundle } from '../runtime/exec/index.js';
import { OutputBuffer } from '../runtime/host/index.js';

const test = suite('all exports');
const LIST = 'test/programs/exports.json';
/**
 * Restores per call at most, spread over the run by fuel. A restore costs 1-4 ms and
 * there are ~100 calls; 50 each keeps the file near a minute with its ~30 builds.
 */
const MAX_POINTS = 50;

interface ExportSpec {
  /** The export's Wasm result type as the manifest has it ('none' for void). */
  result: string;
  args: Array<Array<number | string>>;
  /** A weave bug this export shows, still open: its calls are skipped, and the skip printed. */
  known?: string;
}
type ExportList = Record<string, Record<string, ExportSpec>>;

const list: ExportList = JSON.parse(readFileSync(LIST, 'utf8'));

/**
 * hostile-* programs are sandbox tests: they are meant to be stopped, not to finish.
 * boundary.ts takes strings and arrays: test/boundary.test.ts runs every export of it
 * against asc's own bindings.
 */
function programFiles(): string[] {
  const dir = (d: string) => readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => `${d}/${f}`);
  return [...dir('examples'), ...dir('test/programs')].filter((f) => !/\/hostile-/.test(f) && !f.endsWith('/boundary.ts')).sort();
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A run's outcome as one comparable string: the result's bytes, or the trap's own message. */
type Outcome = string;
function trapOutcome(err: unknown): Outcome {
  // weave says where it trapped ("trap in fragment 3 of 'f': …"); plain asc cannot, so
  // only what the program or the engine said is compared.
  if (err instanceof FragmentTrap) return `trap: ${err.message.replace(/^trap in fragment \d+ of '[^']*': /, '')}`;
  if (err instanceof WebAssembly.RuntimeError || err instanceof AbortSignalError) return `trap: ${err.message}`;
  throw err;
}

function resultBytes(type: string, v: unknown): Uint8Array {
  return type === 'none' ? new Uint8Array(0) : valueBytes(type, v as number | bigint);
}

function callArgs(params: string[], raw: Array<number | string>): Array<number | bigint> {
  return raw.map((a, i) => (params[i] === 'i64' ? BigInt(a) : Number(a)));
}

const plains = new Map<string, Promise<WebAssembly.Module>>();
/**
 * plain asc -O3, a fresh instance per call: env as weave offers it (a fixed seed, abort
 * with its message) and the host ABI at plain addresses, so host-call programs run too.
 */
async function plain(file: string, entry: string, args: Array<number | bigint>, result: string): Promise<Outcome> {
  let p = plains.get(file);
  if (!p) plains.set(file, (p = cachedPlain(file).then((b) => WebAssembly.compile(b as Uint8Array<ArrayBuffer>))));
  const mod = await p;
  let memory: WebAssembly.Memory | undefined;
  const output = new OutputBuffer();
  const imports = makeHostImports(mod, { memory: () => memory!, reserved: 0, onYield: () => 1, output: () => output, hooks: () => ({ trace: () => {} }) });
  try {
    const inst = await WebAssembly.instantiate(mod, imports);
    memory = inst.exports.memory as WebAssembly.Memory;
    // As asc's ESM bindings call an export with optional parameters: say how many are passed.
    (inst.exports.__setArgumentsLength as ((n: number) => void) | undefined)?.(args.length);
    return hex(resultBytes(result, (inst.exports[entry] as Function)(...args)));
  } catch (err) {
    return trapOutcome(err);
  }
}

/** A woven run's outcome, with the yield points it passed (also when it trapped) and the pauses made. */
async function wovenRun(b: LoadedBundle, entry: string, args: Array<number | bigint>, opts: { fuel?: number; restoreEvery?: boolean }) {
  let yields = 0;
  let pauses = 0;
  const pauseAt = (n: number) => {
    yields = n;
    if (opts.restoreEvery) pauses++;
    return !!opts.restoreEvery;
  };
  try {
    const r = await runLocally(b, entry, args, { fuel: opts.fuel, pauseAt, restoreAtBoundaries: opts.restoreEvery });
    return { outcome: hex(r.result), yields, pauses };
  } catch (err) {
    return { outcome: trapOutcome(err), yields, pauses };
  }
}

test('exports.json covers every example and test program, and nothing else', () => {
  assert.equal(Object.keys(list).sort(), programFiles(), `${LIST} lists exactly these files`);
});

for (const file of programFiles()) {
  test(`${file}: exports.json lists every export with its result type and arguments of the right arity`, async () => {
    const b = await woven(file, { yieldInterval: 1 });
    const listed = list[file] ?? {};
    const names = b.manifest.entries.map((e) => e.name).sort();
    assert.equal(Object.keys(listed).sort(), names, `exports of ${file} (add the missing ones to ${LIST})`);
    for (const e of b.manifest.entries) {
      const spec = listed[e.name];
      assert.is(spec.result, e.result, `result type of ${e.name}`);
      assert.ok(spec.args.length >= 1, `${e.name} has at least one argument set`);
      for (const a of spec.args) assert.is(a.length, e.params.length, `${e.name}(${e.params.join(', ')}) called with [${a.join(', ')}]`);
    }
  });

  for (const [entry, spec] of Object.entries(list[file] ?? {})) {
    for (const raw of spec.args) {
      const name = `${entry}(${raw.join(', ')}) of ${file} equals plain asc, uninterrupted and restored at every yield point`;
      if (spec.known) {
        console.log(`  skipped (known weave bug): ${name}: ${spec.known}`);
        test.skip(name, () => {});
        continue;
      }
      test(name, async () => {
        const b = await woven(file, { yieldInterval: 1 });
        const info = b.manifest.entries.find((e) => e.name === entry);
        assert.ok(info, `${file} exports ${entry}`);
        assert.is(raw.length, info!.params.length, `${entry} takes ${info!.params.length} argument(s)`);
        const args = callArgs(info!.params, raw);
        // The manifest's type, not the listed one: the listing test reports a wrong one.
        const ref = await plain(file, entry, args, info!.result);
        const whole = await wovenRun(b, entry, args, {});
        assert.is(whole.outcome, ref, 'uninterrupted, a yield point at every loop iteration');
        const fuel = Math.max(1, Math.ceil(whole.yields / MAX_POINTS));
        const spaced = fuel === 1 ? whole : await wovenRun(b, entry, args, { fuel });
        assert.is(spaced.outcome, ref, `uninterrupted, fuel ${fuel}`);
        const every = await wovenRun(b, entry, args, { fuel, restoreEvery: true });
        assert.is(every.outcome, ref, `restored at each of ${every.pauses} yield points (fuel ${fuel})`);
        assert.is(every.pauses, spaced.yields, 'paused and restored at every yield point the run passed');
      });
    }
  }
}

test('every export of every program, called one after another in one renewed instance, equals plain asc in a fresh one', async () => {
  // A hub's slot runs a client's next job in the instance its last one finished in,
  // renewed (FragmentExecutor.renew): anything the last call left (module-level state, the
  // heap, strings) would show here as a result plain asc, a fresh instance per call, lacks.
  let renewed = 0;
  for (const file of programFiles()) {
    const b = await woven(file, { yieldInterval: 1 });
    const module = await b.whole();
    const hooks = { trace: () => {} };
    let x: FragmentExecutor | undefined;
    for (const [entry, spec] of Object.entries(list[file] ?? {})) {
      if (spec.known) continue;
      const info = b.manifest.entries.find((e) => e.name === entry)!;
      for (const raw of spec.args) {
        const args = callArgs(info.params, raw);
        if (x?.renew(hooks)) renewed++;
        else x = await FragmentExecutor.create(module, b.manifest, hooks);
        let outcome: Outcome;
        try {
          outcome = hex(x.call(entry, args).bytes);
        } catch (err) {
          // A trapped instance is not used again (nor would a slot keep it).
          x = undefined;
          outcome = err instanceof ExecError ? `exec error: ${err.message}` : trapOutcome(err);
        }
        assert.is(outcome, await plain(file, entry, args, info.result), `${entry}(${raw.join(', ')}) of ${file}, after ${renewed} renewals in all`);
      }
    }
  }
  assert.ok(renewed > 50, `${renewed} calls ran in a renewed instance`);
});

test('the SHA-256 example gives the digests of Node crypto, plain and woven with restores', async () => {
  const file = 'examples/sha256.ts';
  const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();
  const word = (d: Buffer, i: number) => hex(valueBytes('i32', d.readInt32BE(i * 4)));
  const chain = (rounds: number) => {
    let d = sha(new Uint8Array(0));
    for (let r = 0; r < rounds; r++) d = sha(d);
    return hex(valueBytes('i64', d.readBigInt64BE(0)));
  };
  const counting = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 255);
  const stream = (pairs: number, tail: number) => Buffer.concat([Buffer.from('ab'.repeat(pairs)), Buffer.alloc(tail, 'c')]);
  const cases: Array<[string, Array<number | bigint>, string, string]> = [
    ['final', [], 'i32', word(sha(new Uint8Array(0)), 0)],
    ['digestOfRepeated', [97, 1000], 'i32', word(sha(Buffer.alloc(1000, 97)), 0)],
    ['digestOfRepeated', [0, 55], 'i32', word(sha(Buffer.alloc(55)), 0)], // padding fits one block
    ['digestOfRepeated', [0, 56], 'i32', word(sha(Buffer.alloc(56)), 0)], // padding needs a second block
    ['digestOfCounting', [300, 7], 'i32', word(sha(counting(300)), 7)],
    ['digestOfCounting', [64, 4], 'i32', word(sha(counting(64)), 4)],
    ['streamDigest', [40, 7, 0], 'i32', word(sha(stream(40, 7)), 0)],
    ['streamDigest', [3, 60, 5], 'i32', word(sha(stream(3, 60)), 5)],
    ['hashChain', [5], 'i64', chain(5)],
  ];
  const b = await woven(file, { yieldInterval: 1 });
  for (const [entry, args, type, expected] of cases) {
    assert.is(await plain(file, entry, args, type), expected, `plain ${entry}(${args.join(', ')})`);
    const every = await wovenRun(b, entry, args, { fuel: 97, restoreEvery: true });
    assert.is(every.outcome, expected, `woven ${entry}(${args.join(', ')}), restored ${every.pauses} times`);
  }
});

test.run();
