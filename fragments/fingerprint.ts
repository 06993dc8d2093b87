/**
 * A fingerprint of this weave's fragmenter (a hash of its compiled code, and the versions
 * of asc and Binaryen it uses): what a woven bundle depends on besides the source and
 * the options. Caches of woven output key on
 * it, so a changed fragmenter never reuses an old one's output.
 *   const key = `${sourceHash}-${fragmenterFingerprint()}`;
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const HERE = path.dirname(fileURLToPath(import.meta.url));
let cached: string | undefined;

export function fragmenterFingerprint(): string {
  if (cached) return cached;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (name.endsWith('.js')) h.update(name).update(readFileSync(p));
      else if (!name.includes('.')) walk(p);
    }
  };
  walk(HERE);
  // asc and Binaryen shape the output as much as weave's own passes do.
  const require = createRequire(import.meta.url);
  for (const pkg of ['assemblyscript', 'binaryen']) {
    try { h.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}`); } catch { h.update(`${pkg}@?`); }
  }
  return (cached = h.digest('hex').slice(0, 16));
}
