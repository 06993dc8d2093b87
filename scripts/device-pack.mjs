#!/usr/bin/env node
/**
 * Packs what a GPU check needs on a lent device machine (docs/gpu.md, "On a lent GPU
 * machine"), which has no Node, no registry and no network: `.device/` (git-ignored) gets
 *
 * - node.xz          this machine's `node` binary;
 * - weave.tar.xz     dist/, native/build/Release, package.json, the programs the benches
 *                    build (examples/, bench/programs/, lib/) and node_modules without
 *                    what only building or testing elsewhere needs (jco, TypeScript, the
 *                    browser driver, Dawn's builds for other platforms);
 * - gpu.wasm         examples/gpu.ts, built here (the machine cannot build it);
 * - nats-server.xz   this machine's nats-server (a static binary), for the benches that
 *                    run hub processes (the live policy bench wants a core per hub);
 * - gl/*.deb         Debian's Vulkan loader and GL libraries, which the machine lacks.
 *
 * scripts/device-run.sh unpacks them there and runs the GPU tests, `bench gpu` and the
 * example on a GPU hub (and, asked, the live policy bench and the mesh bench). Run after
 * `npm run build`:
 *   node scripts/device-pack.mjs            # then: run(command: 'bash scripts/device-run.sh', carry: ['.device'])
 *   node scripts/device-pack.mjs --no-gl    # leave gl/ as it is (no apt download)
 * A machine of another architecture than x86-64 is refused: the node binary and Dawn's
 * build travel as this machine has them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, '.device');
/** The device tool carries at most 64 MiB with the working tree. */
const CARRY_LIMIT = 64 << 20;
/** Only building, type checking, linting or browser tests need these. */
const PRUNED = [
  'node_modules/@bytecodealliance', 'node_modules/typescript', 'node_modules/typescript-compiler-api', 'node_modules/@typescript',
  'node_modules/playwright-core', 'node_modules/@rolldown', 'node_modules/@oxc-minify', 'node_modules/@andreiltd',
  'node_modules/dependency-cruiser', 'node_modules/@types', 'node_modules/.cache',
  'node_modules/webgpu/dist/darwin-universal', 'node_modules/webgpu/dist/linux-arm64', 'node_modules/webgpu/dist/win32-arm64', 'node_modules/webgpu/dist/win32-x64',
];
/** What the device README lists for Vulkan and GL through EGL. */
const GL_DEBS = ['libvulkan1', 'libegl1', 'libglvnd0', 'libopengl0', 'libgl1', 'libglx0', 'libgles2'];

function fail(msg) {
  console.error(`device-pack: ${msg}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.slice(0, 3).join(' ')} … exited with ${r.status}`);
}

function sizeOf(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0);
}

const mib = (n) => `${(n / (1 << 20)).toFixed(1)} MiB`;

/** `file`, xz-compressed, to `out`. */
function xzTo(file, out) {
  execFileSync('sh', ['-c', `xz -T0 -6 -c "${file}" > "${out}"`], { stdio: 'inherit' });
}

if (process.arch !== 'x64' || process.platform !== 'linux') fail(`this machine is ${process.platform}-${process.arch}; the device machines are linux-x64, and the node binary travels as it is here`);
for (const need of ['dist/bench/gpu.js', 'dist/test/gpu.test.js', 'dist/cli/weave.js', 'node_modules/webgpu/dist/linux-x64']) {
  if (!existsSync(path.join(ROOT, need))) fail(`${need} is missing: run \`npm install\` and \`npm run build\` first`);
}
mkdirSync(OUT, { recursive: true });

console.log('device-pack: node binary');
xzTo(process.execPath, path.join(OUT, 'node.xz'));

console.log('device-pack: dist, native addons, pruned node_modules');
// The benches build their programs from source at start (examples/, bench/programs/, and
// the AssemblyScript library they import from lib/).
const items = ['dist', 'package.json', 'asconfig.json', 'examples', 'bench/programs', 'lib', 'node_modules', ...(existsSync(path.join(ROOT, 'native/build/Release')) ? ['native/build/Release'] : [])]
  .filter((p) => existsSync(path.join(ROOT, p)));
const excludes = PRUNED.flatMap((p) => ['--exclude', p]);
execFileSync('sh', ['-c', `tar -C "${ROOT}" -cf - ${excludes.map((e) => `'${e}'`).join(' ')} --exclude='*.map' ${items.join(' ')} | xz -T0 -6 > "${path.join(OUT, 'weave.tar.xz')}"`], { stdio: 'inherit' });

const nats = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
if (nats) {
  console.log('device-pack: nats-server');
  xzTo(nats, path.join(OUT, 'nats-server.xz'));
} else {
  console.log('device-pack: no nats-server here (scripts/install-nats-server.sh); the live and mesh benches will not run there');
}

console.log('device-pack: examples/gpu.ts');
run(process.execPath, [path.join(ROOT, 'dist/cli/weave.js'), 'build', path.join(ROOT, 'examples/gpu.ts'), '-o', path.join(OUT, 'gpu.wasm')], { cwd: ROOT });

if (!process.argv.includes('--no-gl')) {
  console.log('device-pack: Vulkan and GL packages (apt-get download)');
  const gl = path.join(OUT, 'gl');
  rmSync(gl, { recursive: true, force: true });
  mkdirSync(gl, { recursive: true });
  const lists = '/tmp/weave-apt-amd64';
  mkdirSync(path.join(lists, 'partial'), { recursive: true });
  const o = ['-oAPT::Architecture=amd64', '-oAPT::Architectures=amd64', `-oDir::State::Lists=${lists}`];
  run('apt-get', [...o, '-qq', 'update']);
  run('apt-get', [...o, '-qq', 'download', ...GL_DEBS], { cwd: gl });
}

const carried = sizeOf(OUT);
for (const f of readdirSync(OUT)) console.log(`  .device/${f}: ${mib(sizeOf(path.join(OUT, f)))}`);
console.log(`device-pack: .device holds ${mib(carried)} (the device tool carries ${mib(CARRY_LIMIT)} with the working tree)`);
if (carried > CARRY_LIMIT - (8 << 20)) fail(`.device is too large to travel with the working tree: prune more`);
