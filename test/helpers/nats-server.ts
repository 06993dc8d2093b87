/**
 * A real nats-server (Debian's package) for tests: a random loopback port, a config file in
 * a temp folder, stopped when the test process exits even if a test throws. And real hub
 * daemons: `hub start` child processes, ready when they log 'ready'.
 *   const ns = await startNatsServer({ maxPayload: 64 * 1024 });
 *   const a = await startHubProcess(ns.url, 'a');
 *   ...; await a.stop(); await ns.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface NatsServer { url: string; port: number; stop(): Promise<void>; restart(): Promise<void> }

const live = new Set<ChildProcess>();
process.on('exit', () => { for (const p of live) p.kill('SIGKILL'); });

export function natsServerPath(): string {
  const r = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  if (!p) throw new Error('nats-server is not installed: apt-get install -y nats-server (CI does this in .ci/run)');
  return p;
}

export async function startNatsServer(opts: { maxPayload?: number; jetstream?: boolean } = {}): Promise<NatsServer> {
  const bin = natsServerPath();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weave-nats-'));
  const lines = ['listen: 127.0.0.1:-1'];
  if (opts.maxPayload) lines.push(`max_payload: ${opts.maxPayload}`);
  if (opts.jetstream) lines.push(`jetstream { store_dir: "${path.join(dir, 'js')}" }`);
  const conf = path.join(dir, 'nats.conf');
  writeFileSync(conf, lines.join('\n') + '\n');
  let port = 0;
  let proc: ChildProcess;
  const launch = async () => {
    // After a restart, listen on the same port so clients reconnect to it.
    if (port) writeFileSync(conf, lines.map((l) => (l.startsWith('listen') ? `listen: 127.0.0.1:${port}` : l)).join('\n') + '\n');
    proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(proc);
    port = await new Promise<number>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`nats-server did not start in 10 s:\n${log}`)), 10_000);
      proc.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        const m = /Listening for client connections on [\d.]+:(\d+)/.exec(log);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      });
      proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`nats-server exited with ${code}:\n${log}`)); });
    });
  };
  const kill = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
    live.delete(proc);
  };
  await launch();
  return {
    get url() { return `nats://127.0.0.1:${port}`; },
    get port() { return port; },
    async stop() { await kill(); rmSync(dir, { recursive: true, force: true }); },
    async restart() { await kill(); await launch(); },
  };
}

/** Run a CLI (dist/cli/<bin>.js) without blocking this process's event loop. */
export function runCli(bin: 'weave' | 'hub', argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [`dist/cli/${bin}.js`, ...argv], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface HubProcess {
  name: string;
  proc: ChildProcess;
  /** Everything the hub logged so far. */
  log(): string;
  /** Signal it and wait for the exit; resolves with the exit code (null when killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startHubProcess(url: string, name: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<HubProcess> {
  const proc = spawn(process.execPath, ['dist/cli/hub.js', 'start', '--nats', url, '--name', name, ...extra], { stdio: ['ignore', 'ignore', 'pipe'], env });
  live.add(proc);
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => { live.delete(proc); r(code); }));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub ${name} did not get ready in 15 s:\n${log}`)), 15_000);
    const check = () => { if (log.includes('"msg":"ready"')) { clearTimeout(timer); resolve(); } };
    proc.stderr!.on('data', check);
    void exit.then((code) => { clearTimeout(timer); reject(new Error(`hub ${name} exited with ${code}:\n${log}`)); });
  });
  return {
    name, proc,
    log: () => log,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exit;
    },
  };
}
