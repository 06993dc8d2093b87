/**
 * The checkpoint schema: what every field of a checkpoint, and of the wire format's meta
 * map, must be. The codec checks what it decodes and what it is asked to encode with it,
 * and diff.ts what it is handed, so that any input that breaks a rule fails the same way
 * (CheckpointError 'malformed', naming the field) wherever it comes in.
 *   validateCheckpoint(cp, 'cannot encode checkpoint', 'fix the checkpoint before encoding it');
 */
import { CheckpointError } from './errors.js';
import type { AnyCheckpoint, CheckpointDiff } from './types.js';

const WASM_PAGE_BYTES = 65536;
/** 4 KiB: small enough that a few scattered writes ship little, large enough that a
 *  16 MiB memory is only 4096 page comparisons. Diffs and full checkpoints both use it
 *  (and page steps count in it); it lives here, below the codec and diff.ts, which both
 *  import this file. */
export const DIFF_PAGE_SIZE = 4096;
// wasm32 addresses at most 65536 pages.
const MAX_MEMORY_BYTES = 65536 * WASM_PAGE_BYTES;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

const FULL_META_KEYS = new Set([
  'kind', 'id', 'bundle', 'entry', 'fragment', 'paused', 'yields',
  'memoryLength', 'pageSize', 'indices', 'output', 'steps',
]);
// since and steps: added within version 2, like output (docs/checkpoint-format.md).
const DIFF_META_KEYS = new Set([...FULL_META_KEYS, 'base', 'since', 'steps']);

/** The fields of `meta` as decoded, once `validateMeta` has checked them. */
export type Meta = Omit<CheckpointDiff, 'kind' | 'base' | 'pages' | 'steps'> & {
  kind: 'full' | 'diff';
  base?: string;
  /** Page indices, u32 little-endian, increasing. */
  indices: Uint8Array;
  /** A route diff's page steps, u32 little-endian, one per index. */
  steps?: Uint8Array;
};

/**
 * Checks every field of a (possibly untrusted) checkpoint; `where` and `remedy` frame the
 * message. Shared with diff.ts so that hand-built inputs fail the same way decoded ones do.
 *
 * # Errors
 * CheckpointError 'malformed' naming the first offending field.
 */
export function validateCheckpoint(value: unknown, where: string, remedy: string): asserts value is AnyCheckpoint {
  const fail = failer(where, remedy);
  const cp = checkCommon(value, fail);
  if (cp.kind === 'full') {
    const memory = cp.memory;
    if (!(memory instanceof Uint8Array)) return fail('memory', 'a Uint8Array', memory);
    if (!isMemoryLength(memory.length)) fail('memory', `bytes whose length is a multiple of ${WASM_PAGE_BYTES}`, memory);
    const pages = Math.ceil(memory.length / DIFF_PAGE_SIZE);
    if (cp.steps !== undefined && !(cp.steps instanceof Uint32Array && cp.steps.length === pages)) fail('steps', `a Uint32Array of ${pages} steps (one per 4 KiB page)`, cp.steps);
    return;
  }

  if (typeof cp.base !== 'string' || cp.base === '') fail('base', 'a non-empty string', cp.base);
  const { memoryLength, pageSize } = checkLayout(cp, fail);
  const pages = cp.pages;
  if (!Array.isArray(pages)) return fail('pages', 'an array', pages);
  const pageCount = Math.ceil(memoryLength / pageSize);
  let previous = -1;
  for (let i = 0; i < pages.length; i++) {
    const page: unknown = pages[i];
    if (!isRecord(page)) fail(`pages[${i}]`, 'a map with index and bytes', page);
    const { index, bytes } = page as Record<string, unknown>;
    if (!isCount(index) || index >= pageCount) fail(`pages[${i}].index`, `an integer in [0, ${pageCount})`, index);
    if ((index as number) <= previous) fail(`pages[${i}].index`, `greater than the previous index ${previous} (sorted, unique)`, index);
    previous = index as number;
    const expected = pageLength(previous, pageSize, memoryLength);
    if (!(bytes instanceof Uint8Array) || bytes.length !== expected) fail(`pages[${i}].bytes`, `a Uint8Array of ${expected} bytes`, bytes);
  }
  if (cp.since === undefined && cp.steps === undefined) return;
  if (!(cp.steps instanceof Uint32Array) || cp.steps.length !== pages.length) fail('steps', `a Uint32Array of ${pages.length} steps (one per page), with since`, cp.steps);
  const steps = cp.steps as Uint32Array;
  checkSteps(cp.since, steps.length, (i) => steps[i], fail);
}

/** A route diff's `since` and page steps: every page changed after `since`. */
function checkSteps(since: unknown, count: number, step: (i: number) => number, fail: Fail): void {
  if (!isCount(since) || since > 0xffffffff) fail('since', 'a u32 hand-over step, with steps', since);
  for (let i = 0; i < count; i++) {
    if (step(i) <= (since as number)) fail(`steps[${i}]`, `a step after since (${since as number})`, step(i));
  }
}

/**
 * Checks a decoded `meta` map against the schema and against `dataLength`, the length of
 * the data section that follows it.
 *
 * # Errors
 * CheckpointError 'malformed' naming the first offending field, an unknown field, or the
 * data length that does not match the listed pages.
 */
export function validateMeta(value: unknown, dataLength: number, where: string, remedy: string): Meta {
  const fail = failer(where, remedy);
  const meta = checkCommon(value, fail);
  if (meta.kind === 'diff' && (typeof meta.base !== 'string' || meta.base === '')) fail('base', 'a non-empty string', meta.base);
  const { memoryLength, pageSize } = checkLayout(meta, fail);
  const indices = meta.indices;
  if (!(indices instanceof Uint8Array) || indices.length % 4 !== 0) {
    fail('indices', 'a byte string of u32 little-endian page indices (a multiple of 4 bytes)', indices);
  }
  const list = indices as Uint8Array;
  const pageCount = Math.ceil(memoryLength / pageSize);
  const listView = new DataView(list.buffer, list.byteOffset, list.byteLength);
  let previous = -1;
  let expected = 0;
  for (let i = 0; i < list.length / 4; i++) {
    const index = listView.getUint32(4 * i, true);
    if (index >= pageCount) fail(`indices[${i}]`, `an integer in [0, ${pageCount})`, index);
    if (index <= previous) fail(`indices[${i}]`, `greater than the previous index ${previous} (sorted, unique)`, index);
    previous = index;
    expected += pageLength(index, pageSize, memoryLength);
  }
  if (dataLength !== expected) {
    throw new CheckpointError(
      'malformed',
      `${where}: the data section holds ${dataLength} bytes but the ${list.length / 4} pages in 'indices' ` +
        `need ${expected}; ${remedy}`,
    );
  }
  const allowed = meta.kind === 'full' ? FULL_META_KEYS : DIFF_META_KEYS;
  for (const key of Object.keys(meta)) {
    if (!allowed.has(key)) throw new CheckpointError('malformed', `${where}: unknown field '${key}'; ${remedy}`);
  }
  if (meta.kind === 'full' && meta.steps !== undefined) {
    const want = 4 * Math.ceil(memoryLength / DIFF_PAGE_SIZE);
    if (!(meta.steps instanceof Uint8Array) || meta.steps.length !== want) fail('steps', `a byte string of u32 little-endian steps, one per 4 KiB page (${want} bytes)`, meta.steps);
  } else if (meta.since !== undefined || meta.steps !== undefined) {
    const steps = meta.steps;
    if (!(steps instanceof Uint8Array) || steps.length !== list.length) {
      fail('steps', `a byte string of u32 little-endian steps, one per page (${list.length} bytes), with since`, steps);
    }
    const b = steps as Uint8Array;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    checkSteps(meta.since, b.length / 4, (i) => view.getUint32(4 * i, true), fail);
  }
  return meta as unknown as Meta;
}

type Fail = (field: string, expected: string, got: unknown) => never;

function failer(where: string, remedy: string): Fail {
  return (field, expected, got) => {
    throw new CheckpointError('malformed', `${where}: field '${field}' must be ${expected}, got ${describe(got)}; ${remedy}`);
  };
}

/** The fields every checkpoint, meta map and diff has. */
function checkCommon(value: unknown, fail: Fail): Record<string, unknown> {
  if (!isRecord(value)) fail('(root)', 'a map of checkpoint fields', value);
  const cp = value as Record<string, unknown>;
  if (cp.kind !== 'full' && cp.kind !== 'diff') fail('kind', "'full' or 'diff'", cp.kind);
  if (typeof cp.id !== 'string' || cp.id === '') fail('id', 'a non-empty string', cp.id);
  if (typeof cp.bundle !== 'string' || !HEX_SHA256.test(cp.bundle)) fail('bundle', 'a lowercase hex SHA-256 (64 characters)', cp.bundle);
  if (typeof cp.entry !== 'string' || cp.entry === '') fail('entry', 'a non-empty string', cp.entry);
  if (!isCount(cp.fragment)) fail('fragment', 'a non-negative integer', cp.fragment);
  if (typeof cp.paused !== 'boolean') fail('paused', 'a boolean', cp.paused);
  if (!isCount(cp.yields)) fail('yields', 'a non-negative integer', cp.yields);
  if (cp.output !== undefined && !(cp.output instanceof Uint8Array)) fail('output', 'bytes', cp.output);
  return cp;
}

/** `memoryLength` and `pageSize`, as a diff and a meta map carry them. */
function checkLayout(cp: Record<string, unknown>, fail: Fail): { memoryLength: number; pageSize: number } {
  const memoryLength = cp.memoryLength;
  if (!isMemoryLength(memoryLength)) fail('memoryLength', `a multiple of ${WASM_PAGE_BYTES} up to 4 GiB`, memoryLength);
  const pageSize = cp.pageSize;
  if (!isCount(pageSize) || pageSize < 256 || pageSize > WASM_PAGE_BYTES || (pageSize & (pageSize - 1)) !== 0) {
    fail('pageSize', `a power of two between 256 and ${WASM_PAGE_BYTES}`, pageSize);
  }
  return { memoryLength: memoryLength as number, pageSize: pageSize as number };
}

// The last page may be short only if the memory ends inside it (never with the page sizes
// allowed today, since memoryLength is a multiple of 65536, but the format permits it).
export function pageLength(index: number, pageSize: number, memoryLength: number): number {
  return Math.min(pageSize, memoryLength - index * pageSize);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isMemoryLength(value: unknown): value is number {
  return isCount(value) && value % WASM_PAGE_BYTES === 0 && value <= MAX_MEMORY_BYTES;
}

export function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}
