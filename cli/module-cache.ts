/**
 * Loading a module for `weave run` and `weave inspect`: a bundle as it is; a plain asc
 * module woven at load, and the woven bundle kept in a cache by the module's hash, so the
 * next run of the same file does not weave it again (weaving takes seconds, loading a
 * bundle milliseconds). The key also holds a hash of this weave's fragmenter, so a new
 * weave never reuses an old weave's output.
 *   const bundle = await loadModule('build/plain.wasm');
 *
 * The cache is $WEAVE_CACHE_DIR, else $XDG_CACHE_HOME/weave, else ~/.cache/weave;
 * WEAVE_CACHE_DIR=none turns it off. A cache that cannot be written is skipped silently.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MANIFEST_SECTION } from '../fragments/abi.js';
import { fragmenterFingerprint } from '../fragments/fingerprint.js';
import { loadBundle, type LoadedBundle } from '../runtime/exec/index.js';
import { UsageError } from './command.js';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.WEAVE_CACHE_DIR === 'none') return undefined;
  if (env.WEAVE_CACHE_DIR) return env.WEAVE_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'weave');
}

function hasManifest(bytes: Uint8Array): boolean {
  // A cheap look for the section's name; loadBundle reads the manifest properly.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(MANIFEST_SECTION);
}

/** The bundle in `file`, woven at load (and cached) when it is a plain module. Throws what readModule and loadBundle throw. */
export async function loadModule(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedBundle> {
  const bytes = await readModule(file);
  const dir = cacheDir(env);
  if (hasManifest(bytes) || !dir) return loadBundle(bytes);
  const key = `${createHash('sha256').update(bytes).digest('hex')}-${fragmenterFingerprint()}`;
  const cached = path.join(dir, 'woven', `${key}.wasm`);
  if (existsSync(cached)) {
    try {
      return await loadBundle(await readFile(cached), { wovenAtLoad: true });
    } catch {
      // A damaged cache entry: weave again, and overwrite it below.
    }
  }
  const b = await loadBundle(bytes);
  try {
    await mkdir(path.dirname(cached), { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    await writeFile(tmp, b.bytes);
    await rename(tmp, cached);
  } catch {
    // Not cached this time; the run goes on.
  }
  return b;
}

/** A module's bytes. Throws UsageError for a missing file, or one that is not Wasm (saying what it looks like). */
export async function readModule(file: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file (build one with: weave build source.ts -o ${file})` : `${file}: cannot read (${code})`);
  }
  const magic = bytes.byteLength >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic) {
    const text = /\.ts$/i.test(file) || /^\s*(\/\/|\/\*|import|export|function|class|const|let)\b/.test(Buffer.from(bytes.subarray(0, 200)).toString('utf8'));
    if (text) throw new UsageError(`${file} is AssemblyScript source, not a module: build it first, weave build ${file} -o build/${file.replace(/^.*\//, '').replace(/\.ts$/i, '')}.wasm`);
    throw new UsageError(`${file} is not a WebAssembly module (it starts with ${Buffer.from(bytes.subarray(0, 4)).toString('hex').replace(/(..)/g, '$1 ').trim() || 'nothing'}; a module starts with 00 61 73 6d)`);
  }
  return bytes;
}
