/**
 * Pass: make every mutable global part of the checkpoint.
 *
 * Each mutable global is exported under a stable name (`__weave_global:<name>`), and two
 * functions move all of them to and from a fixed area of weave's reserved memory with
 * plain stores and loads, so a capture of memory holds them bit for bit (a NaN payload in
 * an f64 global survives, which a round trip through JavaScript numbers would not promise).
 *   const globals = exportState(m, layout);   // then call __weave_save_globals before capture
 */
import binaryen from 'binaryen';
import type { StateLayout } from '../layout.js';
import { WeaveBuildError } from '../errors.js';
import { loadAt, storeAt } from './frame.js';

import { SAVE_GLOBALS, LOAD_GLOBALS, GLOBAL_EXPORT_PREFIX } from '../abi.js';
export { SAVE_GLOBALS, LOAD_GLOBALS, GLOBAL_EXPORT_PREFIX };

import type { GlobalSlot } from '../manifest.js';
export type { GlobalSlot };

const TYPE_NAMES = new Map<number, GlobalSlot['type']>([
  [binaryen.i32, 'i32'], [binaryen.i64, 'i64'], [binaryen.f32, 'f32'], [binaryen.f64, 'f64'], [binaryen.v128, 'v128'],
]);

/** Throws WeaveBuildError for reference-typed globals or when the globals area is full. */
export function exportState(m: binaryen.Module, layout: StateLayout): GlobalSlot[] {
  const slots: GlobalSlot[] = [];
  let offset = layout.globalsStart;
  const saves: number[] = [];
  const loads: number[] = [];
  for (let i = 0; i < m.getNumGlobals(); i++) {
    const g = binaryen.getGlobalInfo(m.getGlobalByIndex(i));
    if (!g.mutable || g.module) continue;
    const type = TYPE_NAMES.get(g.type);
    if (!type) throw new WeaveBuildError(`global '${g.name}' has a reference type; it cannot be checkpointed`);
    const size = type === 'v128' ? 16 : 8;
    offset = Math.ceil(offset / size) * size;
    if (offset + size > layout.globalsEnd) throw new WeaveBuildError(`too many mutable globals for the checkpoint area (${slots.length})`);
    slots.push({ name: g.name, type, offset });
    saves.push(storeAt(m, g.type, offset, m.global.get(g.name, g.type)));
    loads.push(m.global.set(g.name, loadAt(m, g.type, offset)));
    m.addGlobalExport(g.name, GLOBAL_EXPORT_PREFIX + g.name);
    offset += size;
  }
  m.addFunction(SAVE_GLOBALS, binaryen.none, binaryen.none, [], m.block(null, saves, binaryen.none));
  m.addFunction(LOAD_GLOBALS, binaryen.none, binaryen.none, [], m.block(null, loads, binaryen.none));
  m.addFunctionExport(SAVE_GLOBALS, SAVE_GLOBALS);
  m.addFunctionExport(LOAD_GLOBALS, LOAD_GLOBALS);
  return slots;
}
