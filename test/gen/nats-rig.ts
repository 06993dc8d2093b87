/**
 * Runs woven bundles across hub processes: a real nats-server, `hub start` daemons, and
 * `weave run FILE ARGS --entry E --nats URL --migrate-every N --json`, which moves the job
 * from hub to hub every N yield points. What it prints is compared with plain asc's result
 * as `weave run` prints values (String(value): a NaN's payload and -0's sign are lost).
 *   const rig = await NatsRig.start(2);
 *   const o = await rig.run(bundleBytes, sig, ['3', '-1'], 5);   // { printed } or { trap } …
 *   await rig.stop();
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startNatsServer, startHubProcess, runCli, type NatsServer, type HubProcess } from '../helpers/nats-server.js';
import { essentialTrap, type Outcome } from './outcome.js';
import type { ExportSig } from './generate.js';

export type NatsOutcome = { printed: string } | { trap: string } | { error: string };

export class NatsRig {
  private constructor(private readonly server: NatsServer, private readonly hubs: HubProcess[], private readonly dir: string) {}

  /** A nats-server and `hubs` hub processes (one slot each; checkpoints between them sealed, as by default). */
  static async start(hubs = 2): Promise<NatsRig> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-gen-nats-'));
    const server = await startNatsServer();
    const started: HubProcess[] = [];
    try {
      for (let i = 0; i < hubs; i++) started.push(await startHubProcess(server.url, `gen${i}`, ['--slots', '1', '--no-gpu'], env(dir)));
    } catch (err) {
      for (const h of started) await h.stop('SIGKILL');
      await server.stop();
      throw err;
    }
    return new NatsRig(server, started, dir);
  }

  get hubCount(): number { return this.hubs.length; }

  /** Run one case; never throws for what the job did (a trap, a weave error is an outcome). */
  async run(bundle: Uint8Array, sig: ExportSig, args: string[], migrateEvery: number): Promise<NatsOutcome> {
    const file = path.join(this.dir, `${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}.wasm`);
    writeFileSync(file, bundle);
    const r = await runCli('weave', ['run', file, '--entry', sig.name, '--nats', this.server.url, '--migrate-every', String(migrateEvery), '--json', '--', ...args], env(this.dir));
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    let out: any;
    try {
      out = JSON.parse(line);
    } catch {
      return { error: `weave run exited ${r.status} without JSON: ${r.stderr.trim().slice(-300)}` };
    }
    if (out.kind === 'error') {
      const e = out.error;
      if (e.name === 'FragmentTrap' || e.code === 'trap') return { trap: essentialTrap(e.message) };
      return { error: `${e.name} ${e.code ?? ''}: ${e.message}` };
    }
    return { printed: String(out.result) };
  }

  /** Hub processes still running (a hub that died is a finding too). */
  alive(): number {
    return this.hubs.filter((h) => h.proc.exitCode === null && h.proc.signalCode === null).length;
  }

  async stop(): Promise<void> {
    for (const h of this.hubs) await h.stop();
    await this.server.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The client identity lives in the rig's folder, not in ~/.weave. */
function env(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, WEAVE_IDENTITY: path.join(dir, 'identity.json'), WEAVE_CONFIG: 'none' };
}

/** What `weave run` said, as an outcome to compare with plain asc's (sameOutcome). */
export function natsOutcome(got: NatsOutcome): Outcome {
  if ('printed' in got) return { kind: 'printed', text: got.printed };
  if ('trap' in got) return { kind: 'trap', message: got.trap };
  return { kind: 'error', message: got.error };
}
