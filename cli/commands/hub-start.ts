/** `hub start`: run a hub daemon connected to a NATS server, until SIGINT/SIGTERM. */
import { unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LearnedWeaver, type WeaverState } from '../../runtime/policy/index.js';
import { createLogger, startHub, LOG_FORMATS, REWEAVE_KINDS, type ReweaveKind } from '../../runtime/hub/index.js';
import { resolveNatsUrl } from '../../runtime/net/index.js';
import { datasetFlags, intOption, pairs, UsageError, type Command } from '../command.js';
import { NATS_AUTH_OPTIONS, natsAuthFlags, natsAuthHelp } from '../auth.js';

export const hubStart: Command = {
  name: 'start',
  summary: 'start a hub daemon on this node, serving fragments over NATS',
  help: `usage: hub start [--nats URL] [TLS and credential flags] [--name ID] [--slots N] [--data NAME=PATH]… [--label K=V]… [--metrics-port P]

Connects to a NATS server, advertises this node's capabilities and load every few seconds,
and runs the fragments weave engines send it, one per slot (worker threads). Reconnects
after server restarts. On SIGINT/SIGTERM it drains: running fragments pause at their next
yield point and go back to their engines, which resume them on other hubs; a second
signal exits at once. Logs go to stderr: JSON lines, or pretty lines when stderr is a
terminal (--log-format; WEAVE_LOG_LEVEL=debug for more); lines about a job carry its
'job' and 'fragment'. Metrics and log fields: docs/operations.md.

options:
  --nats URL       NATS server(s), comma-separated (default: $NATS_URL, else nats://127.0.0.1:4222)
${natsAuthHelp(16)}
  --name ID        hub id, letters, digits, '-' and '_' (default: <hostname>-<pid>)
  --slots N        fragments run at once (default: one per CPU core)
  --heartbeat-ms MS how often the hub's heartbeat thread tells engines it is alive
                   (default 200); a hub silent for 4 beats is taken for lost and its
                   jobs resume elsewhere. A busy hub keeps beating (its own thread)
  --data NAME=PATH advertise a dataset held at PATH (repeatable)
  --label K=V      advertise a label, e.g. --label zone=eu (repeatable)
  --no-gpu         do not probe for a WebGPU adapter (gpu calls then run on the CPU)
  --throttle F     run fragments as if this machine were F times slower (benchmarks of
                   placement with several hubs on one machine; default 1)
  --reweave off|fixed|learned
                   stay or move, decided by this hub for the jobs it runs: 'learned'
                   measures each job's pace here (and, while idle, times itself for
                   20 ms every 2 s), shares what it measured with the other
                   hubs (JetStream KV 'weave-history') and moves a job when another hub
                   on its route likely finishes it sooner, the move's cost counted;
                   'fixed' moves on adverts alone (1.5x the pace); 'off' (default) leaves
                   it to engines (docs/policy.md)
  --weaver-file FILE
                   with --reweave learned: start from this learned weaver (weave policy
                   train --weaver writes one) rather than from nothing
  --measurement-log FILE
                   with --reweave learned: append every pace it measures to FILE
                   (ndjson), to train a weaver offline with weave policy train --weaver
  --insecure       no sealing key: take plain checkpoints, still sign results (for
                   benchmarks of what sealing costs; default: a fresh Ed25519 + X25519
                   identity, advertised, and only sealed checkpoints are taken)
  --throttle-at MS:F change the throttle to F at MS milliseconds after start, e.g.
                   --throttle-at 4000:8 (a hub overloaded mid-job, for re-weaving
                   benchmarks; repeatable)
  --noise-at MS:F  from MS milliseconds after start, run fragments F times slower without
                   saying so in the advert (a noisy neighbour, for re-weaving benchmarks
                   and tests; repeatable)
  --data-link-delay-ms MS, --data-link-mbps MBPS
                   emulate a slower link for the dataset ranges this hub serves to
                   others: each reply waits MS plus its size at MBPS megabits/s (for
                   benchmarks and tests on one machine; default: no shaping)
  --max-memory-mib N
                   sandbox: most memory one fragment may have (default 1024); a
                   memory.grow beyond it is refused ('memory-limit')
  --deadline-ms MS sandbox: wall-clock limit of one run (default 900000); a run past
                   it stops at its next yield point ('deadline-exceeded'), and a slot
                   stuck 5 s longer without one gets a fresh worker thread
  --metrics-port P serve Prometheus metrics at http://HOST:P/metrics (0: a free port,
                   logged in the 'ready' line as 'metrics'; default: not served)
  --metrics-host HOST
                   address the metrics endpoint listens on (default 127.0.0.1; 0.0.0.0
                   for every interface)
  --pid-file FILE  write the hub's process id there (removed when it stops), so a script
                   can stop it with kill $(cat FILE): it drains as on Ctrl-C
  --log-format json|pretty
                   how log lines look (default: pretty on a terminal, JSON lines
                   otherwise, for jq and log collectors)
  -h, --help       show this help

exit codes: 0 stopped cleanly, 1 the metrics port cannot be listened on (in use, say) or
a fatal error, 2 bad input (a credentials file missing too), 6 NATS refused the
credentials or TLS, 7 NATS unreachable`,
  options: {
    nats: { type: 'string' },
    ...NATS_AUTH_OPTIONS,
    name: { type: 'string' },
    slots: { type: 'string' },
    data: { type: 'string', multiple: true },
    label: { type: 'string', multiple: true },
    gpu: { type: 'boolean' },
    throttle: { type: 'string' },
    insecure: { type: 'boolean' },
    'throttle-at': { type: 'string', multiple: true },
    'noise-at': { type: 'string', multiple: true },
    reweave: { type: 'string' },
    'weaver-file': { type: 'string' },
    'measurement-log': { type: 'string' },
    'data-link-delay-ms': { type: 'string' },
    'data-link-mbps': { type: 'string' },
    'max-memory-mib': { type: 'string' },
    'deadline-ms': { type: 'string' },
    'heartbeat-ms': { type: 'string' },
    'metrics-port': { type: 'string' },
    'metrics-host': { type: 'string' },
    'pid-file': { type: 'string' },
    'log-format': { type: 'string' },
  },
  async run(values, positionals) {
    if (positionals.length) throw new UsageError(`hub start takes no arguments, got '${positionals.join(' ')}'`);
    const format = values['log-format'] as string | undefined;
    if (format !== undefined) {
      if (!(LOG_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')}, got '${format}'`);
      // Read by every logger of this process, the slots' worker threads' among them.
      process.env.WEAVE_LOG_FORMAT = format;
    }
    const datasets = datasetFlags(values.data);
    const maxMemoryMiB = intOption(values['max-memory-mib'], '--max-memory-mib', 1, 4096);
    const deadlineMs = intOption(values['deadline-ms'], '--deadline-ms', 1, 2 ** 31 - 1);
    const metricsPort = intOption(values['metrics-port'], '--metrics-port', 0, 65535);
    const metricsHost = values['metrics-host'] as string | undefined;
    if (metricsHost !== undefined && metricsPort === undefined) throw new UsageError('--metrics-host says where to serve metrics; give --metrics-port P too');
    if (metricsHost === '') throw new UsageError('--metrics-host must not be empty');
    const hub = await startHub({
      nats: resolveNatsUrl(values.nats),
      ...natsAuthFlags(values),
      name: values.name,
      slots: intOption(values.slots, '--slots', 1, 256),
      heartbeatMs: intOption(values['heartbeat-ms'], '--heartbeat-ms', 20, 60_000),
      datasets,
      labels: pairs(values.label, '--label'),
      gpu: values.gpu !== false,
      insecure: !!values.insecure,
      metrics: metricsPort === undefined ? undefined : { port: metricsPort, host: metricsHost },
      reweave: reweaveFlag(values.reweave),
      ...(await weaverFlags(values)),
      sandbox: {
        ...(maxMemoryMiB !== undefined ? { maxMemoryPages: Math.ceil((maxMemoryMiB << 20) / 65536) } : {}),
        ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      },
    }, {
      // Benchmark and test knobs: one machine playing several (docs/operations.md).
      throttle: intOption(values.throttle, '--throttle', 1, 100),
      throttleAt: atFactors(values['throttle-at'], '--throttle-at'),
      noiseAt: atFactors(values['noise-at'], '--noise-at'),
      dataLink: {
        delayMs: intOption(values['data-link-delay-ms'], '--data-link-delay-ms', 0, 60_000) ?? 0,
        mbps: intOption(values['data-link-mbps'], '--data-link-mbps', 1, 1_000_000) ?? 0,
      },
    });
    const log = createLogger({ hub: hub.id });
    // The hub's own pid: `npx hub start … &` leaves npm's pid in $!, and killing npm
    // leaves the hub running. kill $(cat FILE) drains it like Ctrl-C.
    const pidFile = values['pid-file'] as string | undefined;
    if (pidFile) {
      writeFileSync(pidFile, `${process.pid}\n`);
      void hub.closed.finally(() => { try { unlinkSync(pidFile); } catch { /* already gone */ } });
    }
    let signals = 0;
    const onSignal = (sig: string) => {
      if (++signals > 1) process.exit(1);
      log.info('signal', { signal: sig });
      void hub.stop();
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    await hub.closed;
    return 0;
  },
};

/** `MS:F` flags (repeatable), F from 1 to 100. */
function atFactors(vals: unknown, flag: string): Array<{ atMs: number; factor: number }> {
  return ((vals ?? []) as string[]).map((v) => {
    const m = /^(\d+):(\d+)$/.exec(v);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 100) throw new UsageError(`${flag} takes MS:F with F from 1 to 100, e.g. 4000:8; got '${v}'`);
    return { atMs: Number(m[1]), factor: Number(m[2]) };
  });
}

/** --weaver-file and --measurement-log, which only a learned re-weaving hub takes. */
async function weaverFlags(values: Record<string, unknown>): Promise<{ weaverState?: WeaverState; measurementLog?: string }> {
  const file = values['weaver-file'] as string | undefined;
  const measurementLog = values['measurement-log'] as string | undefined;
  if ((file || measurementLog) && values.reweave !== 'learned') throw new UsageError(`${file ? '--weaver-file' : '--measurement-log'} is the learned weaver's: add --reweave learned`);
  if (!file) return { measurementLog };
  let state: WeaverState;
  try {
    state = JSON.parse(await readFile(file, 'utf8')) as WeaverState;
    LearnedWeaver.fromJSON(state);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UsageError(`--weaver-file ${file}: ${why}; make one with weave policy train --weaver LOG -o FILE`);
  }
  return { weaverState: state, measurementLog };
}

function reweaveFlag(v: unknown): ReweaveKind | undefined {
  if (v === undefined) return undefined;
  if (!(REWEAVE_KINDS as readonly unknown[]).includes(v)) throw new UsageError(`--reweave must be one of ${REWEAVE_KINDS.join(', ')}, got '${String(v)}'`);
  return v as ReweaveKind;
}
