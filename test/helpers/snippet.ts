/**
 * A few lines of AssemblyScript woven for a pass's test: written under build/test/<dir>/,
 * built with weave's own pipeline in this process (no CLI, no disk cache: each is small),
 * once per process for the same source.
 *   const { loaded, text } = await buildSnippet('counted-loops', 'up', source, 1000);
 *   // loaded: for runLocally; text: the woven module's text, to count what a pass made
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';
import { buildBundle } from '../../fragments/index.js';
import { loadBundle, type LoadedBundle } from '../../runtime/exec/index.js';

/** Each snippet built once per process: tests of one file share their reference builds. */
const built = new Map<string, Promise<{ loaded: LoadedBundle; text: string }>>();

export function buildSnippet(dir: string, name: string, source: string, yieldInterval: number): Promise<{ loaded: LoadedBundle; text: string }> {
  const key = JSON.stringify([dir, name, source, yieldInterval]);
  let b = built.get(key);
  if (!b) built.set(key, (b = build(dir, name, source, yieldInterval)));
  return b;
}

async function build(dir: string, name: string, source: string, yieldInterval: number): Promise<{ loaded: LoadedBundle; text: string }> {
  const folder = `build/test/${dir}`;
  mkdirSync(folder, { recursive: true });
  const file = `${folder}/${name}.ts`;
  writeFileSync(file, source);
  const { bundle } = await buildBundle(file, { yieldInterval });
  const m = binaryen.readBinary(bundle);
  const text = m.emitText();
  m.dispose();
  return { loaded: await loadBundle(bundle), text };
}
