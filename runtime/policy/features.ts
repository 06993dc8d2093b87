/**
 * The features of (fragment, hub) a learned scorer sees: only what a live engine can know
 * (static estimates, measured history, adverts including what each queue holds, measured
 * links), each scaled to about [0, 1] so one network fits clusters of any size. No feature names the hub, so what is
 * learned on some hubs carries over to others.
 *   const x = features(f, h);   // Float32Array(FEATURE_COUNT)
 */
import type { FragmentView, HubView } from './types.js';
import { estimatedWorkMs, expectedWaitMs, remoteDataBytes, transferMs } from './estimates.js';

export { remoteDataBytes, transferMs } from './estimates.js';

export const FEATURE_COUNT = 19;

/** ln(1 + x) / ln(1 + top): 0 at 0, 1 at `top`, slowly past it. */
const squash = (x: number, top: number) => Math.log1p(Math.max(0, x)) / Math.log1p(top);

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
  // What the queue holds, not just its length: the wait the work ahead implies, and that
  // wait against this fragment's own run there (a long fragment loses less, relatively,
  // by waiting). 0 where the hub does not advertise its queue's contents.
  const known = h.queuedWork !== undefined && h.runningWork !== undefined;
  const run = (estimatedWorkMs(f) / Math.max(0.1, h.speed)) * (1 + h.cpu);
  const wait = known ? expectedWaitMs(h, run) : 0;
  out[14] = squash(wait, 1e5);
  out[15] = known ? Math.min(1, wait / Math.max(1e-3, wait + run)) : 0;
  // The hub's own link, which bounds every remote read it makes (0 when unknown).
  out[16] = h.linkMbps === undefined ? 0 : squash(h.linkMbps, 1e4);
  // Code that would be accelerated, on a hub that cannot: 7 and 8 say so too, but as the
  // middle of three levels, which a small sigmoid network learned far too slowly (simd
  // code on hubs without AVX2 predicted 2x too fast: mean job 1,836 ms, with these 1,704).
  out[17] = f.calls.simd && !h.caps.avx2 ? 1 : 0;
  out[18] = f.calls.gpu && !h.caps.gpu ? 1 : 0;
  return out;
}
