/** `weave jobs [JOBID]`: the job records on a NATS server: what ran, where, how it ended. */
import { cancelJob, connectMesh } from '../../runtime/engine/index.js';
import { decodeResult, formatResult, loadBundle, resultType } from '../../runtime/exec/index.js';
import { defaultIdentityPath, loadOrCreateIdentity, resolveNatsUrl, type JobRecord, type JobStore } from '../../runtime/net/index.js';
import { intOption, UsageError, type Command } from '../command.js';
import { NATS_AUTH_OPTIONS, natsAuthFlags, natsAuthHelp } from '../auth.js';
import { printTable } from '../table.js';

export const jobs: Command = {
  name: 'jobs',
  summary: 'list recent jobs on a NATS server, or show one: state, attempt, hub, result',
  help: `usage: weave jobs [JOBID] [--nats URL] [TLS and credential flags] [--limit N] [--json]
       weave jobs cancel JOBID [--nats URL]

Reads the job records weave run keeps in the server's JetStream (bucket weave-jobs; a
record lives a day after its last change). Without JOBID: one line per job, most
recently changed first: id, state (running, done, failed, cancelled), attempt, the
hub the attempt was sent to or that committed, entry and arguments, age. With JOBID:
that record in full, with its result when done. Reads at most 2000 records.

'cancel JOBID' cancels a running job: its record says cancelled (no result will be
committed or delivered; the weave run watching it exits 8), the hub running it stops at
its next yield point, and the checkpoints stored for it are deleted. A job already over
is left as it is (exit 0, its state printed).

options:
  --nats URL       NATS server (default: $NATS_URL, else nats://127.0.0.1:4222)
${natsAuthHelp(16)}
  --limit N        jobs listed (default 20)
  --json           print JSON: an array of records, or the one record
  -h, --help       show this help

exit codes: 0 listed, 2 bad input (an unknown JOBID too), 6 NATS refused the credentials
or TLS, 7 NATS unreachable; 1 when the server has no JetStream`,
  options: { nats: { type: 'string' }, ...NATS_AUTH_OPTIONS, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, positionals) {
    if (positionals[0] === 'cancel') return cancel(values, positionals.slice(1));
    if (positionals.length > 1) throw new UsageError(`weave jobs takes at most one job id, got '${positionals.join(' ')}'`);
    const id = positionals[0];
    if (id !== undefined && !/^[0-9a-f]{16}$/.test(id)) throw new UsageError(`a job id is 16 hex digits as weave run prints it, got '${id}'`);
    const limit = intOption(values.limit, '--limit', 1, 2000) ?? 20;
    const url = resolveNatsUrl(values.nats);
    const mesh = await connectMesh({ nats: url, ...natsAuthFlags(values), waitForHubsMs: 0 });
    try {
      const store = await mesh.jobs();
      if (!store) throw new Error(`the NATS server at ${url} keeps no job records: it runs without JetStream (nats-server -js)`);
      if (id !== undefined) {
        const rec = await store.get(id);
        if (!rec) throw new UsageError(`no job ${id} on ${url} (records expire a day after their last change)`);
        const value = await resultValue(store, rec);
        process.stdout.write((values.json ? JSON.stringify({ ...plain(rec), ...(value === undefined ? {} : { value }) }) : detail(rec, value)) + '\n');
        return 0;
      }
      const { records, truncated } = await store.recent(limit);
      if (values.json) {
        process.stdout.write(JSON.stringify(records.map(plain)) + '\n');
        return 0;
      }
      if (!records.length) {
        process.stdout.write(`no jobs on ${url} in the last day\n`);
        return 0;
      }
      const now = Date.now();
      const rows = records.map((r) => [r.job, r.state, String(r.attempt), r.committed?.hub ?? r.owner ?? '-', `${r.entry}(${r.args.map((a) => (a instanceof Uint8Array ? `<${a.byteLength} bytes>` : String(a))).join(', ')})`, age(now - r.updatedAt)]);
      const head = ['JOB', 'STATE', 'ATTEMPT', 'HUB', 'CALL', 'CHANGED'];
      printTable(head, rows, { tone: (c, col) => (col !== 'STATE' ? undefined : c === 'done' ? 'good' : c === 'failed' ? 'bad' : 'warn') });
      if (truncated) process.stderr.write('weave jobs: more than 2000 records; these are the newest of the first 2000 read\n');
      return 0;
    } finally {
      await mesh.close();
    }
  },
};

/** `weave jobs cancel JOBID`: the record, the fence, the stored checkpoints (runtime/engine cancelJob). */
async function cancel(values: Record<string, any>, ids: string[]): Promise<number> {
  if (ids.length !== 1 || !/^[0-9a-f]{16}$/.test(ids[0])) throw new UsageError(`weave jobs cancel takes one job id (16 hex digits as weave run prints it), got '${ids.join(' ')}'`);
  const url = resolveNatsUrl(values.nats);
  const mesh = await connectMesh({ nats: url, ...natsAuthFlags(values), waitForHubsMs: 0 });
  try {
    // This user's identity: the one its weave run signed the job's fences with.
    const { record, cancelled } = await cancelJob(mesh, ids[0], await loadOrCreateIdentity(defaultIdentityPath()));
    if (values.json) process.stdout.write(JSON.stringify({ job: record.job, state: record.state, cancelled }) + '\n');
    else process.stdout.write(cancelled ? `job ${record.job}: cancelled (attempt ${record.attempt})\n` : `job ${record.job} is ${record.state} already; nothing to cancel\n`);
    return 0;
  } finally {
    await mesh.close();
  }
}

/** A record as JSON: bytes as hex, bigints as strings. */
function plain(r: JobRecord): Record<string, unknown> {
  const { result, output, args, ...rest } = r;
  return {
    ...rest, args: args.map((a) => (typeof a === 'bigint' ? String(a) : a instanceof Uint8Array ? { base64: Buffer.from(a).toString('base64') } : a)),
    ...(result ? { result: Buffer.from(result).toString('hex') } : {}),
    ...(output ? { outputBytes: output.byteLength } : {}),
  };
}

function detail(r: JobRecord, value: string | undefined): string {
  const t = (ms: number) => new Date(ms).toISOString();
  const lines = [
    `job ${r.job}: ${r.state}, attempt ${r.attempt}`,
    `  call       ${r.entry}(${r.args.map(String).join(', ')}) of bundle ${r.bundle.slice(0, 16)}…`,
    `  created    ${t(r.createdAt)}; changed ${t(r.updatedAt)}`,
  ];
  if (r.owner) lines.push(`  sent to    ${r.owner}${r.from ? ` (from stored checkpoint ${r.from})` : ''}`);
  if (r.storeEvery || r.storeEveryMs) lines.push(`  checkpoints stored every ${[r.storeEvery ? `${r.storeEvery} yields` : '', r.storeEveryMs ? `${r.storeEveryMs} ms` : ''].filter(Boolean).join(' and ')}`);
  if (r.committed) lines.push(`  committed  by ${r.committed.hub} (attempt ${r.committed.attempt}) at ${t(r.committed.at)}: ${r.committed.yields} yields, ${r.committed.fragments} fragments`);
  if (r.result) lines.push(`  result     ${value ?? `0x${Buffer.from(r.result).toString('hex')}`}`);
  if (r.error) lines.push(`  error      ${r.error.code}: ${r.error.message}`);
  return lines.join('\n');
}

/**
 * The result as weave run prints it: the record keeps its bytes, the bundle (kept beside
 * the record) says their type. Undefined when there is none or the bundle is gone.
 */
async function resultValue(store: JobStore, r: JobRecord): Promise<string | undefined> {
  if (!r.result) return undefined;
  try {
    const bytes = await store.bundle(r.bundle);
    const entry = bytes && (await loadBundle(bytes)).manifest.entries.find((e) => e.name === r.entry);
    if (!entry) return undefined;
    const type = resultType(entry);
    if (type.kind === 'void') return undefined;
    return formatResult({ value: decodeResult(type, r.result) });
  } catch {
    return undefined;
  }
}

function age(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3600_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3600_000)} h ago`;
}
