/**
 * bench/programs/walk.ts woven for slot tests that drive HubCore themselves: one 4 KiB
 * stretch rewritten per step, a hash of the whole buffer at the end (a stale page
 * anywhere changes the result). `walk(256, 48)` runs in a few ms.
 *   const w = await walkBundle();   // w.bytes, w.hash, w.first (the entry's first fragment)
 */
import { cachedBundle } from './build-cache.js';
import { loadBundle } from '../../runtime/exec/index.js';

export const WALK_ARGS = [256, 48];

export async function walkBundle(): Promise<{ bytes: Uint8Array; hash: string; first: number }> {
  const bytes = await cachedBundle('bench/programs/walk.ts', { yieldInterval: 1024 });
  const b = await loadBundle(bytes);
  return { bytes, hash: b.hash, first: b.manifest.entries.find((e) => e.name === 'walk')!.fragments[0] };
}
