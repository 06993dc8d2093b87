/**
 * `weave build` for test setup, done once per test run however many files build the same
 * module: several files build examples/particles.ts with the same flags, and each build
 * keeps a core busy for seconds. scripts/test.mjs names a cache folder for the run in
 * WEAVE_TEST_BUILD_CACHE; the first file to need a module builds it with the real CLI,
 * the others copy it. Without the variable (a file run alone) every call builds.
 *   const b = await buildModule(['examples/particles.ts', '-o', 'build/test/x.wasm', '--yield-interval', '50']);
 *   assert.is(b.status, 0, b.stderr);
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './nats-server.js';

type CliResult = Awaited<ReturnType<typeof runCli>>;

/** How long a file waits for another to finish a build before building itself. */
const WAIT_MS = 5 * 60_000;

/** `weave build …argv` (argv: the source, `-o OUT`, flags); the module ends up at OUT either way. */
export async function buildModule(argv: string[]): Promise<CliResult> {
  const dir = process.env.WEAVE_TEST_BUILD_CACHE;
  const o = argv.indexOf('-o');
  if (!dir || o < 0) return runCli('weave', ['build', ...argv]);
  const out = argv[o + 1];
  const rest = argv.filter((_, i) => i !== o && i !== o + 1);
  // The flags and the source's text name a build; a run does not see its sources change.
  const key = createHash('sha256').update(JSON.stringify(rest)).update(readFileSync(rest[0])).digest('hex').slice(0, 24);
  const cached = path.join(dir, `${key}.wasm`);
  const lock = path.join(dir, `${key}.lock`);
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.dirname(out), { recursive: true });
  for (const until = Date.now() + WAIT_MS; !existsSync(cached) && Date.now() < until;) {
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((r) => setTimeout(r, 200)); // another file is building it
      continue;
    }
    try {
      const tmp = `${cached}.${process.pid}.tmp`;
      const r = await runCli('weave', ['build', ...rest, '-o', tmp]);
      if (r.status !== 0) return r;
      writeFileSync(`${cached}.json`, JSON.stringify({ stdout: r.stdout, stderr: r.stderr }));
      renameSync(tmp, cached);
    } finally {
      rmdirSync(lock);
    }
  }
  if (!existsSync(cached)) return runCli('weave', ['build', ...argv]);
  copyFileSync(cached, out);
  const { stdout, stderr } = JSON.parse(readFileSync(`${cached}.json`, 'utf8')) as { stdout: string; stderr: string };
  return { status: 0, stdout, stderr };
}
