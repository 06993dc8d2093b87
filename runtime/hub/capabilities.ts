/**
 * What this machine offers a fragment, as a hub advertises it. Only what was checked:
 * `avx2` from the CPU flags the kernel reports (Linux), `gpu` stays false until a WebGPU
 * adapter is probed (the GPU host calls are not built yet).
 *   const caps = detectCapabilities();   // { cores: 2, avx2: true, gpu: false, ... }
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';

export interface Capabilities { cores: number; avx2: boolean; gpu: boolean; memoryMiB: number; node: string; arch: string }

export function detectCapabilities(): Capabilities {
  return {
    cores: os.availableParallelism(),
    avx2: cpuFlags().has('avx2'),
    gpu: false,
    memoryMiB: Math.round(os.totalmem() / (1 << 20)),
    node: process.version,
    arch: process.arch,
  };
}

function cpuFlags(): Set<string> {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    return new Set(line ? line.slice(line.indexOf(':') + 1).trim().split(/\s+/) : []);
  } catch {
    return new Set();
  }
}
