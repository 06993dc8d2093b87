#!/usr/bin/env node
// Write N little-endian f32 values to FILE, deterministically, as a dataset for
// examples/data.ts:  node scripts/make-points.mjs build/points.bin 1000000
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [file, countArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/make-points.mjs FILE [COUNT]');
  process.exit(2);
}
const count = Number(countArg ?? 1_000_000);
const values = new Float32Array(count);
let s = 42;
for (let i = 0; i < count; i++) {
  s = (s * 1103515245 + 12345) % 2147483648;
  values[i] = (s % 100_000) / 1000;
}
mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
writeFileSync(file, new Uint8Array(values.buffer));
console.log(`wrote ${count} f32 values (${count * 4} bytes) to ${file}`);
