/**
 * How live hubs and engines name a job's work when they learn from measurements of it:
 * the same template on both sides, so what hubs measure (runtime/hub/weaving.ts) is what
 * an engine placing with the learned weaver reads (`weave run --policy weaver`).
 *   const part = livePart(bundle.hash, 0);   // { template: '3fa9…#0', estimate: LIVE_ESTIMATE, … }
 */
import type { PartView } from './types.js';

/**
 * The static estimate live parts carry. Hubs do not read bundles' manifests (that takes
 * compiling them), so neither side uses the manifest's: the history learns each
 * template's real size in units (yield points) from totals measured when jobs end,
 * relative to this.
 */
export const LIVE_ESTIMATE = 1e4;

/** The link to a hub where nothing was measured: a LAN's (engines' placement and hubs' peer views alike). */
export const LIVE_LINK = { rttMs: 1, mbps: 1000 } as const;

/** The template of `bundle` (sha-256 hex) run from `fragment` on: where it starts, or resumes. */
export function livePart(bundle: string, fragment: number): PartView {
  return { template: `${bundle.slice(0, 16)}#${fragment}`, estimate: LIVE_ESTIMATE, calls: { simd: false, gpu: false } };
}
