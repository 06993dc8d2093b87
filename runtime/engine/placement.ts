/**
 * A placement policy (runtime/policy) applied to live hubs: the views it decides on, built
 * from what the engine knows (the bundle's metadata, the hubs' adverts), and the record
 * of each decision once its outcome is known (decision logs, online learning).
 *   const place = livePlacement(policy, bundle, needs, log);
 *   const hub = place.choose(fragment, at, stateBytes, hubs);  ...  place.done(hub, ms);
 */
import type { LoadedBundle } from '../exec/index.js';
import { LIVE_LINK, livePart, type DecisionRecord, type FragmentView, type HubView, type JobNeeds, type PlacementPolicy, type Decision } from '../policy/index.js';
import type { HubInfo } from './transport.js';

export interface LivePlacement {
  /** The hub `policy` picks for `fragment` among `hubs` (non-empty, all capable). */
  choose(fragment: number, at: string | undefined, stateBytes: number, hubs: readonly HubInfo[]): string;
  /** The placement made by the last `choose` took `ms`: teach the policy, log it. */
  done(ms: number): void;
}

export function livePlacement(policy: PlacementPolicy, bundle: LoadedBundle, needs: JobNeeds, log?: (rec: DecisionRecord) => void): LivePlacement {
  let pending: { f: FragmentView; h: HubView; d: Decision; n: number } | undefined;
  const fragmentView = (id: number, at: string | undefined, stateBytes: number): FragmentView => {
    const meta = bundle.manifest.fragments[id].meta;
    return {
      template: `${bundle.hash.slice(0, 16)}#${id}`,
      estimate: meta.cost.estimate,
      stateBytes,
      calls: { simd: meta.capabilities.some((c) => c.startsWith('weave:host/simd.')), gpu: meta.capabilities.some((c) => c.startsWith('weave:host/gpu.')) },
      requires: needs.requires,
      // Sizes are not known before the reads; 64 MiB stands for "a dataset".
      datasets: needs.datasets.map((name) => ({ name, bytes: 64 << 20 })),
      at,
      // As hubs measure it (live-part.ts): the learned weaver reads their history by it.
      parts: [livePart(bundle.hash, id)],
    };
  };
  const hubView = (h: HubInfo): HubView => ({
    id: h.id, slots: h.load?.slots ?? 1, busy: h.load?.busy ?? 0, queue: h.load?.queue ?? 0, cpu: h.load?.cpu ?? 0, speed: h.caps?.speed ?? 1,
    caps: { avx2: !!h.caps?.avx2, gpu: !!h.caps?.gpu }, datasets: h.datasets ?? [], rttMs: h.rttMs ?? LIVE_LINK.rttMs, mbps: LIVE_LINK.mbps,
    // Not the advert's queuedWork/runningWork, nor the job's measured cost: measured live
    // (with the machine's contention in them, and AVX2 runs mixed with others) they do not
    // match the static estimates the policies were tuned on, and live placement got about
    // 10x worse with them (docs/policy.md, "On a real loopback cluster").
  });
  return {
    choose(fragment, at, stateBytes, hubs) {
      const f = fragmentView(fragment, at, stateBytes);
      const views = hubs.map(hubView);
      const d = policy.choose(f, views);
      const h = views.find((v) => v.id === d.hub) ?? views[0];
      pending = { f, h, d, n: views.length };
      return h.id;
    },
    done(ms) {
      if (!pending) return;
      const { f, h, d, n } = pending;
      pending = undefined;
      policy.observe?.(f, h, ms, d);
      log?.({ t: Date.now(), policy: d.policy, fragment: f, hub: h, candidates: n, predictedMs: d.predictedMs, ms });
    },
  };
}
