#!/usr/bin/env node
/**
 * Builds the native addons (native/ -> native/build/Release/): weave_simd.node, the AVX2
 * kernels, and weave_seal.node, AES-GCM in place (runtime/net/gcm.ts), with node-gyp. Runs at `npm install` / `npm ci`, and by hand:
 *   node scripts/build-native.mjs              # one line: built, or not built and why
 *   WEAVE_NATIVE_VERBOSE=1 node scripts/build-native.mjs   # node-gyp's own output too
 * It never fails the install: without the addons every hub uses the scalar kernels and
 * node:crypto, which give the same bytes, only slower. So any problem ends in exit code 0
 * and a reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE = path.join(ROOT, 'native');
const ADDONS = ['weave_simd.node', 'weave_seal.node'].map((f) => path.join(NATIVE, 'build', 'Release', f));
/** A cold build is a few seconds; past this something is wrong (a header download hanging). */
const BUILD_TIMEOUT_MS = 180_000;
const verbose = process.env.WEAVE_NATIVE_VERBOSE === '1';

/** node-gyp's entry script: npm's (in a lifecycle script), else the copy bundled with npm. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  // npm_execpath is npm's own cli script; node-gyp ships inside npm's node_modules.
  if (process.env.npm_execpath) {
    candidates.push(path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const prefix = path.dirname(path.dirname(process.execPath));
  candidates.push(
    path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), // Windows layout
    path.join(ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  );
  return candidates.find((p) => existsSync(p));
}

/**
 * Headers to build against. npm passes its `nodedir` setting as npm_config_nodedir, and
 * node-gyp reads that itself. By hand there is no such variable, and node-gyp would try to
 * download headers; use the running node's own install when it ships them.
 */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = path.dirname(path.dirname(process.execPath));
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

/** The most telling line of a failed build: a compiler error, else node-gyp's own reason. */
function firstError(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const compiler = lines.find((l) => /: (fatal )?error: /.test(l));
  const gyp = lines.find((l) => l.startsWith('gyp ERR! stack Error: '))?.slice('gyp ERR! stack '.length);
  const pick = compiler ?? gyp ?? lines.findLast((l) => l.startsWith('gyp ERR!')) ?? lines.at(-1);
  return pick ? pick.slice(0, 300) : 'no output';
}

function build() {
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) return { built: false, reason: 'node-gyp not found (it ships with npm)' };
  const args = [nodeGyp, 'rebuild', '--release', ...nodedirArgs()];
  const res = spawnSync(process.execPath, args, {
    cwd: NATIVE,
    encoding: 'utf8',
    stdio: verbose ? 'inherit' : 'pipe',
    timeout: BUILD_TIMEOUT_MS,
    env: { ...process.env, npm_config_loglevel: verbose ? 'info' : 'error' },
  });
  if (res.error) {
    const why = res.error.code === 'ETIMEDOUT' ? `timed out after ${BUILD_TIMEOUT_MS / 1000} s` : res.error.message;
    return { built: false, reason: `node-gyp ${why}` };
  }
  if (res.status !== 0) {
    return { built: false, reason: verbose ? `node-gyp exited with ${res.status}` : firstError(`${res.stdout ?? ''}\n${res.stderr ?? ''}`) };
  }
  const missing = ADDONS.filter((a) => !existsSync(a));
  if (missing.length) return { built: false, reason: `node-gyp succeeded but ${missing.map((a) => path.relative(ROOT, a)).join(', ')} missing` };
  return { built: true };
}

try {
  const t0 = Date.now();
  const r = build();
  if (r.built) {
    console.log(`weave: native addons built (${ADDONS.map((a) => path.relative(ROOT, a)).join(', ')}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } else {
    console.log(`weave: native addons not built, scalar kernels and node:crypto will be used: ${r.reason}`);
  }
} catch (err) {
  console.log(`weave: native addons not built, scalar kernels and node:crypto will be used: ${err instanceof Error ? err.message : String(err)}`);
}
process.exitCode = 0;
