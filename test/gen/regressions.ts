/**
 * Kept regressions: a shrunk program that once showed a mismatch (`NAME.ts`, marked
 * `// @ts-nocheck` because tsc compiles test/ too) and one JSON line (`NAME.json`) naming
 * its export, arguments, plain asc's result, and the mode and result that differed.
 *   const name = await saveRegression(dir, source, { runtime, export: 'e0', … });
 *   for (const r of loadRegressions(dir)) ...
 */
import { GenError } from './errors.js';
import { readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AsRuntime } from '../../fragments/index.js';
import type { Mode } from './differential.js';
import type { Outcome } from './outcome.js';
import type { Scalar } from './types.js';

export const REGRESSIONS_DIR = 'test/regressions';

export interface Regression {
  /** File stem: NAME.ts and NAME.json. */
  name: string;
  runtime: AsRuntime;
  export: string;
  params: Scalar[];
  result: Scalar;
  /** As `weave run` takes them. */
  args: string[];
  /** Plain asc's outcome (the reference). */
  expected: Outcome;
  /** Where the woven build differed, and what it gave then. */
  mode: Mode;
  got: Outcome;
  /** The seed the program was shrunk from (with the generator as it was then: seeds name other programs once it changes). */
  seed?: number;
  /** Set while the fault is not fixed: why. The regression test skips it and says so. */
  known?: string;
}

export const SOURCE_HEADER = '// @ts-nocheck (AssemblyScript, not TypeScript: a kept regression of the weave program generator)';

/**
 * Write NAME.ts and NAME.json; returns NAME (made unique in `dir`). `dir` is made when
 * missing: a campaign finds its first mismatch after minutes or hours, and a directory
 * given with --regressions that did not exist then cost the finding.
 */
export function saveRegression(dir: string, source: string, r: Omit<Regression, 'name'>): string {
  mkdirSync(dir, { recursive: true });
  const base = `gen-${r.seed ?? 'x'}-${r.export}-${r.mode.replace('/', '-')}`;
  let name = base;
  for (let i = 2; existsSync(path.join(dir, `${name}.json`)); i++) name = `${base}-${i}`;
  writeFileSync(path.join(dir, `${name}.ts`), withHeader(source));
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ name, ...r }) + '\n');
  return name;
}

/** The program as kept: the tsc marker first (the shrinker's source already starts with it). */
export function withHeader(source: string): string {
  return source.startsWith(SOURCE_HEADER) ? source : `${SOURCE_HEADER}\n${source}`;
}

/** Every kept regression in `dir`, by name. Throws naming the file when a JSON line is malformed. */
export function loadRegressions(dir: string = REGRESSIONS_DIR): Regression[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const text = readFileSync(path.join(dir, f), 'utf8').trim();
    try {
      return JSON.parse(text) as Regression;
    } catch (err) {
      throw new GenError(`${path.join(dir, f)}: not one JSON object: ${(err as Error).message}`, { cause: err });
    }
  });
}

export function regressionSource(r: Regression, dir: string = REGRESSIONS_DIR): string {
  return readFileSync(path.join(dir, `${r.name}.ts`), 'utf8');
}
