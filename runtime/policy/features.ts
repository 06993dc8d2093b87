/**
 * The features of (fragment, hub) a learned scorer sees: only what a live engine can know
 * (static estimates, measured history, adverts, measured links), each scaled to about
 * [0, 1] so one network fits clusters of any size. No feature names the hub, so what is
 * learned on some hubs carries over to others.
 *   const x = features(f, h);   // Float32Array(FEATURE_COUNT)
 */
import type { FragmentView, HubView } from './types.js';

export const FEATURE_COUNT = 14;

/** ln(1 + x) / ln(1 + top): 0 at 0, 1 at `top`, slowly past it. */
const squash = (x: number, top: number) => Math.log1p(Math.max(0, x)) / Math.log1p(top);

/** Milliseconds to move `bytes` over `mbps` plus one round trip. */
export function transferMs(bytes: number, h: HubView): number {
  return bytes === 0 ? 0 : h.rttMs + (bytes * 8) / (Math.max(1, h.mbps) * 1000);
}

/** Bytes of the fragment's datasets the hub does not hold (read over the network). */
export function remoteDataBytes(f: FragmentView, h: HubView): number {
  let n = 0;
  for (const d of f.datasets) if (!h.datasets.includes(d.name)) n += d.bytes;
  return n;
}

export function features(f: FragmentView, h: HubView, out = new Float32Array(FEATURE_COUNT)): Float32Array {
  const stay = f.at === h.id;
  const moveMs = stay || f.at === undefined ? 0 : transferMs(f.stateBytes, h);
  const remote = remoteDataBytes(f, h);
  const total = f.datasets.reduce((n, d) => n + d.bytes, 0);
  out[0] = squash(f.estimate, 1e9);
  out[1] = f.measuredMs === undefined ? 0 : squash(f.measuredMs, 1e5);
  out[2] = f.measuredMs === undefined ? 1 : 0;
  out[3] = Math.min(4, h.speed) / 4;
  out[4] = Math.min(2, h.cpu) / 2;
  out[5] = Math.min(1, h.busy / Math.max(1, h.slots));
  out[6] = squash(h.queue / Math.max(1, h.slots), 50);
  out[7] = f.calls.simd ? (h.caps.avx2 ? 1 : 0.5) : 0;
  out[8] = f.calls.gpu ? (h.caps.gpu ? 1 : 0.5) : 0;
  out[9] = squash(moveMs, 1e5);
  out[10] = squash(transferMs(remote, h), 1e5);
  out[11] = total === 0 ? 0 : 1 - remote / total;
  out[12] = stay ? 1 : 0;
  out[13] = squash(h.rttMs, 1000);
  return out;
}
