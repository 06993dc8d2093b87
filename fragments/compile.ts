/**
 * AssemblyScript to Wasm through the compiler API (no child process, no temp files).
 *
 * Diagnostics come back as `file:line:column: message`, so an editor or a terminal can jump
 * to them. Usage:
 *   const wasm = await compileAssemblyScript('examples/matmul.ts', { runtime: 'incremental' });
 *   // throws CompileError listing every error
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileError } from './errors.js';

import type { AsRuntime } from './abi.js';
export { AS_RUNTIMES, type AsRuntime } from './abi.js';

export interface CompileOptions {
  /** AssemblyScript runtime. @default 'incremental' */
  runtime?: AsRuntime;
  /** Binaryen optimize level asc uses. @default 3 */
  optimizeLevel?: number;
  /** Compile with assertions. @default true */
  asserts?: boolean;
}

interface Diagnostic {
  message: string;
  category: number;
  range: { start: number; source: { normalizedPath: string } } | null;
}

/** 1-based line and column of `offset` in `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Holds the `weave` AssemblyScript package (lib/weave/index.ts). */
const AS_LIB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'lib');

/**
 * Compile one AssemblyScript entry file to a Wasm binary.
 * Throws CompileError when the file is missing or does not compile.
 */
export async function compileAssemblyScript(entry: string, opts: CompileOptions = {}): Promise<Uint8Array> {
  const abs = path.resolve(entry);
  try {
    await readFile(abs);
  } catch (err) {
    throw new CompileError(`${entry}: cannot read source file (${(err as NodeJS.ErrnoException).code ?? err})`, { cause: err });
  }
  // asc is large; load it only when a build actually happens.
  const asc = (await import('assemblyscript/asc')).default;
  let binary: Uint8Array | null = null;
  const errors: string[] = [];
  // Relative to the working directory, so trap locations read like the paths users typed.
  const baseDir = process.cwd();
  const argv = [
    path.relative(baseDir, abs), '--outFile', 'out.wasm',
    '--optimizeLevel', String(opts.optimizeLevel ?? 3), '--shrinkLevel', '0',
    '--runtime', opts.runtime ?? 'incremental',
    '--noColors', '--baseDir', baseDir,
    // `import { simd } from "weave"` resolves to lib/weave (the host ABI's AS library),
    // also for programs outside this package.
    '--path', AS_LIB_DIR,
  ];
  if (opts.asserts === false) argv.push('--noAssert');
  const result = await asc.main(argv, {
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
    reportDiagnostic: (d: unknown) => {
      const diag = d as Diagnostic;
      // Category 3 is ERROR in asc's DiagnosticCategory.
      if (diag.category !== 3) return;
      if (diag.range) {
        const rel = diag.range.source.normalizedPath;
        if (rel.startsWith('~lib/')) {
          errors.push(`${rel}: error: ${diag.message}`);
          return;
        }
        // asc reports offsets; read the file to turn them into line:column.
        let text = '';
        try { text = readFileSync(path.resolve(baseDir, rel), 'utf8'); } catch { /* keep offset only */ }
        const { line, column } = lineColumn(text, diag.range.start);
        errors.push(`${rel}:${line}:${column}: error: ${diag.message}`);
      } else {
        errors.push(`${entry}: error: ${diag.message}`);
      }
    },
  } as any);
  if (errors.length) throw new CompileError(errors.join('\n'));
  if (result.error) throw new CompileError(`${entry}: ${result.error.message}`, { cause: result.error });
  if (!binary) throw new CompileError(`${entry}: the compiler produced no binary`);
  return binary;
}
