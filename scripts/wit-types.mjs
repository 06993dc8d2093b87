#!/usr/bin/env node
// Generate the TypeScript types of the host ABI (wit/weave-host.wit) with jco, into
// runtime/host/wit/, before tsc runs: the host implementations are typed against them,
// so a host that disagrees with the WIT does not compile. jco parses the WIT with
// wit-parser, so a malformed WIT fails the build here, with its line.
//
// jco's WASI filesystem shim starts with no preopened directories (preview2-shim 0.26),
// and `jco types` then cannot read any path: preopen the root for this process.
import { createRequire } from 'node:module';
import { mkdir, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const witDir = path.join(root, 'wit');
const outDir = path.join(root, 'runtime', 'host', 'wit');

const transpile = fileURLToPath(import.meta.resolve('@bytecodealliance/jco-transpile'));
const shim = await import(pathToFileURL(createRequire(transpile).resolve('@bytecodealliance/preview2-shim/filesystem')).href);
shim._setPreopens({ '/': '/' });
const { types } = await import('@bytecodealliance/jco');

let files;
try {
  files = await types(witDir, { worldName: 'fragment', outDir: outDir + path.sep, quiet: true });
} catch (e) {
  console.error(`wit/: ${e.message.split('\n').slice(0, 6).join('\n')}`);
  process.exit(1);
}
await rm(outDir, { recursive: true, force: true });
for (const [file, bytes] of Object.entries(files)) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}
console.log(`wit: ${Object.keys(files).length} type files in ${path.relative(root, outDir)}/`);
