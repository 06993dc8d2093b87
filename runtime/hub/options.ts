/**
 * What a hub is told at start (`HubOptions`, each field with its default), compiled once
 * into `ResolvedHubOptions`, so defaults and checks live here alone. Test and benchmark
 * knobs that make a hub pretend to be another machine are not options of a production
 * hub: they are `HubEmulation`, passed apart.
 *   const resolved = resolveHubOptions({ nats: 'nats://127.0.0.1:4222', name: 'a' });   // throws HubConfigError
 */
import os from 'node:os';
import type { SandboxLimits } from '../exec/index.js';
import { natsAuthOf, type NatsAuth } from '../net/index.js';
import { isSubjectToken } from '../protocol/index.js';
import { HubConfigError, MetricsError } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { REWEAVE_KINDS, type ReweaveKind } from './reweaving.js';
import type { WeaverState } from '../policy/index.js';

export const MAX_SLOTS = 256;

export interface HubOptions extends NatsAuth {
  /** NATS server URL(s), comma-separated. */
  nats: string;
  /** Hub id: one subject token. @default <hostname>-<pid> */
  name?: string;
  /** Fragments run at once (worker threads). @default one per core */
  slots?: number;
  /** Datasets this hub holds and serves: name -> file path. @default none */
  datasets?: Record<string, string>;
  /** Labels advertised as they are. @default none */
  labels?: Record<string, string>;
  /** @default 2000 */
  advertEveryMs?: number;
  /** How often the hub's heartbeat thread beats; engines take a hub silent for 4 beats as lost (runtime/engine MISSED_BEATS). @default 200 */
  heartbeatMs?: number;
  /** Longest a drain waits for running fragments to pause. @default 30000 */
  drainTimeoutMs?: number;
  /** @default a pino logger on stderr with `hub` set */
  log?: Logger;
  /** Probe for a WebGPU adapter and serve `gpu` calls on it. @default true */
  gpu?: boolean;
  /** No sealing identity: take plain checkpoints; results are still signed (benchmarks against secure mode). @default false */
  insecure?: boolean;
  /**
   * Serve Prometheus metrics at http://host:port/metrics (port 0: one the system picks;
   * the ready line logs it). `host` @default 127.0.0.1. @default not served
   */
  metrics?: { port: number; host?: string };
  /** Limits of every run on this hub's slots (runtime/exec/limits.ts). @default the exec defaults */
  sandbox?: SandboxLimits;
  /**
   * Stay or move, decided here for the jobs this hub runs (reweaving.ts): `learned` (the
   * learned weaver, measuring and sharing pace), `fixed` (the fixed rule over adverts), or
   * `off` (engines re-weave with the fixed rule). @default 'off'
   */
  reweave?: ReweaveKind;
  /**
   * With `reweave: 'learned'`: what the weaver starts from (a state `weave policy train
   * --weaver` wrote, or a weaver's toJSON()), and where every measurement it makes is
   * appended as ndjson (what `weave policy train --weaver` learns from). @default neither
   */
  weaverState?: WeaverState;
  measurementLog?: string;
}

/**
 * Test and benchmark knobs: one machine playing a mesh of different machines. Not for
 * production hubs (they would advertise a speed they do not have).
 */
export interface HubEmulation {
  /** Run fragments as if this many times slower. @default 1 */
  throttle?: number;
  /** Change the throttle while running: at `atMs` after start, to `factor`. @default none */
  throttleAt?: Array<{ atMs: number; factor: number }>;
  /**
   * A noisy neighbour: from `atMs` after start, run fragments `factor` times slower without
   * advertising it (the advertised speed stays; only measuring shows it). @default none
   */
  noiseAt?: Array<{ atMs: number; factor: number }>;
  /** Dataset ranges served to other hubs wait `delayMs` plus their size at `mbps` (0: no limit). @default none */
  dataLink?: { delayMs: number; mbps: number };
}

/** How often a hub beats: sub-second, so a lost hub's job resumes elsewhere within a second. */
export const DEFAULT_HEARTBEAT_MS = 200;

/** HubOptions with every default applied and every value checked, once. */
export interface ResolvedHubOptions {
  nats: string;
  auth: NatsAuth;
  name: string;
  slots: number;
  datasets: Record<string, string>;
  labels: Record<string, string>;
  advertEveryMs: number;
  heartbeatMs: number;
  drainTimeoutMs: number;
  log: Logger;
  gpu: boolean;
  insecure: boolean;
  metrics: { host: string; port: number } | undefined;
  sandbox: SandboxLimits;
  reweave: ReweaveKind;
  weaverState: WeaverState | undefined;
  measurementLog: string | undefined;
  emulation: Required<HubEmulation>;
}

/** Apply defaults and check values. Throws HubConfigError (MetricsError for `metrics`) naming the bad option. */
export function resolveHubOptions(opts: HubOptions, emulation: HubEmulation = {}): ResolvedHubOptions {
  const name = opts.name ?? defaultHubName();
  if (!isSubjectToken(name)) throw new HubConfigError(`hub name '${name}' must be 1-64 letters, digits, '-' or '_'`);
  for (const d of Object.keys(opts.datasets ?? {})) {
    if (!isSubjectToken(d)) throw new HubConfigError(`dataset name '${d}' must be 1-64 letters, digits, '-' or '_'`);
  }
  const slots = opts.slots ?? os.availableParallelism();
  if (!Number.isInteger(slots) || slots < 1 || slots > MAX_SLOTS) throw new HubConfigError(`slots must be an integer from 1 to ${MAX_SLOTS}, got ${slots}`);
  const m = opts.metrics;
  if (m && (!Number.isInteger(m.port) || m.port < 0 || m.port > 65535)) throw new MetricsError(`the metrics port must be an integer from 0 to 65535, got ${m.port}`);
  if (m?.host !== undefined && !m.host) throw new MetricsError('the metrics host must not be empty');
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  if (!Number.isInteger(heartbeatMs) || heartbeatMs < 20 || heartbeatMs > 60_000) throw new HubConfigError(`the heartbeat interval must be an integer from 20 to 60000 ms, got ${heartbeatMs}`);
  const reweave = opts.reweave ?? 'off';
  if (!REWEAVE_KINDS.includes(reweave)) throw new HubConfigError(`reweave must be one of ${REWEAVE_KINDS.join(', ')}, got '${reweave}'`);
  if ((opts.weaverState || opts.measurementLog) && reweave !== 'learned') throw new HubConfigError("a weaver state and a measurement log are the learned weaver's: use them with reweave 'learned'");
  const throttle = emulation.throttle ?? 1;
  if (!(throttle >= 1)) throw new HubConfigError(`the emulated throttle must be at least 1, got ${throttle}`);
  return {
    nats: opts.nats, auth: natsAuthOf(opts), name, slots,
    datasets: opts.datasets ?? {}, labels: opts.labels ?? {},
    advertEveryMs: opts.advertEveryMs ?? 2000, heartbeatMs, drainTimeoutMs: opts.drainTimeoutMs ?? 30_000,
    log: opts.log ?? createLogger({ hub: name }),
    gpu: opts.gpu ?? true,
    insecure: opts.insecure ?? false,
    metrics: m && { host: m.host ?? '127.0.0.1', port: m.port },
    sandbox: opts.sandbox ?? {},
    reweave, weaverState: opts.weaverState, measurementLog: opts.measurementLog,
    emulation: { throttle, throttleAt: emulation.throttleAt ?? [], noiseAt: emulation.noiseAt ?? [], dataLink: emulation.dataLink ?? { delayMs: 0, mbps: 0 } },
  };
}

export function defaultHubName(): string {
  return `${os.hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${process.pid}`;
}
