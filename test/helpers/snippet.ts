/**
 * A few lines of AssemblyScript woven for a pass's test: written under build/test/<dir>/,
 * built with weave's own pipeline in this process (no CLI, no cache: each is small).
 *   const { loaded, text } = await buildSnippet('counted-loops', 'up', source, 1000);
 *   // loaded: for runLocally; text: the woven module's text, to count what a pass made
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';
import { buildBundle } from '../../fragments/index.js';
import { loadBundle, type LoadedBundle } from '../../runtime/exec/index.js';

export async function buildSnippet(dir: string, name: string, source: string, yieldInterval: number): Promise<{ loaded: LoadedBundle; text: string }> {
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
