/**
 * The jobs of a simulation, drawn from its seed: each template's true work (hidden: the
 * static estimate is off by a lognormal factor per template), and the arrivals (Poisson),
 * each with its program, size and dataset. The simulator and the exact small-instance
 * solver (exact.ts) draw them here, so both see the same jobs.
 *   const inst = makeInstance({ programs, jobs: 40, interarrivalMs: 150, seed: 2, datasets });
 *   inst.work(inst.jobs[0], inst.jobs[0].program.fragments[0])   // true units
 */
import { rng, type FragmentTemplate, type Program } from './model.js';

export interface InstanceOptions {
  programs: Program[];
  jobs: number;
  interarrivalMs: number;
  /** Dataset names a job that reads picks from. */
  datasets: readonly string[];
  seed?: number;
  /** @default 0.05 */
  msPerEstimate?: number;
  /** @default 0.6 */
  estimateSigma?: number;
  /** @default 0.3 */
  sizeSigma?: number;
  /** After the first `jobs` arrivals, none for `ms` (so the cluster empties before the rest). */
  pauseAfter?: { jobs: number; ms: number };
}

export interface JobSpec {
  id: number;
  program: Program;
  /** The scale of its arguments: its work is its fragments' times this. */
  size: number;
  dataset?: string;
  arrival: number;
}

export interface Instance {
  jobs: JobSpec[];
  /** The last arrival. */
  horizon: number;
  /** True units of work of fragment `f` in `job`. */
  work(job: Pick<JobSpec, 'size'>, f: FragmentTemplate): number;
  /** The seeded stream, where the jobs left it (the simulator draws failures from it). */
  rand: () => number;
}

export function makeInstance(opts: InstanceOptions): Instance {
  const r = rng(opts.seed ?? 1);
  const msPerEstimate = opts.msPerEstimate ?? 0.05;
  const sigma = opts.estimateSigma ?? 0.6;
  const sizeSigma = opts.sizeSigma ?? 0.3;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  // Per template: how far its true work is from what the static estimate says (hidden).
  const trueFactor = new Map<string, number>();
  for (const p of opts.programs) for (const f of p.fragments) if (!trueFactor.has(f.template)) trueFactor.set(f.template, Math.exp(sigma * gauss()));
  const jobs: JobSpec[] = [];
  let t = 0;
  for (let id = 0; id < opts.jobs; id++) {
    if (opts.pauseAfter && id === opts.pauseAfter.jobs) t += opts.pauseAfter.ms;
    t += -Math.log(1 - r()) * opts.interarrivalMs;
    const program = opts.programs[Math.floor(r() * opts.programs.length)];
    const usesData = program.fragments.some((f) => f.data);
    // Mean 1 whatever the spread: a family's wider spread changes the mix, not the load.
    const size = Math.exp(sizeSigma * gauss() - (sizeSigma * sizeSigma) / 2);
    const dataset = usesData ? opts.datasets[Math.floor(r() * opts.datasets.length)] : undefined;
    jobs.push({ id, program, size, dataset, arrival: t });
  }
  return {
    jobs, horizon: t, rand: r,
    work: (job, f) => f.estimate * msPerEstimate * trueFactor.get(f.template)! * job.size,
  };
}
