/**
 * A hub's Prometheus metrics (prom-client), and the HTTP endpoint that serves them
 * (`hub start --metrics-port`). The daemon counts at the points where things happen (a run
 * ends, a checkpoint is stored, a hand-over is acknowledged), never on the yield path;
 * gauges are read from the slots when scraped. Every series carries the `hub` label.
 * Names, labels and meanings: docs/operations.md, "Metrics and logs".
 *   const m = new HubMetrics('a'); m.ran('done', 3);
 *   const server = await serveMetrics(m, { host: '127.0.0.1', port: 9464 });  // GET /metrics
 *   await server.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MetricsError } from './errors.js';

/**
 * How a run of an exec on a slot ended. `done`: the job's result; `next`: a fragment
 * boundary, back to the engine (not routed); `paused`: paused, its state back to the
 * engine; `handed-over`: paused and taken over by the next hub; `trapped`: the program
 * trapped; `fenced`: dropped, a newer attempt of the job started; `failed`: any other error.
 */
export type RunOutcome = 'done' | 'next' | 'paused' | 'handed-over' | 'trapped' | 'fenced' | 'failed';
const RUN_OUTCOMES: readonly RunOutcome[] = ['done', 'next', 'paused', 'handed-over', 'trapped', 'fenced', 'failed'];

/** `sent`: to another hub or back to an engine; `received`: in exec requests; `stored`: put in JetStream. */
export type CheckpointDirection = 'sent' | 'received' | 'stored';
const DIRECTIONS: readonly CheckpointDirection[] = ['sent', 'received', 'stored'];

/** Why an attempt of a job began on this hub (ExecRequest.recovery), and from what state. */
export type RecoveryReason = 'retry' | 'takeover';
export type RecoveryFrom = 'stored' | 'engine' | 'start';

/** The slots as they are now, read at each scrape. */
export interface SlotLoad { slots: number; running: number; queued: number }

/**
 * Policy names come off the wire: past this many distinct ones, the rest count as
 * `other`, so a misbehaving peer cannot grow the series without bound.
 */
const MAX_POLICY_LABELS = 32;

/** Pause to hand-over acknowledged: a LAN migration takes milliseconds, a 1 GiB state seconds. */
const MIGRATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class HubMetrics {
  /** This hub's own registry (not prom-client's global one): hubs in one process stay apart. */
  readonly registry = new Registry();
  private load: () => SlotLoad = () => ({ slots: 0, running: 0, queued: 0 });
  private readonly policies = new Set<string>();
  private processMetrics = false;

  private readonly runs: Counter<'outcome'>;
  private readonly completed: Counter;
  private readonly checkpointBytes: Counter<'direction'>;
  private readonly stored: Counter;
  private readonly migration: Histogram;
  private readonly decisions: Counter<'policy'>;
  private readonly errors: Counter<'code'>;
  private readonly recoveries: Counter<'reason' | 'from'>;

  constructor(hub: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ hub });
    this.runs = new Counter({
      name: 'weave_fragment_runs_total', help: 'Runs of an exec on this hub\'s slots, by how they ended', labelNames: ['outcome'], registers,
    });
    this.completed = new Counter({ name: 'weave_fragments_completed_total', help: 'Fragments run to their end here (one run in stay mode completes several)', registers });
    this.checkpointBytes = new Counter({
      name: 'weave_checkpoint_bytes_total', help: 'Encoded checkpoint bytes (sealed, as on the wire): sent to hubs and engines, received in exec requests, stored in JetStream',
      labelNames: ['direction'], registers,
    });
    this.stored = new Counter({ name: 'weave_checkpoints_stored_total', help: 'Periodic checkpoints stored in JetStream (--checkpoint-every)', registers });
    this.migration = new Histogram({
      name: 'weave_migration_seconds', help: 'From a fragment\'s pause here to the next hub acknowledging it restored (this hub\'s clock)',
      buckets: MIGRATION_BUCKETS, registers,
    });
    this.decisions = new Counter({
      name: 'weave_placement_decisions_total', help: 'Placements this hub was chosen by (exec from an engine, by the policy it names) or asked to carry out (re-weave moves)',
      labelNames: ['policy'], registers,
    });
    this.errors = new Counter({ name: 'weave_exec_errors_total', help: 'Exec requests answered with an error, by code (trap, fenced, draining included)', labelNames: ['code'], registers });
    this.recoveries = new Counter({
      name: 'weave_job_recoveries_total', help: 'Attempts started here after a job\'s hub was lost or failed (retry) or by a client taking an orphaned job over (takeover), by the state they start from',
      labelNames: ['reason', 'from'], registers,
    });
    const load = () => this.load();
    const gauge = (name: string, help: string, read: (l: SlotLoad) => number) => new Gauge({
      name, help, registers, collect() { this.set(read(load())); },
    });
    gauge('weave_slots', 'Slots (fragments run at once)', (l) => l.slots);
    gauge('weave_fragments_running', 'Fragments running on a slot now', (l) => l.running);
    gauge('weave_slots_free', 'Slots running nothing now', (l) => l.slots - l.running);
    gauge('weave_queued_runs', 'Runs waiting for a busy slot', (l) => l.queued);
    // Known label values start at 0, so a rate() over the first event is right.
    for (const o of RUN_OUTCOMES) this.runs.inc({ outcome: o }, 0);
    for (const d of DIRECTIONS) this.checkpointBytes.inc({ direction: d }, 0);
  }

  /** Where the gauges read the slots from (the daemon, once it has them). */
  watchSlots(load: () => SlotLoad): void {
    this.load = load;
  }

  /** Node's process metrics too (CPU, memory, event loop lag, GC), unprefixed as is usual. */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  ran(outcome: RunOutcome, fragmentsCompleted: number): void {
    this.runs.inc({ outcome });
    if (fragmentsCompleted > 0) this.completed.inc(fragmentsCompleted);
  }

  checkpoint(direction: CheckpointDirection, bytes: number): void {
    this.checkpointBytes.inc({ direction }, bytes);
    if (direction === 'stored') this.stored.inc();
  }

  migrated(seconds: number): void {
    this.migration.observe(Math.max(0, seconds));
  }

  placed(policy: string): void {
    if (!this.policies.has(policy)) {
      if (this.policies.size >= MAX_POLICY_LABELS) policy = 'other';
      else this.policies.add(policy);
    }
    this.decisions.inc({ policy });
  }

  failed(code: string): void {
    this.errors.inc({ code });
  }

  recovered(reason: RecoveryReason, from: RecoveryFrom): void {
    this.recoveries.inc({ reason, from });
  }
}

export interface MetricsServer {
  /** Where Prometheus scrapes, e.g. http://127.0.0.1:9464/metrics (the real port when 0 was asked). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serve `metrics` at `GET /metrics` on host:port (port 0: one the system picks). Throws
 * MetricsError when it cannot listen there (the port is in use, the host is not this
 * machine's, a privileged port).
 */
export async function serveMetrics(metrics: HubMetrics, where: { host: string; port: number }): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: metrics are at GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (e: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`cannot collect metrics: ${e.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EACCES' ? 'permission denied (a port below 1024?)'
        : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' ? `'${where.host}' is not an address of this machine` : e.message;
      reject(new MetricsError(`cannot serve metrics on ${where.host}:${where.port}: ${why}`, { cause: e }));
    });
    server.listen(where.port, where.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
