/**
 * Builds for tests, kept on disk by what they depend on (the source and the weave `lib/`
 * it may import, the options, the fragmenter's fingerprint), so the suite compiles each
 * test program once per option set, however many test files use it, including files
 * running in parallel. asc is compiled once per source and runtime; each granularity and
 * yield interval only weaves that output again.
 *   const bytes = await cachedBundle('test/programs/fib.ts', { yieldInterval: 1 });
 *   const plain = await cachedPlain('test/programs/fib.ts');
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileProgram, fragmenterFingerprint, weaveBinary, type AsRuntime, type EntrySignature, type Granularity } from '../../fragments/index.js';

const DIR = path.resolve('build', 'test-cache');

export interface BuildOptions { yieldInterval?: number; granularity?: Granularity; runtime?: AsRuntime }

function libText(): string {
  try { return readFileSync('lib/weave/index.ts', 'utf8'); } catch { return ''; }
}

function keyOf(file: string, extra: unknown): string {
  return createHash('sha256').update(readFileSync(file)).update(libText()).update(JSON.stringify(extra)).update(fragmenterFingerprint()).digest('hex').slice(0, 24);
}

function load(name: string): Buffer | undefined {
  const p = path.join(DIR, name);
  return existsSync(p) ? readFileSync(p) : undefined;
}

function store(name: string, bytes: Uint8Array | string): void {
  mkdirSync(DIR, { recursive: true });
  const p = path.join(DIR, name);
  // Rename is atomic: a test file running beside this one reads a whole file or none.
  const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, p);
}

interface Compiled { binary: Uint8Array; signatures: Map<string, EntrySignature>; runtime: AsRuntime }

const compiling = new Map<string, Promise<Compiled>>();

/** asc's output for `file` (the plain reference build), with the exports' signatures. */
export function cachedCompile(file: string, runtime: AsRuntime = 'incremental'): Promise<Compiled> {
  const key = keyOf(file, { runtime });
  let p = compiling.get(key);
  if (!p) {
    p = (async () => {
      const bin = load(`${key}.plain.wasm`);
      const sig = load(`${key}.sig.json`);
      if (bin && sig) return { binary: new Uint8Array(bin), signatures: new Map(JSON.parse(sig.toString()) as Array<[string, EntrySignature]>), runtime };
      const c = await compileProgram([file], { runtime });
      store(`${key}.plain.wasm`, c.binary);
      store(`${key}.sig.json`, JSON.stringify([...c.signatures]));
      return { binary: c.binary, signatures: c.signatures, runtime: c.runtime };
    })();
    compiling.set(key, p);
  }
  return p;
}

/**
 * A value computed from a build and kept beside it: `compute` runs once per `key` across
 * the suite (the files of a run, and later runs here), e.g. the plain build's result on a
 * large input, which several files need and which takes as long to compute as the job.
 * `key` must name everything the value depends on (hash the binary, not the file name).
 */
export async function cachedValue(key: string, compute: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const name = `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.value`;
  const hit = load(name);
  if (hit) return new Uint8Array(hit);
  const v = await compute();
  store(name, v);
  return v;
}

/** The plain asc build's bytes. */
export async function cachedPlain(file: string, runtime: AsRuntime = 'incremental'): Promise<Uint8Array> {
  return (await cachedCompile(file, runtime)).binary;
}

/** The woven bundle's bytes for `file` built with `opts`. */
export async function cachedBundle(file: string, opts: BuildOptions = {}): Promise<Uint8Array> {
  const key = keyOf(file, opts);
  const hit = load(`${key}.woven.wasm`);
  if (hit) return new Uint8Array(hit);
  const c = await cachedCompile(file, opts.runtime ?? 'incremental');
  const { bundle } = weaveBinary(c.binary, { ...opts, source: file, runtime: c.runtime, signatures: c.signatures });
  store(`${key}.woven.wasm`, bundle);
  return bundle;
}
