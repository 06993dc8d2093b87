/**
 * Pass: move the program's linear memory up by `reserved` bytes.
 *
 * Every memory access gets `reserved` added to its address (in the static offset where the
 * instruction has one), data segments move up, and memory.size / memory.grow report the
 * program's own pages. Pointer values the program computes never change, so the program
 * behaves identically (the same traps too: memory grows by the same amount), while the
 * bytes below `reserved` are weave's. This works on any module, so a plain asc build can
 * be woven at load time without asc's --memoryBase.
 *   rebaseMemory(module, RESERVED_BYTES);
 */
import binaryen from 'binaryen';
import { WASM_PAGE } from '../layout.js';
import { WeaveBuildError } from '../errors.js';
import { rewrite, type Expr } from './ir.js';

export const MEMORY_GROW_HELPER = '__weave_memory_grow';

const b: any = binaryen;
const WITH_OFFSET: Record<number, any> = {
  [b.LoadId]: b.Load,
  [b.StoreId]: b.Store,
  [b.SIMDLoadId]: b.SIMDLoad,
  [b.SIMDLoadStoreLaneId]: b.SIMDLoadStoreLane,
  [b.AtomicRMWId]: b.AtomicRMW,
};

/**
 * Rebase every function of `m` and its data segments.
 * Throws WeaveBuildError for memory64, shared or imported memories, and multi-memory.
 */
export function rebaseMemory(m: binaryen.Module, reserved: number): void {
  if (reserved % WASM_PAGE !== 0) throw new WeaveBuildError(`reserved area must be whole pages, got ${reserved}`);
  if (!m.hasMemory()) {
    // A program without memory gets one: weave needs the state area.
    m.setMemory(reserved / WASM_PAGE, -1, 'memory', []);
    return;
  }
  const info = m.getMemoryInfo();
  if (info.is64) throw new WeaveBuildError('memory64 modules are not supported; build with 32-bit memory');
  if (info.shared) throw new WeaveBuildError('shared memory is not supported: a checkpoint must own its memory');
  if (info.module) throw new WeaveBuildError('imported memory is not supported; the module must define its memory');
  const pages = reserved / WASM_PAGE;
  const i32 = m.i32;

  m.addFunction(MEMORY_GROW_HELPER, binaryen.i32, binaryen.i32, [binaryen.i32],
    // Keep -1 (failure) as is; otherwise report the old size in the program's pages.
    m.block(null, [
      m.local.set(1, m.memory.grow(m.local.get(0, binaryen.i32))),
      m.if(m.i32.eq(m.local.get(1, binaryen.i32), i32.const(-1)),
        m.return(i32.const(-1)),
        m.return(m.i32.sub(m.local.get(1, binaryen.i32), i32.const(pages)))),
    ], binaryen.i32));

  const add = (e: Expr) => m.i32.add(e, i32.const(reserved));
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const fn = m.getFunctionByIndex(i);
    const finfo = binaryen.getFunctionInfo(fn);
    if (!finfo.body || finfo.name === MEMORY_GROW_HELPER) continue;
    const body = rewrite(finfo.body, (e) => {
      const id = binaryen.getExpressionId(e);
      const cls = WITH_OFFSET[id];
      if (cls) {
        const offset = cls.getOffset(e) + reserved;
        if (offset > 0xffffffff) throw new WeaveBuildError(`static offset overflow in ${finfo.name}`);
        cls.setOffset(e, offset);
        return e;
      }
      switch (id) {
        case b.AtomicCmpxchgId: case b.AtomicWaitId: case b.AtomicNotifyId:
          throw new WeaveBuildError(`atomics are not supported (in ${finfo.name})`);
        case b.MemoryCopyId:
          b.MemoryCopy.setDest(e, add(b.MemoryCopy.getDest(e)));
          b.MemoryCopy.setSource(e, add(b.MemoryCopy.getSource(e)));
          return e;
        case b.MemoryFillId:
          b.MemoryFill.setDest(e, add(b.MemoryFill.getDest(e)));
          return e;
        case b.MemoryInitId:
          b.MemoryInit.setDest(e, add(b.MemoryInit.getDest(e)));
          return e;
        case b.MemorySizeId:
          return m.i32.sub(e, i32.const(pages));
        case b.MemoryGrowId:
          return m.call(MEMORY_GROW_HELPER, [b.MemoryGrow.getDelta(e)], binaryen.i32);
      }
      return e;
    });
    (binaryen as any).Function.setBody(fn, body);
  }

  const segments = [];
  for (let i = 0; i < (m as any).getNumDataSegments(); i++) {
    const seg = (m as any).getDataSegmentInfo((m as any).getDataSegmentByIndex(i));
    segments.push({
      name: seg.name,
      passive: seg.passive,
      offset: seg.passive ? 0 : i32.const(seg.offset + reserved),
      data: new Uint8Array(seg.data),
    });
  }
  const max = info.max === undefined || info.max === null || info.max < 0 ? -1 : info.max + pages;
  m.setMemory(info.initial + pages, max, takeMemoryExport(m), segments as any, false, false);
}

/**
 * Remove the memory's export and return its name ("memory" for asc output), so setMemory
 * can re-add it; a module that does not export its memory gets "memory": hosts need it.
 */
function takeMemoryExport(m: binaryen.Module): string {
  for (let i = 0; i < m.getNumExports(); i++) {
    const ex = binaryen.getExportInfo(m.getExportByIndex(i));
    if (ex.kind === binaryen.ExternalMemory) {
      m.removeExport(ex.name);
      return ex.name;
    }
  }
  return 'memory';
}
