/** `weave run <module.wasm> [args…]`: run a job on the mesh and print its result. */
import { loadBundle, parseArgs, formatResult } from '../../runtime/exec/index.js';
import { connectMesh, runJob, attachJob, pickEntry, sharedWeaver, type NatsMesh, type Transport, type JobResult, type JobStatus } from '../../runtime/engine/index.js';
import { startEmbeddedMesh } from '../../runtime/hub/index.js';
import { sharedValue, loadOrCreateIdentity, defaultIdentityPath, type SharedValue } from '../../runtime/net/index.js';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { BASELINES, LearnedPolicy, formatDecision, withHoldback, type DecisionRecord, type LearnedState, type PlacementPolicy } from '../../runtime/policy/index.js';
import { datasetFlags, durationOption, intOption, UsageError, type Command } from '../command.js';
import { NATS_AUTH_OPTIONS, natsAuthFlags, natsAuthHelp } from '../auth.js';
import { loadModule } from '../module-cache.js';
import { progressLine } from '../progress.js';
import { EXIT, EXIT_HELP } from '../exit-codes.js';
import { formatEvent, resultSummary, type JobEvent } from '../../runtime/trace/index.js';

/** After a Ctrl-C, how long a second one cancels the job instead of leaving it detached. */
const DOUBLE_CTRL_C_MS = 2000;

const POLICY_NAMES = [...Object.keys(BASELINES), 'learned', 'learned+holdback', 'weaver'];

export const run: Command = {
  name: 'run',
  summary: 'run an exported function of a module, woven across hubs',
  help: `usage: weave run <module.wasm> [args…] [options]
       weave run --attach JOBID [--nats URL] [--json | --jsonl] [--trace FILE]

Runs the entry on a mesh of hubs. With --nats (or $NATS_URL) the hubs are 'hub start'
daemons found through that NATS server: a job starts on the capable hub that fits it best
(it holds the datasets the job reads, has the capabilities it prefers; among equals, the
next one in turn), or on the one --policy picks, and stays there across fragments; with
--migrate-every its state goes hub to hub directly. Otherwise the mesh is embedded (hubs
as worker threads of this process): a job starts on the next capable hub in turn and
stays there across fragments; with --migrate-every each run, and with --policy each
fragment, goes to the next hub in turn (or the one the policy picks), the state passing
through this process.

Over NATS with JetStream (nats-server -js) a job has a record on the server: its id is
printed on stderr at the start, the hub that finishes commits the result there exactly
once, and the job outlives this process. Ctrl-C detaches (the job runs on), and a
second Ctrl-C within 2 s cancels it instead (exit 8; weave jobs cancel JOBID does the same
from anywhere); --attach
gets the result of a running or finished job, and resumes it from its newest stored
checkpoint if no hub runs it any more. While a job runs, the engine moves it to a
clearly faster hub when one appears (re-weaving; --no-reweave turns it off).

On a terminal, a progress line on stderr shows the hub, the fragment, yield points passed,
checkpoints, migrations and the time so far, on either mesh (--progress elsewhere too).

Checkpoints between this client and hubs, and between hubs, are sealed (AES-256-GCM,
keys from X25519) to their receiver, and results are signed by the hub that ran them
(hubs advertise their keys; 'hub start --insecure' hubs take plain ones). Checkpoints
hubs store are sealed to this client's identity, kept in $WEAVE_IDENTITY (default
~/.weave/identity.json): --attach from another account needs a copy of that file.

Prints the return value alone on stdout: i64 as a decimal integer, floats as JavaScript
prints them. A plain asc module is woven at load time.
Arguments are numbers matching the entry's parameters (i32, i64, f32, f64). Pass negative
numbers after '--', e.g. weave run m.wasm -- -5.

options:
  --entry NAME          exported function to call (optional when there is only one)
  --json                print one JSON object: result, fragments, checkpoints, migrations,
                        bytesMoved, retries, wallMs, execMs, yields, placements
  --jsonl               print the job's events as JSON lines as they happen (fragment runs,
                        checkpoints, migrations, retries, recoveries; docs/trace.md), then
                        last the --json object with "kind":"result"; nothing else on stdout
  --trace FILE          write the same events to FILE (ndjson), each line as it happens, so
                        a killed run leaves a readable file; draw it with weave trace FILE
  --migrate-every N     pause every N yield points and resume on another hub (N >= 1)
                        (also a hub that is stopped hands its running fragments on)
  --hubs N              number of embedded hubs (default: one per CPU core)
  --nats URL            submit to the hubs on this NATS server; a cluster's URLs comma-
                        separated (default: $NATS_URL; unset: embedded mesh)
  --wait-hubs MS        with --nats, how long to wait for a hub to advertise (default 3000)
${natsAuthHelp(21)}
  --input FILE          the job's input bytes (io.read in the program)
  --output FILE         write the job's output bytes (io.write) there; without it, a job
                        that writes output has it reported on stderr and not kept
  --reads NAME          the job reads dataset NAME: placement prefers hubs that hold it
                        (repeatable)
  --data NAME=PATH      embedded mesh only: every embedded hub serves this dataset
                        (repeatable)
  --policy NAME         placement policy, one of:
                        ${POLICY_NAMES.join(' | ')}
                        (default: round-robin on the embedded mesh; over NATS the best-
                        fitting hub, equals in turn); it places every fragment (embedded)
                        or picks the hub the job starts on (NATS); docs/policy.md.
                        'weaver' (NATS only): the learned weaver, placing from the pace
                        hubs started with --reweave learned measured and share
  --policy-file FILE    the learned policy's state: loaded when it exists (implies
                        --policy learned), saved back after the job with what it learned
  --policy-shared       with --nats: the learned policy lives in the server's JetStream
                        key-value bucket 'weave-policy' (nats-server -js), shared by every
                        engine: loaded before the job, stored after it (implies --policy
                        learned; the last writer wins)
  --decision-log FILE   append every placement and its cost (ndjson) for weave policy
  --checkpoint-every N  with --nats and a JetStream server: hubs store a full checkpoint
                        every N yield points (N), or every so often (500ms, 2s), and a job
                        whose hub dies restarts from the newest one (default: off; it
                        restarts from the engine's copy); repeat to give both
  --attach JOBID        with --nats: wait for job JOBID (printed by the run that submitted
                        it) and print its result, taking it over if its hub is gone
  --no-reweave          with --nats: never move a running fragment to a faster hub
  --timeout DURATION    the job's deadline from submission (500ms, 30s, 5m; a bare number
                        is seconds): while it waits for a capable hub and while it runs.
                        Without it (the default) a job with no capable hub waits for one
                        as long as it takes, saying why on stderr. When it passes: exit 4
                        if no capable hub came, 5 if the job was running (it is stopped)
  --seed N              the value the program's Math.random is seeded with (default
                        0x5eed = 24301, as on every hub: a job draws the same numbers
                        wherever it runs)
  --summary             after the result, one line on stderr: hubs, fragment runs,
                        migrations, bytes moved, time (the default on a terminal;
                        --no-summary turns it off)
  --progress            a progress line on stderr while the job runs (the default on a
                        terminal, redrawn in place; elsewhere a line a second;
                        --no-progress turns it off)
  -h, --help            show this help

${EXIT_HELP}

Settings may also come from the environment and weave.config.json: weave config --help`,
  options: {
    entry: { type: 'string' },
    json: { type: 'boolean' },
    jsonl: { type: 'boolean' },
    trace: { type: 'string' },
    'migrate-every': { type: 'string' },
    hubs: { type: 'string' },
    nats: { type: 'string' },
    ...NATS_AUTH_OPTIONS,
    'wait-hubs': { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    reads: { type: 'string', multiple: true },
    data: { type: 'string', multiple: true },
    policy: { type: 'string' },
    'policy-file': { type: 'string' },
    'policy-shared': { type: 'boolean' },
    'decision-log': { type: 'string' },
    'checkpoint-every': { type: 'string', multiple: true },
    attach: { type: 'string' },
    reweave: { type: 'boolean' },
    seed: { type: 'string' },
    summary: { type: 'boolean' },
    progress: { type: 'boolean' },
    timeout: { type: 'string' },
  },
  async run(values, positionals) {
    if (values.attach !== undefined) return attach(values, positionals);
    if (positionals.length < 1) throw new UsageError('weave run needs a module, e.g. weave run build/matmul.wasm 64 2');
    const [file, ...raw] = positionals;
    const migrateEvery = intOption(values['migrate-every'], '--migrate-every', 1) ?? 0;
    const hubs = intOption(values.hubs, '--hubs', 1, 64);
    const seed = intOption(values.seed, '--seed', 0, 0xffffffff);
    const timeoutMs = durationOption(values.timeout as string | undefined, '--timeout');
    const bundle = await loadModule(file);
    const entry = pickEntry(bundle, values.entry);
    const info = bundle.manifest.entries.find((e) => e.name === entry)!;
    const args = parseArgs(raw, info, (p) => readFileSync(p));
    const natsUrl = values.nats as string | undefined;
    if (natsUrl && hubs !== undefined) throw new UsageError('--hubs sets the size of the embedded mesh; with --nats the hubs are whatever hub daemons run');
    if (!natsUrl && hubs === 1 && migrateEvery) process.stderr.write('weave run: --migrate-every with --hubs 1 pauses and resumes on the one hub; give --hubs 2 or more to move the job\n');
    const waitForHubsMs = intOption(values['wait-hubs'], '--wait-hubs', 0, 600_000);
    const datasets = datasetFlags(values.data as string[] | undefined);
    if (natsUrl && Object.keys(datasets).length) throw new UsageError('--data sets what the embedded hubs serve; with --nats, start hubs with `hub start --data NAME=PATH`');
    let input: Uint8Array | undefined;
    if (values.input) {
      try {
        input = await readFile(values.input as string);
      } catch (e) {
        throw new UsageError(`--input ${values.input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
    }
    const reads = (values.reads ?? []) as string[];
    const policyFile = values['policy-file'] as string | undefined;
    const shared = !!values['policy-shared'];
    if (shared && !natsUrl) throw new UsageError('--policy-shared keeps the policy on the NATS server; give --nats URL (or NATS_URL)');
    if (shared && policyFile) throw new UsageError('use --policy-file or --policy-shared, not both');
    const policyName = (values.policy as string | undefined) ?? (policyFile || shared ? 'learned' : undefined);
    if (policyName !== undefined && !POLICY_NAMES.includes(policyName)) throw new UsageError(`--policy must be one of ${POLICY_NAMES.join(', ')}, got '${policyName}'`);
    if ((policyFile || shared) && !policyName?.startsWith('learned')) throw new UsageError('--policy-file and --policy-shared hold a learned policy; use them with --policy learned');
    if (policyName === 'weaver' && !natsUrl) throw new UsageError("--policy weaver places from what hubs measured (hub start --reweave learned), shared on the NATS server; give --nats URL (or NATS_URL)");
    const decisionLog = values['decision-log'] as string | undefined;
    const onDecision = decisionLog ? (rec: DecisionRecord) => appendFileSync(decisionLog, formatDecision(rec)) : undefined;
    const events = eventOutputs(values);
    const mesh: Transport = await (natsUrl ? connectMesh({ nats: natsUrl, ...natsAuthFlags(values), waitForHubsMs }) : startEmbeddedMesh({ hubs, datasets }))
      .catch((e) => { events.close(); throw e; });
    try {
      const store = shared ? await sharedValue((mesh as NatsMesh).nc, 'weave-policy', 'learned') : undefined;
      const base = policyName === undefined ? undefined : policyName === 'weaver' ? await weaverPlacement(mesh as NatsMesh) : await loadPolicy(policyName, policyFile, store);
      const learned = base instanceof LearnedPolicy ? base : undefined;
      // The holdback sends 5% of decisions to the cost model and falls back to it while
      // the learned policy does worse (runtime/policy/holdback.ts).
      const policy = learned && policyName === 'learned+holdback' ? withHoldback(learned, BASELINES['cost-model']()) : base;
      const { storeEvery, storeEveryMs } = checkpointEvery((values['checkpoint-every'] ?? []) as string[]);
      if ((storeEvery || storeEveryMs) && !natsUrl) throw new UsageError('--checkpoint-every stores checkpoints in the NATS server; give --nats URL (or NATS_URL)');
      // Over NATS with JetStream, every job gets a record, so it can be attached to.
      const durable = natsUrl ? !!(await (mesh as NatsMesh).jobs()) : false;
      const watch = watchJob(natsUrl, durable, showProgress(values), true);
      // The client's identity: checkpoints hubs store for its jobs are sealed to it.
      const identity = natsUrl ? await loadOrCreateIdentity(defaultIdentityPath()) : undefined;
      const r = await runJob(mesh, bundle, {
        identity, entry, args, migrateEvery, input, datasets: reads, policy, onDecision, storeEvery, storeEveryMs, durable, reweave: values.reweave !== false, seed, timeoutMs, signal: watch.signal,
        onStart: watch.onStart, onStatus: watch.onStatus, onEvent: events.onEvent,
      }).finally(watch.end);
      if (learned) {
        const state = JSON.stringify(learned.toJSON()) + '\n';
        if (policyFile) await writeFile(policyFile, state);
        if (store) await store.put(new TextEncoder().encode(state));
      }
      if (values.output) await writeFile(values.output as string, r.output);
      else if (r.output.byteLength) process.stderr.write(`weave: the job wrote ${r.output.byteLength} bytes of output; keep them with --output FILE\n`);
      printResult(r, values);
      if (values.summary ?? (process.stderr.isTTY && !values.json && !values.jsonl)) process.stderr.write(summaryLine(r, raw) + '\n');
      return 0;
    } finally {
      events.close();
      await mesh.close();
    }
  },
};

/** One line a person reads after the result: where it ran, how it moved, how long it took. */
export function summaryLine(r: JobResult, raw: string[]): string {
  const hubs = [...new Set(r.placements.map((p) => p.hub))];
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const mb = r.bytesMoved >= 1e6 ? `${(r.bytesMoved / 1e6).toFixed(1)} MB` : `${Math.round(r.bytesMoved / 1e3)} kB`;
  const call = `${r.entry}(${raw.map((a) => (a.length > 20 ? `${a.slice(0, 17)}...` : a)).join(', ')})`;
  const moved = r.migrations ? `, ${plural(r.migrations, 'migration')} (${mb} moved)` : '';
  return `weave: ${call} on ${plural(hubs.length, 'hub')} (${hubs.slice(0, 4).join(', ')}${hubs.length > 4 ? ', …' : ''}): ${plural(r.placements.length, 'fragment run')}${moved}, ${r.yields} yields, ${(r.wallMs / 1000).toFixed(2)} s`;
}

/** The result on stdout: the value alone, one JSON object (--json), or nothing (--jsonl:
 *  the `result` event, the --json object with its kind, was the last line). */
function printResult(r: JobResult, values: Record<string, unknown>): void {
  if (values.jsonl) return;
  process.stdout.write((values.json ? JSON.stringify(resultSummary(r)) : formatResult(r)) + '\n');
}

/**
 * Where the job's events go: --trace FILE and --jsonl (stdout). Each line is written at
 * once, with a system call, so what a killed run leaves is readable. A trace file that
 * cannot be written stops being written to, with one warning; the job goes on.
 */
function eventOutputs(values: Record<string, unknown>): { onEvent?: (e: JobEvent) => void; close(): void } {
  if (values.json && values.jsonl) throw new UsageError('use --json (one object at the end) or --jsonl (events as they happen, then the result), not both');
  const file = values.trace as string | undefined;
  let fd: number | undefined;
  if (file !== undefined) {
    try {
      fd = openSync(file, 'w');
    } catch (e) {
      throw new UsageError(`--trace ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
    }
  }
  if (fd === undefined && !values.jsonl) return { close() {} };
  return {
    onEvent(e) {
      const line = formatEvent(e);
      if (fd !== undefined) {
        try {
          writeSync(fd, line);
        } catch (err) {
          process.stderr.write(`weave: --trace ${file}: ${(err as Error).message}; no more events are written there\n`);
          try { closeSync(fd); } catch { /* already unusable */ }
          fd = undefined;
        }
      }
      if (values.jsonl) process.stdout.write(line);
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** `weave run --attach JOBID`: the result of a job submitted earlier, by any client. */
async function attach(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const job = values.attach as string;
  if (positionals.length) throw new UsageError(`--attach takes a job id and no module or arguments, got '${positionals.join(' ')}'`);
  if (!/^[0-9a-f]{16}$/.test(job)) throw new UsageError(`--attach needs a job id as printed by weave run (16 hex digits), got '${job}'`);
  const natsUrl = values.nats as string | undefined;
  if (!natsUrl) throw new UsageError('--attach finds jobs on a NATS server; give --nats URL (or NATS_URL)');
  const events = eventOutputs(values);
  const mesh = await connectMesh({ nats: natsUrl, ...natsAuthFlags(values), waitForHubsMs: intOption(values['wait-hubs'] as string | undefined, '--wait-hubs', 0, 600_000) }).catch((e) => { events.close(); throw e; });
  const watch = watchJob(natsUrl, true, showProgress(values));
  try {
    const r = await attachJob(mesh, job, {
      identity: await loadOrCreateIdentity(defaultIdentityPath()), reweave: values.reweave !== false, onStart: watch.onStart, onStatus: watch.onStatus, onEvent: events.onEvent,
    }).catch((e: Error) => {
      throw e.name === 'JobRecordMissing' ? new UsageError(e.message) : e;
    });
    watch.end();
    if (r.output.byteLength) process.stderr.write(`weave: the job wrote ${r.output.byteLength} bytes of output\n`);
    printResult(r, values);
    return 0;
  } finally {
    watch.end();
    events.close();
    await mesh.close();
  }
}

/** --progress, else on a terminal unless stdout is JSON for a script. */
function showProgress(values: Record<string, unknown>): boolean {
  return (values.progress as boolean | undefined) ?? (!!process.stderr.isTTY && !values.json && !values.jsonl);
}

/**
 * What a user sees while a job runs: its id on stderr at the start and, on a terminal, a
 * progress line; Ctrl-C on a job with a record detaches (it runs on) and says how to
 * come back. Nothing on stdout: that is the result's.
 */
function watchJob(natsUrl: string | undefined, durable: boolean, live: boolean, cancellable = false) {
  const progress = live ? progressLine({ tty: !!process.stderr.isTTY }) : undefined;
  let job = '';
  let waitingSaid: string | undefined;
  // Ctrl-C detaches; a second one before the detach is done cancels the job instead.
  const cancel = new AbortController();
  let detaching: NodeJS.Timeout | undefined;
  const onSigint = () => {
    progress?.end();
    if (detaching) {
      clearTimeout(detaching);
      process.off('SIGINT', onSigint);
      process.stderr.write(`weave: cancelling job ${job}: its run stops and its stored checkpoints are deleted; no result will be printed\n`);
      cancel.abort();
      return;
    }
    process.stderr.write(`weave: detached; job ${job} runs on. Its result: weave run --attach ${job} --nats ${natsUrl}\n`);
    if (!cancellable) process.exit(EXIT.detached);
    process.stderr.write(`weave: (Ctrl-C again within ${DOUBLE_CTRL_C_MS / 1000} s cancels the job instead)\n`);
    detaching = setTimeout(() => process.exit(EXIT.detached), DOUBLE_CTRL_C_MS);
  };
  return {
    /** Aborted by a second Ctrl-C: the job is cancelled. */
    signal: cancel.signal,
    onStart(id: string) {
      job = id;
      if (!natsUrl) return;
      process.stderr.write(`weave: job ${id}${durable ? '' : ' (no record: the server has no JetStream, so it cannot be attached to)'}\n`);
      if (durable) process.on('SIGINT', onSigint);
    },
    onStatus(s: JobStatus) {
      // Waiting is said once per reason even with no progress line: a job that seems stuck says why.
      if (s.waiting && !progress) {
        if (s.waiting !== waitingSaid) process.stderr.write(`weave: job ${s.job} waits: ${s.waiting}\n`);
        waitingSaid = s.waiting;
        return;
      }
      progress?.show(s);
    },
    end() {
      process.off('SIGINT', onSigint);
      progress?.end();
    },
  };
}

/** `--checkpoint-every 20000` (yield points), `500ms` or `2s`; each may be given once. */
function checkpointEvery(vals: string[]): { storeEvery?: number; storeEveryMs?: number } {
  const out: { storeEvery?: number; storeEveryMs?: number } = {};
  for (const v of vals) {
    const m = /^(\d+)(ms|s)?$/.exec(v);
    const n = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : 0;
    if (!m || n < 1 || n > 2 ** 31 - 1) throw new UsageError(`--checkpoint-every takes a number of yield points (20000) or a time (500ms, 2s), got '${v}'`);
    const key = m[2] ? 'storeEveryMs' : 'storeEvery';
    if (out[key] !== undefined) throw new UsageError(`--checkpoint-every: give at most one count and one time, got '${vals.join("', '")}'`);
    out[key] = n;
  }
  return out;
}

/**
 * The learned weaver's placement, reading the history hubs measured and share (JetStream
 * KV 'weave-history'): a few hundred ms for the watch to deliver what is stored. Without
 * JetStream it places from adverts alone (its prior), and says so.
 */
async function weaverPlacement(mesh: NatsMesh): Promise<PlacementPolicy> {
  const log = { debug: () => undefined, warn: (msg: string, f: Record<string, unknown>) => process.stderr.write(`weave: ${msg} (${String(f.error)})\n`) };
  return (await sharedWeaver(mesh.nc, log)).weaver.placement;
}

async function loadPolicy(name: string, file: string | undefined, store?: SharedValue): Promise<PlacementPolicy> {
  if (!name.startsWith('learned')) return BASELINES[name as keyof typeof BASELINES]();
  let text: string | undefined;
  if (store) {
    const bytes = await store.get();
    text = bytes && new TextDecoder().decode(bytes);
  } else if (file && existsSync(file)) {
    text = await readFile(file, 'utf8');
  }
  if (text === undefined) return new LearnedPolicy();
  try {
    return LearnedPolicy.fromJSON(JSON.parse(text) as LearnedState);
  } catch (e) {
    throw new UsageError(`${store ? "the shared policy in bucket 'weave-policy'" : `--policy-file ${file}`}: ${(e as Error).message}; make one with weave policy train`);
  }
}
