/**
 * A hub's kind: what about its hardware changes how fast a given program runs there
 * beyond its calibrated speed (AVX2, a GPU, its memory bandwidth tier). Measured history
 * is kept per (fragment template, kind), so what runs on one hub teaches about every hub
 * of its kind. A throttled hub is not a kind of its own: throttling divides its
 * advertised speed, which the history already divides out.
 *   hubKind({ caps: { avx2: true, gpu: false }, memTier: 2 })   // 'a-2'
 *   kindIndex(h)                                                 // 0..KINDS-1
 */
import type { HubView } from './types.js';

/** Memory tiers (HubView.memTier): half-octaves of measured bandwidth, 2 the reference. */
export const MEM_TIERS = 5;
/** How many kinds there are (kindIndex is below this). */
export const KINDS = 4 * MEM_TIERS;

/** The kind as a small integer: AVX2, GPU and memory tier (absent: the reference's). */
export function kindIndex(h: Pick<HubView, 'caps' | 'memTier'>): number {
  const tier = h.memTier === undefined ? 2 : Math.max(0, Math.min(MEM_TIERS - 1, Math.round(h.memTier)));
  return (h.caps.avx2 ? 1 : 0) + (h.caps.gpu ? 2 : 0) + 4 * tier;
}

/** The kind as text, for history keys and reports. */
export function hubKind(h: Pick<HubView, 'caps' | 'memTier'>): string {
  return KIND_NAMES[kindIndex(h)];
}

const KIND_NAMES = Array.from({ length: KINDS }, (_, i) => `${i & 1 ? 'a' : ''}${i & 2 ? 'g' : ''}${i & 3 ? '' : 'cpu'}-${i >> 2}`);
