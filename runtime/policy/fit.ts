/**
 * Which hubs can run a job, best first: hubs lacking a required capability are left out;
 * the rest are ranked by the datasets they hold that the job reads, then by the preferred
 * capabilities they have (AVX2 for simd calls, a GPU for gpu calls). Hubs that rank the
 * same keep their given order, so a caller's rotation still spreads jobs among them.
 *   const needs = jobNeeds(manifest, ['points']);
 *   const route = rankHubs(hubs, needs);           // [] when no hub has a required capability
 */
import type { Capability, Manifest } from '../../fragments/abi.js';
import { HOST_MODULE_PREFIX } from '../../fragments/abi.js';

export interface HubTraits {
  id: string;
  caps?: { avx2?: boolean; gpu?: boolean };
  datasets?: readonly string[];
}

export interface JobNeeds {
  requires: Capability[];
  prefers: Capability[];
  datasets: string[];
}

/** Interface of the host ABI -> the capability that makes it fast. */
const PREFERS: Record<string, Capability> = { simd: 'avx2', gpu: 'gpu' };

/** What a bundle's fragments call, as needs; `datasets` adds what the job is known to read. */
export function jobNeeds(manifest: Manifest, datasets: readonly string[] = []): JobNeeds {
  const prefers = new Set<Capability>();
  const read = new Set(datasets);
  for (const f of manifest.fragments) {
    for (const call of f.meta.capabilities) {
      if (!call.startsWith(HOST_MODULE_PREFIX)) continue;
      const iface = call.slice(HOST_MODULE_PREFIX.length).split('.')[0];
      if (PREFERS[iface]) prefers.add(PREFERS[iface]);
    }
    for (const d of f.meta.datasets) read.add(d);
  }
  const requires = [...(manifest.requires ?? [])];
  return { requires, prefers: [...prefers].filter((c) => !requires.includes(c)).sort(), datasets: [...read].sort() };
}

/** How well hub `h` fits (higher is better): the job's datasets it holds, then the preferred capabilities it has. */
export function fitScore(h: HubTraits, needs: JobNeeds): number {
  const held = needs.datasets.filter((d) => h.datasets?.includes(d)).length;
  const prefs = needs.prefers.filter((c) => h.caps?.[c]).length;
  return held * 1000 + prefs;
}

/** Hubs that have every required capability, best first (stable within a rank). */
export function rankHubs<H extends HubTraits>(hubs: readonly H[], needs: JobNeeds): H[] {
  return hubs
    .filter((h) => needs.requires.every((c) => h.caps?.[c]))
    .map((h, i) => ({ h, i, s: fitScore(h, needs) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.h);
}

/** Why no hub fits, for an error message: the required capabilities and who has what. */
export function describeMisfit(hubs: readonly HubTraits[], needs: JobNeeds): string {
  const have = hubs.map((h) => `${h.id} (${CAPS_OF(h) || 'no avx2, no gpu'})`).join(', ');
  return `the job requires ${needs.requires.join(' and ')}, which no live hub has; hubs: ${have || 'none'}`;
}

const CAPS_OF = (h: HubTraits) => (['avx2', 'gpu'] as const).filter((c) => h.caps?.[c]).join(', ');
